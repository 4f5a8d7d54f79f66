/**
 * The bundled language server (dist/devtime-ls.js) started the way Zed starts it, driven over stdio by
 * the LSP client side of vscode-languageserver-protocol, with heartbeats reaching a real HTTP server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { parse } from 'smol-toml';
import { devtimeEnv, startFakeServer, type FakeServer } from '@devtime/core/testing';
import { HeartbeatThrottle } from '../server/src/tracker.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const serverJs = join(pkg, 'dist', 'devtime-ls.js');

interface Session {
  server: FakeServer;
  child: ChildProcess;
  conn: ProtocolConnection;
  repo: string;
  stderr: () => string;
}

async function start(
  initializationOptions: object = {},
  extraEnv: Record<string, string> = {},
  apiUrl?: string,
  program = serverJs,
): Promise<Session> {
  const server = await startFakeServer();
  const home = mkdtempSync(join(tmpdir(), 'devtime-zed-'));
  const repo = join(home, 'src', 'shop');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'src'), { recursive: true });
  writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  const child = spawn(process.execPath, [program, '--stdio'], {
    env: devtimeEnv(home, apiUrl ?? server.url, extraEnv),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.listen();
  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    clientInfo: { name: 'Zed', version: '0.170.4' },
    rootUri: pathToFileURL(repo).href,
    workspaceFolders: [{ uri: pathToFileURL(repo).href, name: 'shop' }],
    capabilities: { textDocument: { synchronization: { didSave: true, dynamicRegistration: false } } },
    initializationOptions,
  });
  assert.equal(init.serverInfo?.name, 'devtime-ls');
  const sync = init.capabilities.textDocumentSync;
  assert.ok(
    typeof sync === 'object' && sync.change === TextDocumentSyncKind.Incremental && sync.openClose && sync.save,
  );
  await conn.sendNotification(InitializedNotification.type, {});
  return { server, child, conn, repo, stderr: () => err };
}

async function stop(s: Session): Promise<void> {
  await s.conn.sendRequest(ShutdownRequest.type);
  await s.conn.sendNotification(ExitNotification.type);
  await new Promise<void>((r) => (s.child.exitCode !== null ? r() : s.child.on('exit', () => r())));
  s.conn.dispose();
  await s.server.close();
}

async function until(f: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}

test('open, edits and saves over LSP become heartbeats: throttled per file, saves always sent', async () => {
  const s = await start();
  try {
    const a = join(s.repo, 'src', 'cart.rs');
    const b = join(s.repo, 'src', 'lib.rs');
    const ua = pathToFileURL(a).href;
    const ub = pathToFileURL(b).href;
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: ua, languageId: 'rust', version: 0, text: 'fn main() {\n}\n' },
    });
    for (let v = 1; v <= 5; v++) {
      await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: ua, version: v },
        contentChanges: [
          {
            range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
            text: `    let x${v} = ${v};\n`,
          },
        ],
      });
    }
    await s.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: ua } });
    await s.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: ua } });
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: ub, languageId: 'rust', version: 0, text: 'pub mod cart;\n' },
    });
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: ub, version: 1 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// x\n' }],
    });
    await s.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: ub } });
    // An untitled buffer is not a file: nothing to track.
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: 'untitled:Untitled-1', languageId: 'plaintext', version: 0, text: '' },
    });

    await until(() => s.server.heartbeats().length >= 4);
    await new Promise((r) => setTimeout(r, 1500)); // anything else would have arrived by now (1 s debounce)
    const hbs = s.server.heartbeats().sort((x, y) => (x.time as number) - (y.time as number));
    assert.deepEqual(
      hbs.map((h) => [h.entity, h.is_write]),
      [
        [a, false], // open; the five edits within 2 minutes are throttled
        [a, true], // saves are always sent
        [a, true],
        [b, false], // another file
      ],
      s.stderr(),
    );
    for (const h of hbs) {
      assert.equal(h.tool, 'zed');
      assert.equal(h.category, 'coding');
      assert.equal(h.project, 'shop');
      assert.equal(h.branch, 'main');
      assert.equal(h.language, 'Rust');
      assert.match(String(h.user_agent), / zed\/0\.170\.4 devtime-zed\/0\.1\.0$/);
    }
    // 3 lines at open (as an editor counts them: the empty line after the last newline too) + 5.
    assert.equal(hbs[1].lines, 8, 'lines of the document after the five edits');
  } finally {
    await stop(s);
  }
});

test('with a 1 s interval an edit after it is sent, with the line being edited', async () => {
  const s = await start({}, { DEVTIME_HEARTBEAT_INTERVAL_SECONDS: '1' });
  try {
    const uri = pathToFileURL(join(s.repo, 'src', 'main.ts')).href;
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version: 0, text: 'a\nb\nc\n' },
    });
    await new Promise((r) => setTimeout(r, 1100));
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 1 },
      contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, text: 'C' }],
    });
    await until(() => s.server.heartbeats().length >= 2);
    const [open, edit] = s.server.heartbeats().sort((x, y) => (x.time as number) - (y.time as number));
    assert.equal(open.lineno, undefined);
    assert.equal(edit.lineno, 3);
    assert.equal(edit.language, 'TypeScript');
  } finally {
    await stop(s);
  }
});

test('initialization options carry the server and key, and win over the environment', async () => {
  const target = await startFakeServer();
  // The environment points nowhere; the options Zed passes win.
  const s = await start(
    { api_url: target.url, api_key: 'waka_0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b' },
    {},
    'http://127.0.0.1:9',
  );
  try {
    const uri = pathToFileURL(join(s.repo, 'README.md')).href;
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'markdown', version: 0, text: '# shop\n' },
    });
    await until(() => target.heartbeats().length >= 1);
    assert.equal(target.heartbeats()[0].entity, join(s.repo, 'README.md'));
    assert.equal(
      target.requests[0].headers.authorization,
      `Basic ${Buffer.from('waka_0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b').toString('base64')}`,
    );
    assert.equal(s.server.heartbeats().length, 0);
  } finally {
    await stop(s);
    await target.close();
  }
});

/** wakatime-ls (wakatime/zed-wakatime, wakatime-ls/src/main.rs): skip only the same file as last time within 2 minutes, unless saved. */
test('throttle: the same file as last time within two minutes is skipped, another file or a save is sent', () => {
  const t = new HeartbeatThrottle(120_000);
  const at = (file: string, ms: number, isWrite = false) => t.take({ file, isWrite, nowMs: ms });
  assert.equal(at('/a', 0), true);
  assert.equal(at('/a', 119_999), false);
  assert.equal(at('/b', 1000), true, 'another file');
  assert.equal(at('/a', 2000), true, 'back to the first file: a switch, sent');
  assert.equal(at('/a', 60_000, true), true, 'a save is always sent');
  assert.equal(at('/a', 179_999), false, 'the save restarted the clock');
  assert.equal(at('/a', 180_000), true);
});

/** Zed's language names (Zed's own, e.g. "CSharp" for C#, as zed-wakatime's extension.toml lists them). */
test('the language server is registered for the languages as Zed names them', () => {
  const languages = (
    parse(readFileSync(join(pkg, 'extension.toml'), 'utf8')) as {
      language_servers: { devtime: { languages: string[] } };
    }
  ).language_servers.devtime.languages;
  for (const l of [
    'CSharp',
    'C++',
    'FSharp',
    'Bash',
    'Fish',
    'GDScript',
    'Nim',
    'PureScript',
    'Roc',
    'Scheme',
    'WIT',
    'AsciiDoc',
    'CSV',
    'Rust',
    'TypeScript',
    'Python',
  ])
    assert.ok(languages.includes(l), l);
  assert.ok(!languages.includes('C#'), 'Zed has no language named "C#"');
  assert.equal(new Set(languages).size, languages.length);
  assert.ok(languages.length >= 100, String(languages.length));
});

test('the Zed extension launches what this package builds, under the id its manifest declares', () => {
  const manifest = parse(readFileSync(join(pkg, 'extension.toml'), 'utf8')) as {
    id: string;
    schema_version: number;
    language_servers: Record<string, { name: string; languages: string[] }>;
  };
  const cargo = parse(readFileSync(join(pkg, 'Cargo.toml'), 'utf8')) as {
    lib: { 'crate-type': string[] };
    dependencies: Record<string, string>;
  };
  const lib = readFileSync(join(pkg, 'src', 'lib.rs'), 'utf8');
  const npm = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as {
    name: string;
    scripts: { build: string };
  };
  assert.deepEqual(Object.keys(manifest.language_servers), ['devtime']);
  assert.ok(manifest.language_servers.devtime.languages.includes('Rust'));
  assert.match(lib, /const SERVER_ID: &str = "devtime";/);
  assert.match(lib, new RegExp(`const PACKAGE: &str = "${npm.name}";`));
  assert.match(lib, new RegExp(`node_modules/${npm.name}/dist/devtime-ls\\.js`));
  assert.match(npm.scripts.build, /dist\/devtime-ls\.js/);
  assert.match(lib, /"--stdio"/);
  assert.deepEqual(cargo.lib['crate-type'], ['cdylib']);
  assert.ok(cargo.dependencies.zed_extension_api);
});

/**
 * What the Zed extension installs: `npm pack` of this package, unpacked as npm installs it, must be a
 * working server on its own (no dependencies to fetch: @devtime/core is in the bundle), with its licence.
 */
test('npm pack gives a publishable package whose server runs alone', async () => {
  const out = mkdtempSync(join(tmpdir(), 'devtime-zed-pack-'));
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: pkg, encoding: 'utf8' });
  const [info] = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
  const files = info.files.map((f) => f.path).sort();
  assert.deepEqual(files, ['LICENSE', 'README.md', 'dist/devtime-ls.js', 'package.json']);
  execFileSync('tar', ['xzf', join(out, info.filename), '-C', out]);
  const packed = JSON.parse(readFileSync(join(out, 'package', 'package.json'), 'utf8'));
  assert.equal(packed.private, undefined);
  assert.equal(packed.dependencies, undefined, 'nothing to install beside the bundle');
  const s = await start({}, {}, undefined, join(out, 'package', 'dist', 'devtime-ls.js'));
  try {
    const file = join(s.repo, 'src', 'Program.cs');
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: pathToFileURL(file).href, languageId: 'csharp', version: 0, text: 'class P {}\n' },
    });
    await until(() => s.server.heartbeats().length > 0);
    assert.equal(s.server.heartbeats()[0].entity, file);
    assert.equal(s.server.heartbeats()[0].language, 'C#');
  } finally {
    await stop(s);
  }
});
