/**
 * The built Codex program and installer, run as Codex and a user run them, with Codex's real notify
 * argument, hook stdin and rollout lines; heartbeats reach a real HTTP server through the flusher.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'smol-toml';
import { usageReport } from '@devtime/cli';
import { devtimeEnv, startFakeServer } from '@devtime/core/testing';
import { handleNotify, parseNotify, setNotify, unsetNotify } from '../src/index.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const notify = join(pkg, 'dist', 'notify.js');
const installer = join(pkg, 'dist', 'install.js');
const T1 = '019a9e1c-4f2b-7c3d-9e8f-1a2b3c4d5e6f';
const rolloutName = `rollout-2026-11-20T10-15-02-${T1}.jsonl`;
const fixtureRollout = join(pkg, '..', 'cli', 'test', 'fixtures', 'codex', 'sessions', '2026', '11', '20', rolloutName);
const rolloutLines = readFileSync(fixtureRollout, 'utf8')
  .split('\n')
  .filter((l) => l !== '');

/** What Codex passes to `notify` after a turn (codex-rs `UserNotification::AgentTurnComplete`). */
const turnComplete = (turn: string, inputs: string[]) =>
  JSON.stringify({
    type: 'agent-turn-complete',
    'thread-id': T1,
    'turn-id': turn,
    cwd: '/home/dev/shop',
    'input-messages': inputs,
    'last-assistant-message': 'Added total() to src/cart.ts.',
  });

function run(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (out ? reject(new Error(`printed: ${out}`)) : resolve(code)));
    child.stdin.end(stdin ?? '');
  });
}

async function waitFor(f: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

function sums(hbs: Record<string, unknown>[]) {
  const out: Record<string, { input: number; output: number; cache_creation: number; cache_read: number }> = {};
  for (const h of hbs) {
    if (h.ai_input_tokens === undefined) continue;
    const t = (out[h.ai_model as string] ??= { input: 0, output: 0, cache_creation: 0, cache_read: 0 });
    t.input += h.ai_input_tokens as number;
    t.output += h.ai_output_tokens as number;
    t.cache_creation += h.ai_cache_creation_tokens as number;
    t.cache_read += h.ai_cache_read_tokens as number;
  }
  return out;
}

function codexHome(): { home: string; codex: string; rollout: string } {
  const home = mkdtempSync(join(tmpdir(), 'devtime-codex-'));
  const codex = join(home, '.codex');
  const dir = join(codex, 'sessions', '2026', '11', '20');
  mkdirSync(dir, { recursive: true });
  const rollout = join(dir, rolloutName);
  writeFileSync(rollout, '');
  return { home, codex, rollout };
}

test('notify after each turn: one prompt per user message, rollout usage once, nothing printed', async () => {
  const server = await startFakeServer();
  try {
    const { home, codex, rollout } = codexHome();
    const env = devtimeEnv(home, server.url, { CODEX_HOME: codex });
    // Turn 1 is written up to its rate-limit re-emission; notify fires; then turn 2 is written.
    appendFileSync(
      rollout,
      rolloutLines
        .slice(0, 8)
        .map((l) => `${l}\n`)
        .join(''),
    );
    assert.equal(await run([notify, '--devtime-codex', turnComplete('turn-1', ['add a cart total'])], env), 0);
    appendFileSync(
      rollout,
      rolloutLines
        .slice(8)
        .map((l) => `${l}\n`)
        .join(''),
    );
    assert.equal(await run([notify, '--devtime-codex', turnComplete('turn-2', ['now tests'])], env), 0);
    assert.equal(await run([notify, '--devtime-codex', JSON.stringify({ type: 'approval-requested' })], env), 0);

    const expected = usageReport('codex', join(codex, 'sessions')).models;
    await waitFor(
      () =>
        isDeepStrictEqual(sums(server.heartbeats()), expected) &&
        server.heartbeats().filter((h) => h.ai_prompts).length === 2,
    );
    const hbs = server.heartbeats();
    assert.deepEqual(sums(hbs), expected);
    assert.deepEqual(
      hbs.filter((h) => h.ai_prompts).map((h) => h.ai_prompts),
      [1, 1],
    );
    assert.ok(hbs.every((h) => h.tool === 'codex' && h.category === 'ai coding' && h.project === 'shop'));
    assert.ok(
      hbs
        .filter((h) => h.ai_input_tokens !== undefined)
        .every((h) => h.ai_session === T1 && h.branch === 'feature/cart'),
    );
    assert.match(String(hbs[0].user_agent), / codex\/unknown devtime-codex\/0\.1\.0$/);
  } finally {
    await server.close();
  }
});

test('hooks and notify both running count each prompt once, from the rollout, and read the rollout they name', async () => {
  const server = await startFakeServer();
  try {
    const { home, codex, rollout } = codexHome();
    const env = devtimeEnv(home, server.url, { CODEX_HOME: codex });
    appendFileSync(
      rollout,
      rolloutLines
        .slice(0, 4)
        .map((l) => `${l}\n`)
        .join(''),
    );
    // Codex hook stdin (UserPromptSubmit: session_id, transcript_path, cwd, hook_event_name, model, prompt).
    const payload = {
      session_id: T1,
      transcript_path: rollout,
      cwd: '/home/dev/shop',
      hook_event_name: 'UserPromptSubmit',
      model: 'gpt-5-codex',
      permission_mode: 'default',
      turn_id: 'turn-1',
      prompt: 'add a cart total',
    };
    assert.equal(await run([notify, '--hook'], env, JSON.stringify(payload)), 0);
    appendFileSync(
      rollout,
      rolloutLines
        .slice(4, 12)
        .map((l) => `${l}\n`)
        .join(''),
    );
    assert.equal(
      await run([notify, '--hook'], env, JSON.stringify({ ...payload, hook_event_name: 'Stop', prompt: undefined })),
      0,
    );
    assert.equal(await run([notify, '--devtime-codex', turnComplete('turn-1', ['add a cart total'])], env), 0);
    assert.equal(
      await run([notify, '--hook'], env, JSON.stringify({ ...payload, turn_id: 'turn-2', prompt: 'now tests' })),
      0,
    );
    appendFileSync(
      rollout,
      rolloutLines
        .slice(12)
        .map((l) => `${l}\n`)
        .join(''),
    );
    assert.equal(await run([notify, '--devtime-codex', turnComplete('turn-2', ['now tests'])], env), 0);
    assert.equal(
      await run(
        [notify, '--hook'],
        env,
        JSON.stringify({ ...payload, hook_event_name: 'Stop', turn_id: 'turn-2', prompt: undefined }),
      ),
      0,
    );

    const expected = usageReport('codex', join(codex, 'sessions')).models;
    await waitFor(
      () =>
        isDeepStrictEqual(sums(server.heartbeats()), expected) &&
        server.heartbeats().filter((h) => h.ai_prompts).length === 2,
    );
    assert.deepEqual(sums(server.heartbeats()), expected);
    const prompts = server.heartbeats().filter((h) => h.ai_prompts);
    assert.deepEqual(
      prompts.map((h) => [h.ai_prompts, h.ai_prompt_length]),
      [
        [1, 16],
        [1, 9],
      ],
    );
    // At the time the rollout recorded each message, so any path that sends one sends the same heartbeat.
    assert.deepEqual(
      prompts.map((h) => h.time),
      [Date.parse('2026-11-20T10:15:09.002Z') / 1000, Date.parse('2026-11-20T10:20:00.001Z') / 1000],
    );
  } finally {
    await server.close();
  }
});

const CONFIG = `# my Codex settings
model = "gpt-5-codex"
model_reasoning_effort = "high"
notify = [
  "python3",
  "/home/dev/bin/notify.py", # desktop toast
]

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-mcp"]

[projects."/home/dev/shop"]
trust_level = "trusted"
`;

test('config.toml: notify is replaced in place, everything else kept byte for byte, and restored on uninstall', () => {
  const { text, previous } = setNotify(CONFIG, [
    '/usr/bin/node',
    '/opt/devtime/codex/dist/notify.js',
    '--devtime-codex',
  ]);
  assert.deepEqual(previous, ['python3', '/home/dev/bin/notify.py']);
  assert.equal(text.split('\n').filter((l) => !CONFIG.split('\n').includes(l)).length, 1, 'one line differs');
  assert.ok(text.includes('# my Codex settings') && text.includes('[projects."/home/dev/shop"]'));
  const parsed = parse(text) as Record<string, unknown>;
  assert.deepEqual(parsed.notify, ['/usr/bin/node', '/opt/devtime/codex/dist/notify.js', '--devtime-codex']);
  assert.equal(parsed.model, 'gpt-5-codex');
  assert.equal(
    setNotify(text, ['/usr/bin/node', '/opt/devtime/codex/dist/notify.js', '--devtime-codex']).previous,
    undefined,
    'ours is not saved as previous',
  );
  const back = unsetNotify(text, previous);
  assert.deepEqual(parse(back), parse(CONFIG));

  const noNotify = '[mcp_servers.docs]\ncommand = "npx"\n';
  const added = setNotify(noNotify, ['node', 'n.js', '--devtime-codex']).text;
  assert.deepEqual((parse(added) as { notify: string[] }).notify, ['node', 'n.js', '--devtime-codex']);
  assert.deepEqual(JSON.parse(JSON.stringify((parse(added) as { mcp_servers: unknown }).mcp_servers)), {
    docs: { command: 'npx' },
  });
  assert.throws(() => setNotify('model = ', ['x']));
});

test('the installer chains the previous notify program, adds hooks on request, and uninstalls', async () => {
  const server = await startFakeServer();
  try {
    const home = mkdtempSync(join(tmpdir(), 'devtime-codex-install-'));
    const codex = join(home, '.codex');
    mkdirSync(codex, { recursive: true });
    const out = join(home, 'previous-notify-got.json');
    const previousCmd = `notify = ["sh", "-c", "printf '%s' \\"$0\\" > ${out}"]`;
    writeFileSync(join(codex, 'config.toml'), `model = "gpt-5-codex"\n${previousCmd}\n`);
    writeFileSync(
      join(codex, 'hooks.json'),
      JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }] } }),
    );
    const env = devtimeEnv(home, server.url, { CODEX_HOME: codex });
    execFileSync(process.execPath, [installer, '--codex-home', codex, '--hooks', '--node', process.execPath], { env });
    const config = parse(readFileSync(join(codex, 'config.toml'), 'utf8')) as { notify: string[]; model: string };
    // Installed to a stable place, not the checkout's dist/.
    assert.deepEqual(config.notify, [
      process.execPath,
      join(home, '.devtime', 'bin', 'codex-notify.js'),
      '--devtime-codex',
    ]);
    execFileSync(process.execPath, [installer, '--codex-home', codex, '--hooks', '--node', process.execPath], { env });
    assert.equal(
      readFileSync(join(codex, 'config.toml.devtime-backup'), 'utf8'),
      `model = "gpt-5-codex"\n${previousCmd}\n`,
      "the backup is the user's file, not our output",
    );
    const help = spawnSync(process.execPath, [installer, '--help'], { env, encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: node install\.js/);
    assert.equal(config.model, 'gpt-5-codex');
    const hooks = JSON.parse(readFileSync(join(codex, 'hooks.json'), 'utf8'));
    assert.equal(hooks.hooks.Stop.length, 2);
    assert.equal(hooks.hooks.Stop[0].hooks[0].command, 'say done');
    assert.match(hooks.hooks.UserPromptSubmit[0].hooks[0].command, /codex-notify\.js" "--devtime-codex" --hook$/);

    // Codex runs the configured program exactly like this; the previous program gets the JSON too.
    const arg = turnComplete('turn-1', ['add a cart total']);
    execFileSync(config.notify[0], [...config.notify.slice(1), arg], { env });
    await waitFor(() => existsSync(out) && readFileSync(out, 'utf8') === arg, 5000);
    assert.equal(readFileSync(out, 'utf8'), arg);
    // DevTime's hooks are in hooks.json but Codex has not run them (unreviewed in /hooks, or the
    // feature off): notify still counts the prompt.
    await waitFor(() => server.heartbeats().length > 0);
    assert.equal(server.heartbeats()[0].ai_prompts, 1);
    assert.equal(hooks.hooks.PostToolUse, undefined, 'no hook holds every tool call');

    execFileSync(process.execPath, [installer, '--codex-home', codex, '--uninstall'], { env });
    assert.equal(
      readFileSync(join(codex, 'config.toml'), 'utf8'),
      `model = "gpt-5-codex"\nnotify = ["sh", "-c", "printf '%s' \\"$0\\" > ${out}"]\n`,
    );
    assert.deepEqual(JSON.parse(readFileSync(join(codex, 'hooks.json'), 'utf8')).hooks, {
      Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }],
    });
  } finally {
    await server.close();
  }
});

test('parseNotify reads agent-turn-complete only', () => {
  assert.deepEqual(parseNotify(turnComplete('t', ['a', 'b']))?.inputMessages, ['a', 'b']);
  assert.equal(parseNotify('{"type":"approval-requested"}'), undefined);
  assert.equal(parseNotify('not json'), undefined);
});

/**
 * The live path on a sub-agent: notify for the parent thread, then for the sub-agent's thread, whose
 * rollout starts with the parent's history stamped with the time of the spawn and a copy of the
 * parent's session_meta (codex-rs SessionMeta: `source.subagent.thread_spawn.parent_thread_id`).
 * Each response counts once, the sub-agent's under its own thread.
 */
test('notify on a sub-agent thread does not count the parent history its rollout copies', async () => {
  const PARENT = '019ab000-0000-7000-8000-00000000000a';
  const CHILD = '019ab000-0000-7000-8000-00000000000b';
  const home = mkdtempSync(join(tmpdir(), 'devtime-codex-live-sub-'));
  const codex = join(home, '.codex');
  const dir = join(codex, 'sessions', '2026', '11', '22');
  mkdirSync(dir, { recursive: true });
  const line = (timestamp: string, type: string, payload: object) => JSON.stringify({ timestamp, type, payload });
  const u = (i: number, c: number, o: number) => ({
    input_tokens: i,
    cached_input_tokens: c,
    output_tokens: o,
    reasoning_output_tokens: 0,
    total_tokens: i + o,
  });
  const meta = (ts: string, id: string, source: unknown = 'cli') =>
    line(ts, 'session_meta', {
      id,
      timestamp: ts,
      cwd: '/home/dev/shop',
      originator: 'codex_cli_rs',
      cli_version: '0.63.0',
      source,
      model_provider: 'openai',
    });
  const parentLines = [
    meta('2026-11-22T09:00:00.000Z', PARENT),
    line('2026-11-22T09:00:01.000Z', 'turn_context', { cwd: '/home/dev/shop', model: 'gpt-5.1-codex-max' }),
    line('2026-11-22T09:00:01.001Z', 'event_msg', { type: 'user_message', message: 'add a cart total', images: [] }),
    line('2026-11-22T09:00:09.000Z', 'event_msg', {
      type: 'token_count',
      info: { total_token_usage: u(8000, 5000, 300), last_token_usage: u(8000, 5000, 300) },
    }),
  ];
  const spawnTime = '2026-11-22T09:00:30.000Z';
  writeFileSync(join(dir, `rollout-2026-11-22T09-00-00-${PARENT}.jsonl`), `${parentLines.join('\n')}\n`);
  writeFileSync(
    join(dir, `rollout-2026-11-22T09-00-30-${CHILD}.jsonl`),
    `${[
      meta(spawnTime, CHILD, { subagent: { thread_spawn: { parent_thread_id: PARENT, depth: 1 } } }),
      meta(spawnTime, PARENT),
      ...parentLines.slice(1).map((l) => JSON.stringify({ ...JSON.parse(l), timestamp: spawnTime })),
      line('2026-11-22T09:00:31.000Z', 'event_msg', { type: 'user_message', message: 'write the tests', images: [] }),
      line('2026-11-22T09:00:50.000Z', 'event_msg', {
        type: 'token_count',
        info: { total_token_usage: u(11000, 8000, 600), last_token_usage: u(3000, 3000, 300) },
      }),
    ].join('\n')}\n`,
  );
  const opts = { devtimeHome: join(home, '.devtime'), codexHome: codex, nowMs: Date.parse('2026-11-22T09:01:00Z') };
  const parent = await handleNotify(
    { type: 'agent-turn-complete', threadId: PARENT, cwd: '/home/dev/shop', inputMessages: ['add a cart total'] },
    opts,
  );
  const child = await handleNotify(
    { type: 'agent-turn-complete', threadId: CHILD, cwd: '/home/dev/shop', inputMessages: ['write the tests'] },
    opts,
  );
  const usage = [...parent, ...child].filter((a) => a.ai_input_tokens !== undefined);
  assert.deepEqual(
    usage.map((a) => [a.ai_session, a.ai_input_tokens, a.ai_cache_read_tokens, a.ai_output_tokens]),
    [
      [PARENT, 3000, 5000, 300],
      [CHILD, 0, 3000, 300],
    ],
  );
  assert.equal(
    [...parent, ...child].filter((a) => a.ai_prompts).length,
    1,
    "the person's prompt; the sub-agent's task is not one",
  );
});
