// The extension's heartbeat rules, driven through the real bundle (dist/extension.js) with a fake
// `vscode` module and mocked clocks; heartbeats are read back from the real on-disk queue.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DurableQueue, type Heartbeat } from '@devtime/core';
import { createFakeVscode, loadExtension, type FakeVscode } from './fake-vscode.mjs';

const BUNDLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'extension.js');
const T0 = Date.UTC(2026, 10, 16, 9, 0, 0);

/**
 * For servers used on the mocked clock: fetch's kept-alive sockets would otherwise be closed during
 * a later test, clearing their (mocked) timers there, and node 20's mock then drops another timer.
 */
const CLOSE = { connection: 'close' };

let home: string;
let repo: string;
let fake: FakeVscode;
let ext: any;
let extModule: ReturnType<typeof loadExtension>;

/**
 * Activates the bundle. Without an API key (the default here) the uploader never opens a
 * connection, so what is queued stays queued for the test to read.
 */
async function start(settings: Record<string, unknown> = {}, apiKey = ''): Promise<void> {
  fake = createFakeVscode({ 'devtime.endpoint': 'http://127.0.0.1:1', ...settings });
  if (apiKey) fake.secrets.set('devtime.apiKey', apiKey);
  extModule = loadExtension(BUNDLE, fake);
  ext = await extModule.activate(fake.context);
}

beforeEach(() => {
  home = realpathSync(mkdtempSync(join(tmpdir(), 'devtime-vscode-')));
  process.env.DEVTIME_HOME = join(home, '.devtime');
  process.env.WAKATIME_HOME = home;
  delete process.env.DEVTIME_API_URL;
  delete process.env.DEVTIME_API_KEY;
  repo = join(home, 'src', 'shop');
  mkdirSync(join(repo, '.git'), { recursive: true });
  writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: T0 });
  mocked = true;
});

afterEach(async () => {
  await extModule?.deactivate();
  mock.timers.reset();
  rmSync(home, { recursive: true, force: true });
});

let mocked = true;

/** Advances the clock; heartbeats decided meanwhile are written to disk before it returns. */
async function advance(ms: number): Promise<void> {
  if (mocked) mock.timers.tick(ms);
  else await new Promise((r) => setTimeout(r, ms));
  await ext.settled();
}

async function queued(): Promise<Heartbeat[]> {
  await ext.settled();
  const q = new DurableQueue({ dir: join(home, '.devtime', 'queue') });
  return (await q.peek(10_000)).map((e) => e.heartbeat);
}

function summary(hbs: Heartbeat[]): string[] {
  return hbs.map((h) => {
    const file = h.entity.slice(h.entity.lastIndexOf('/') + 1);
    return `${(h.time * 1000 - T0) / 1000}s ${file} ${h.category}${h.is_write ? ' write' : ''}`;
  });
}

/** `n` keystrokes, `gapMs` apart. */
async function typeBurst(n: number, gapMs: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    fake.user.type();
    await advance(gapMs);
  }
}

test('typing bursts: one heartbeat on opening, then one per 2 minutes of continued typing', async () => {
  await start();
  const a = fake.user.open(join(repo, 'src', 'cart.ts'), 'typescript', 240);
  fake.user.focusEditor(a, 9, 4);
  await advance(250); // the debounce
  // 5 minutes of typing, a keystroke every 200 ms.
  await typeBurst(1500, 200);
  const hbs = await queued();
  // Keystrokes fall at 0.25 s + 0.2 s * i: the first at or past each 120 s mark is the heartbeat.
  assert.deepEqual(summary(hbs), ['0s cart.ts coding', '120.05s cart.ts coding', '240.05s cart.ts coding']);
  const first = hbs[0]!;
  assert.equal(first.entity, join(repo, 'src', 'cart.ts'));
  assert.equal(first.project, 'shop');
  assert.equal(first.branch, 'main');
  assert.equal(first.language, 'TypeScript');
  assert.equal(first.lines, 240);
  assert.equal(first.lineno, 10);
  assert.equal(first.cursorpos, 5);
  assert.equal(first.tool, 'vscode');
  assert.match(
    first.user_agent,
    /^devtime\/0\.1\.0 \(\w+-\w+\) node\/[\d.]+ vscode\/1\.95\.0 devtime-vscode\/0\.1\.0$/,
  );
  assert.equal(hbs[1]!.cursorpos! > first.cursorpos!, true, 'the cursor moved while typing');
});

test('file switches: a heartbeat per switch; a burst settles before the next file', async () => {
  await start();
  const a = fake.user.open(join(repo, 'a.py'), 'python');
  const b = fake.user.open(join(repo, 'b.py'), 'python');
  fake.user.focusEditor(a);
  await advance(1000);
  await typeBurst(10, 100);
  fake.user.focusEditor(b);
  // Switching straight back within the debounce still records both files.
  fake.user.focusEditor(a);
  await advance(300);
  fake.user.focusEditor(a); // re-selecting the same tab is not a switch
  await advance(300);
  assert.deepEqual(summary(await queued()), ['0s a.py coding', '2s b.py coding', '2s a.py coding']);
});

test('saves: sent at once with is_write, at most one per file every 2 s', async () => {
  await start();
  const a = fake.user.open(join(repo, 'main.go'), 'go');
  fake.user.focusEditor(a);
  await advance(300);
  await typeBurst(5, 100);
  fake.user.save();
  await ext.tracker.settle(); // no clock tick needed: a save is not debounced
  fake.user.save(); // format-on-save writes again right away
  await advance(1000);
  fake.user.save();
  await advance(1500);
  fake.user.save(); // 2.5 s after the first: counted
  const hbs = await queued();
  assert.deepEqual(summary(hbs), ['0s main.go coding', '0.8s main.go coding write', '3.3s main.go coding write']);
  assert.equal(hbs[0]!.language, 'Go');
});

test('focus loss: nothing while another window has focus, except an auto-save right after leaving', async () => {
  await start();
  const a = fake.user.open(join(repo, 'app.rb'), 'ruby');
  fake.user.focusEditor(a);
  await advance(100);
  fake.user.type();
  fake.user.blur(); // the pending burst is decided at once
  await advance(1000);
  fake.user.save(); // files.autoSave = onFocusChange
  await advance(10_000);
  fake.user.save(); // a save long after leaving is not the user's
  await advance(130_000);
  fake.user.type(); // events that still arrive while unfocused
  await advance(1000);
  fake.user.focus();
  await advance(1000);
  fake.user.type(); // back, 142 s after the last heartbeat: one is due
  await advance(300);
  assert.deepEqual(summary(await queued()), ['0.1s app.rb coding', '1.1s app.rb coding write', '143.1s app.rb coding']);
});

test('only the active editor counts; output panes, untitled and background reloads do not', async () => {
  await start();
  const a = fake.user.open(join(repo, 'a.ts'), 'typescript');
  const other = fake.user.open(join(repo, 'other.ts'), 'typescript');
  fake.user.focusEditor(a);
  await advance(300);
  fake.user.backgroundChange(other);
  fake.user.save(other);
  await advance(300);
  const outputPane = {
    ...fake.user.open('extension-output-devtime', 'Log'),
    uri: { scheme: 'output', fsPath: '', toString: () => 'output:x' },
  };
  fake.user.focusEditor(outputPane);
  await advance(300);
  assert.deepEqual(summary(await queued()), ['0s a.ts coding']);
});

test('debug sessions and tasks set the category; watch tasks do not', async () => {
  await start();
  const a = fake.user.open(join(repo, 'server.ts'), 'typescript');
  fake.user.focusEditor(a);
  await advance(300);
  const watch = fake.user.startTask('tsc: watch', true);
  await advance(1000);
  fake.user.startDebug();
  await advance(300); // the category change is a heartbeat of its own
  await typeBurst(3, 100); // stepping, editing while paused
  fake.user.stopDebug();
  await advance(1000);
  fake.user.type();
  await advance(300);
  const build = fake.user.startTask('npm: build');
  await advance(300);
  fake.user.type();
  await advance(300);
  fake.user.endTask(build);
  await advance(60_000);
  fake.user.type();
  await advance(300);
  fake.user.endTask(watch);
  // Nobody has touched the editor for 20 minutes (past the 15-minute idle timeout): a task that
  // starts by itself (a file watcher, runOn: folderOpen) and a debug session restart are not work.
  await advance(20 * 60_000);
  const auto = fake.user.startTask('npm: build');
  fake.user.startDebug('dbg-2');
  await advance(300);
  fake.user.endTask(auto);
  fake.user.stopDebug('dbg-2');
  assert.deepEqual(summary(await queued()), [
    '0s server.ts coding',
    '1.3s server.ts debugging',
    '2.9s server.ts coding',
    '3.2s server.ts building',
    '63.8s server.ts coding',
  ]);
});

test('sensitive files, user globs and disabled tracking send nothing', async () => {
  await start({ 'devtime.sensitiveGlobs': ['**/fixtures/**'] });
  for (const f of ['.env.local', 'certs/dev.pem', 'test/fixtures/users.json']) {
    fake.user.focusEditor(fake.user.open(join(repo, f), 'plaintext'));
    await advance(300);
    fake.user.save();
    await advance(300);
  }
  assert.deepEqual(await queued(), []);
  await extModule.deactivate();
  await start({ 'devtime.enabled': false });
  fake.user.focusEditor(fake.user.open(join(repo, 'a.ts'), 'typescript'));
  await advance(300);
  assert.deepEqual(await queued(), []);
  assert.match(fake.statusItems[0]!.text, /DevTime off/);
});

test('config.toml applies unless a setting is set explicitly', async () => {
  mkdirSync(join(home, '.devtime'), { recursive: true });
  writeFileSync(join(home, '.devtime', 'config.toml'), '[privacy]\ndefault_denylist = false\n');
  await start(); // devtime.sensitiveGlobsDenylistEnabled left at its default
  fake.user.focusEditor(fake.user.open(join(repo, '.env'), 'dotenv'));
  await advance(300);
  assert.deepEqual(summary(await queued()), ['0s .env coding'], 'the file turned the denylist off');
  await extModule.deactivate();
  rmSync(join(home, '.devtime', 'queue'), { recursive: true });
  await start({ 'devtime.sensitiveGlobsDenylistEnabled': true });
  fake.user.focusEditor(fake.user.open(join(repo, '.env'), 'dotenv'));
  await advance(300);
  assert.deepEqual(await queued(), [], 'the explicit setting wins');
});

test('anonymized paths and a workspace folder as the project outside git', async () => {
  await start({ 'devtime.anonymizeFilePaths': true });
  const loose = join(home, 'notes', 'todo.md');
  fake.user.addWorkspaceFolder('notes', join(home, 'notes'));
  fake.user.focusEditor(fake.user.open(loose, 'markdown'));
  await advance(300);
  const [hb] = await queued();
  assert.match(hb!.entity, /^sha256:[0-9a-f]{64}$/);
  assert.equal(hb!.project, 'notes');
  assert.equal(hb!.language, 'Markdown');
});

test('end to end: queued heartbeats reach the server, the status bar shows today and the queue', async () => {
  // Real clocks here: the sender's retries and the HTTP round trips run as they do in VS Code.
  mock.timers.reset();
  mocked = false;
  const received: Heartbeat[][] = [];
  const auth: string[] = [];
  let up = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      auth.push(req.headers.authorization ?? '');
      if (!up) {
        res.writeHead(503).end('{"error":"starting"}');
        return;
      }
      res.setHeader('content-type', 'application/json');
      if (req.url!.endsWith('/statusbar/today')) {
        res.end(JSON.stringify({ data: { grand_total: { text: '1 hr 5 mins', total_seconds: 3900 } } }));
        return;
      }
      const items = JSON.parse(body) as Heartbeat[];
      received.push(items);
      res.statusCode = 202;
      res.end(JSON.stringify({ responses: items.map((i) => [{ data: i }, 201]) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    await start(
      { 'devtime.endpoint': `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
      'waka_6f1c3d2e-0b7a-4c5e-9f8d-1a2b3c4d5e6f',
    );
    const a = fake.user.open(join(repo, 'a.ts'), 'typescript');
    const b = fake.user.open(join(repo, 'b.ts'), 'typescript');
    fake.user.focusEditor(a);
    await advance(300);
    fake.user.focusEditor(b);
    await advance(300);
    fake.user.save();
    await advance(300);
    // The server is down: the flush command reports it, the status bar shows the queue.
    await fake.commands.get('devtime.flushQueue')!();
    assert.match(fake.messages.at(-1)!, /sent 0, 3 still queued \(503 starting\)/);
    const item = fake.statusItems[0]!;
    assert.match(item.text, /\$\(cloud-offline\) DevTime · 3 queued/);
    up = true;
    await fake.commands.get('devtime.flushQueue')!();
    assert.match(fake.messages.at(-1)!, /sent 3 heartbeat\(s\); the queue is empty/);
    assert.deepEqual(
      received.flat().map((h) => h.entity.slice(h.entity.lastIndexOf('/') + 1)),
      ['a.ts', 'b.ts', 'b.ts'],
    );
    assert.equal(received.flat()[2]!.is_write, true);
    assert.equal(auth[0], `Basic ${Buffer.from('waka_6f1c3d2e-0b7a-4c5e-9f8d-1a2b3c4d5e6f').toString('base64')}`);
    await waitFor(() => item.text === '$(clock) 1 hr 5 mins');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('commands: set the API key, show what would be sent, clear the queue, open the dashboard', async (t) => {
  // A server that takes everything: once the key is set, a send can only succeed at once, so no
  // retry waits on the mocked clock. Nothing in this test should send heartbeats.
  const bulk: string[] = [];
  const server = createServer((req, res) => {
    if (req.url!.includes('heartbeats')) bulk.push(req.url!);
    req.resume();
    req.on('end', () => res.writeHead(202, CLOSE).end('{"responses":[]}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await start({ 'devtime.dashboardUrl': 'https://devtime.example.com/', 'devtime.endpoint': endpoint });
  assert.match(fake.statusItems[0]!.text, /set API key/, 'no key yet');
  fake.prompts.inputBox = 'waka_11111111-2222-4333-8444-555555555555';
  await fake.commands.get('devtime.setApiKey')!();
  assert.equal(fake.secrets.get('devtime.apiKey'), 'waka_11111111-2222-4333-8444-555555555555');
  // Setting a key starts a send of whatever is queued (nothing yet); let it finish first, or it
  // could pick up the heartbeat below and, answered with nothing, retry on the mocked clock.
  await ext.settled();

  const a = fake.user.open(join(repo, 'lib.rs'), 'rust');
  fake.user.focusEditor(a);
  await advance(300);
  await fake.commands.get('devtime.showPending')!();
  const shown = JSON.parse(fake.opened.at(-1)!);
  assert.equal(shown.request, `POST ${endpoint}/api/v1/users/current/heartbeats.bulk`);
  assert.equal(shown.headers.Authorization, '(set)', 'the key itself is never shown');
  assert.equal(shown.next_heartbeat_for_active_file.entity, join(repo, 'lib.rs'));
  assert.equal(shown.queued_total, 1);
  assert.equal(shown.queued_oldest_first[0].language, 'Rust');

  fake.prompts.warning = undefined; // the user closes the dialog
  await fake.commands.get('devtime.clearQueue')!();
  assert.equal((await queued()).length, 1);
  fake.prompts.warning = 'Delete';
  await fake.commands.get('devtime.clearQueue')!();
  assert.equal((await queued()).length, 0);

  await fake.commands.get('devtime.openDashboard')!();
  assert.deepEqual(fake.external, ['https://devtime.example.com/']);
  assert.deepEqual(bulk, [], 'the commands above never sent anything');
});

/** A server that accepts every heartbeat; `bulk` lists each request's file names, `today` counts statusbar/today. */
async function acceptingServer(t: { after: (f: () => void) => void }) {
  const bulk: string[][] = [];
  const asked = { today: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (!req.url!.includes('heartbeats')) {
        asked.today++;
        return res.writeHead(200, CLOSE).end('{"data":{"grand_total":{"text":"1 hr","total_seconds":3600}}}');
      }
      const items = JSON.parse(body) as Heartbeat[];
      bulk.push(items.map((h) => h.entity.slice(h.entity.lastIndexOf('/') + 1)));
      res.writeHead(202, CLOSE).end(JSON.stringify({ responses: items.map((i) => [{ data: i }, 201]) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bulk, asked };
}

const KEY = 'waka_6f1c3d2e-0b7a-4c5e-9f8d-1a2b3c4d5e6f';

/** Advances in 500 ms steps, so timers set by a send or a write fire within the span too. */
async function walk(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 500) await advance(500);
}

test('sends at most once per 120 s, with everything queued since; closing the window sends the rest', async (t) => {
  const { endpoint, bulk } = await acceptingServer(t);
  await start({ 'devtime.endpoint': endpoint }, KEY);
  const open = (name: string) => fake.user.focusEditor(fake.user.open(join(repo, name), 'typescript'));
  open('a.ts');
  await walk(2000);
  assert.deepEqual(bulk, [['a.ts']], 'the first heartbeat goes at once');
  open('b.ts');
  await walk(10_000);
  open('c.ts');
  await walk(100_000); // 112 s after the first send
  assert.deepEqual(bulk, [['a.ts']], 'b and c wait for the window');
  await walk(10_000);
  assert.deepEqual(bulk, [['a.ts'], ['b.ts', 'c.ts']], 'one request for both, 120 s after the first');
  open('d.ts');
  await walk(1000);
  await fake.commands.get('devtime.flushQueue')!();
  assert.deepEqual(bulk.at(-1), ['d.ts'], 'the flush command ignores the window');
  open('e.ts');
  await walk(1000);
  assert.equal(bulk.length, 3);
  await extModule.deactivate();
  assert.deepEqual(bulk.at(-1), ['e.ts'], 'deactivate sends what is queued');
  assert.equal(await new DurableQueue({ dir: join(home, '.devtime', 'queue') }).size(), 0);
});

test('the 5-minute status refresh first sends what waits, if the window allows, and asks once', async (t) => {
  const { endpoint, bulk, asked } = await acceptingServer(t);
  await start({ 'devtime.endpoint': endpoint }, KEY);
  fake.user.focusEditor(fake.user.open(join(repo, 'a.ts'), 'typescript'));
  await walk(2000);
  await walk(297_000);
  assert.deepEqual(bulk, [['a.ts']]);
  const before = asked.today;
  // Queued at 299.25 s, so the debounced send would go at 300.25 s; the refresh at 300 s is first.
  fake.user.focusEditor(fake.user.open(join(repo, 'b.ts'), 'typescript'));
  await walk(1000);
  const until = performance.now() + 5000;
  while ((bulk.length < 2 || asked.today === before) && performance.now() < until) {
    await new Promise((r) => setImmediate(r));
  }
  await ext.settled();
  assert.deepEqual(bulk, [['a.ts'], ['b.ts']], 'sent by the refresh');
  assert.equal(asked.today, before + 1, 'today asked once, after the send');
  await walk(2000);
  assert.equal(bulk.length, 2, 'no second send (the debounced one was cancelled, the queue is empty)');
  assert.equal(asked.today, before + 1);
});

test('heartbeatRateLimitSeconds 0 sends each heartbeat right after the debounce', async (t) => {
  const { endpoint, bulk } = await acceptingServer(t);
  await start({ 'devtime.endpoint': endpoint, 'devtime.heartbeatRateLimitSeconds': 0 }, KEY);
  fake.user.focusEditor(fake.user.open(join(repo, 'a.ts'), 'typescript'));
  await walk(2000);
  fake.user.focusEditor(fake.user.open(join(repo, 'b.ts'), 'typescript'));
  await walk(10_000);
  assert.deepEqual(bulk, [['a.ts'], ['b.ts']]);
});

test('debugPayload logs queued heartbeats without absolute paths', async () => {
  await start({ 'devtime.debugPayload': true });
  fake.user.focusEditor(fake.user.open(join(repo, 'src', 'pay.ts'), 'typescript'));
  await advance(300);
  await queued();
  const line = fake.output.find((l) => l.startsWith('queued '))!;
  assert.ok(line.includes('"entity":"…/pay.ts"'), line);
  assert.ok(!line.includes(repo), line);
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(cond(), `condition not met: ${fake.statusItems.map((i) => i.text).join(' / ')}`);
}
