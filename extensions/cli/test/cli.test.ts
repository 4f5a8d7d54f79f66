/** The built `devtime` command, run as a user runs it, against a real HTTP server on loopback. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { devtimeEnv, startFakeServer } from '@devtime/core/testing';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const devtime = join(pkg, 'dist', 'devtime.js');
const fixtures = join(pkg, 'test', 'fixtures');
const run = promisify(execFile);

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [devtime, ...args], { env, encoding: 'utf8' });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function sumTokens(hbs: Record<string, unknown>[], model: string) {
  const t = { input: 0, output: 0, cache_creation: 0, cache_read: 0 };
  for (const h of hbs.filter((h) => h.ai_model === model)) {
    t.input += h.ai_input_tokens as number;
    t.output += h.ai_output_tokens as number;
    t.cache_creation += h.ai_cache_creation_tokens as number;
    t.cache_read += h.ai_cache_read_tokens as number;
  }
  return t;
}

test('usage prints a table, and JSON with --json', async () => {
  const env = devtimeEnv(mkdtempSync(join(tmpdir(), 'devtime-cli-')), 'http://127.0.0.1:9');
  const table = await cli(['usage', '--source', 'claude-code', '--path', join(fixtures, 'claude', 'projects')], env);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /^model\s+input\s+output\s+cache creation\s+cache read$/m);
  assert.match(table.stdout, /claude-opus-4-1-20250805-fast\s+10\s+640\s+0\s+30,500/);
  const bad = await cli(['usage', '--source', 'vim'], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--source must be claude-code or codex/);
});

test('backfill sends each Claude Code response once, as ai coding heartbeats that add up to usage', async () => {
  const server = await startFakeServer();
  try {
    const env = devtimeEnv(mkdtempSync(join(tmpdir(), 'devtime-cli-')), server.url);
    const dir = join(fixtures, 'claude', 'projects');
    const r = await cli(['backfill', '--source', 'claude-code', '--path', dir], env);
    assert.equal(r.code, 0, r.stderr);
    const hbs = server.heartbeats();
    assert.match(r.stdout, new RegExp(`sent ${hbs.length}, rejected 0`));
    const usage = JSON.parse(
      (await cli(['usage', '--source', 'claude-code', '--path', dir, '--json'], env)).stdout,
    ).models;
    for (const model of Object.keys(usage)) assert.deepEqual(sumTokens(hbs, model), usage[model], model);
    for (const h of hbs) {
      assert.equal(h.tool, 'claude-code');
      assert.equal(h.category, 'ai coding');
      assert.equal(h.type, 'app');
      assert.match(String(h.user_agent), /^devtime\/\S+ \(\S+\) node\/\S+ devtime-cli\/0\.1\.0$/);
    }
    // The two fixture projects' folders are gone on this machine: projects are named after them.
    assert.deepEqual([...new Set(hbs.map((h) => h.project))].sort(), ['api', 'shop']);
    assert.ok(hbs.every((h) => typeof h.ai_session === 'string'));
    const ids = new Set(hbs.map((h) => `${h.time}|${h.entity}|${h.category}`));
    assert.equal(ids.size, hbs.length, 'no two heartbeats share an identity');
    assert.ok(server.requests.every((q) => !Array.isArray(q.body) || q.body.length <= 25));
    assert.equal(
      server.requests[0].headers.authorization,
      `Basic ${Buffer.from(env.DEVTIME_API_KEY!).toString('base64')}`,
    );
  } finally {
    await server.close();
  }
});

test('backfill of Codex history, with --since; a server outage stops it with a message to re-run', async () => {
  const server = await startFakeServer();
  try {
    const env = devtimeEnv(mkdtempSync(join(tmpdir(), 'devtime-cli-')), server.url);
    const dir = join(fixtures, 'codex', 'sessions');
    const r = await cli(['backfill', '--source', 'codex', '--path', dir, '--since', '2026-11-21'], env);
    assert.equal(r.code, 0, r.stderr);
    const hbs = server.heartbeats();
    assert.ok(hbs.length > 0);
    assert.ok(hbs.every((h) => h.tool === 'codex' && (h.time as number) >= Date.parse('2026-11-21T00:00:00') / 1000));

    server.failNext(10);
    const down = await cli(['backfill', '--source', 'codex', '--path', dir], env);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /run it again to continue where it stopped/);
  } finally {
    await server.close();
  }
});

test('heartbeat sends one, status shows the queue and today, flush sends what was queued offline', async () => {
  const server = await startFakeServer(5400);
  try {
    const home = mkdtempSync(join(tmpdir(), 'devtime-cli-'));
    const repo = join(home, 'src', 'shop');
    mkdirSync(join(repo, '.git'), { recursive: true });
    writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/feature/cart\n');
    writeFileSync(join(repo, 'cart.ts'), 'export {}\n');
    const env = devtimeEnv(home, server.url);
    const r = await cli(['heartbeat', '--entity', join(repo, 'cart.ts'), '--write', '--lineno', '3'], env);
    assert.equal(r.code, 0, r.stderr);
    const [hb] = server.heartbeats();
    assert.equal(hb.entity, join(repo, 'cart.ts'));
    assert.equal(hb.project, 'shop');
    assert.equal(hb.branch, 'feature/cart');
    assert.equal(hb.language, 'TypeScript');
    assert.equal(hb.is_write, true);
    assert.equal(hb.tool, 'cli');

    const offline = devtimeEnv(home, 'http://127.0.0.1:9');
    const q = await cli(['heartbeat', '--entity', join(repo, 'cart.ts')], offline);
    assert.equal(q.code, 1);
    assert.match(q.stderr, /queued; sending failed/);
    const st = await cli(['status'], env);
    assert.equal(st.code, 0, st.stderr);
    assert.match(st.stdout, /queue: 1 waiting/);
    assert.match(st.stdout, /today: 1 hr 30 mins \(5400 s\)/);
    const f = await cli(['flush'], env);
    assert.equal(f.code, 0, f.stderr);
    assert.match(f.stdout, /sent 1, rejected 0, waiting 0/);
    assert.equal(server.heartbeats().length, 2);
  } finally {
    await server.close();
  }
});

/** A Claude Code transcript of `n` responses, one a minute (the assistant line shape of Claude Code's transcripts). */
function claudeHistory(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'devtime-history-'));
  const session = '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
  mkdirSync(join(dir, '-home-dev-shop'), { recursive: true });
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      parentUuid: null,
      isSidechain: false,
      userType: 'external',
      cwd: '/home/dev/shop',
      sessionId: session,
      version: '2.0.30',
      gitBranch: 'main',
      message: {
        id: `msg_${String(i).padStart(6, '0')}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [{ type: 'text', text: 'ok' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 5 },
      },
      requestId: `req_${String(i).padStart(6, '0')}`,
      type: 'assistant',
      uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      timestamp: new Date(Date.parse('2026-11-20T08:00:00Z') + i * 60_000).toISOString(),
    }),
  );
  writeFileSync(join(dir, '-home-dev-shop', `${session}.jsonl`), `${lines.join('\n')}\n`);
  return dir;
}

test('backfill continues where a stopped run ended, and waits out 429 answers as Retry-After asks', async () => {
  const server = await startFakeServer();
  try {
    const env = devtimeEnv(mkdtempSync(join(tmpdir(), 'devtime-cli-')), server.url);
    const dir = claudeHistory(120);
    const args = ['backfill', '--source', 'claude-code', '--path', dir];
    server.failNext(5, 503, { after: 2 });
    const stopped = await cli(args, env);
    assert.equal(stopped.code, 1);
    assert.match(stopped.stderr, /continue where it stopped/);
    assert.equal(server.accepted().length, 50);
    assert.match(stopped.stderr, /backfill: 50\/120 \(41%\), about \d+s left/);

    const resumed = await cli(args, env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /continuing after 50 heartbeats/);
    const hbs = server.accepted();
    assert.equal(hbs.length, 120, 'the second run sends only what the first did not');
    assert.equal(new Set(hbs.map((h) => h.time)).size, 120);

    server.failNext(2, 429, { after: 1, retryAfter: 1 });
    const t0 = Date.now();
    const again = await cli([...args, '--restart'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(Date.now() - t0 >= 2000, 'waited the 1 s Retry-After twice');
    assert.match(again.stderr, /server answered 429; waiting 1s/);
    assert.equal(server.accepted().length, 240);
  } finally {
    await server.close();
  }
});
