/**
 * Codex threads that continue another thread: sub-agents (`spawn_agent` -> `thread_spawn`) and forks.
 * The child's rollout starts with a copy of the parent's history, which must not be counted again.
 *
 * Formats, from Codex's own source (openai/codex, codex-rs/protocol/src/protocol.rs): a rollout line is
 * `{"timestamp","type","payload"}`; `session_meta`'s payload is `SessionMeta` (`id`, `forked_from_id`,
 * `timestamp`, `cwd`, `originator`, `cli_version`, `source`, `model_provider`) plus `git`; `source` is
 * `SessionSource`, for a sub-agent `{"subagent":{"thread_spawn":{"parent_thread_id","depth"}}}`;
 * `event_msg` payloads `token_count` (`info.total_token_usage` / `info.last_token_usage`) and
 * `user_message`. Copies keep the parent's timestamps in some Codex versions and carry the time of the
 * spawn in others, and may repeat the parent's `session_meta` (openai/codex issue 35463; ccusage issue
 * 950, fixed in ccusage's codex adapter, apps/codex/src/data-loader.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codexTokenUsage } from '../src/codex-usage.js';
import { readCodexHistory, usageReport } from '../src/transcripts.js';

const here = dirname(fileURLToPath(import.meta.url));
const PARENT = '019ab000-0000-7000-8000-00000000000a';
const CHILD = '019ab000-0000-7000-8000-00000000000b';
const MODEL = 'gpt-5.1-codex-max';
const RL = { primary: { used_percent: 9.0, window_minutes: 299, resets_at: 1763900000 } };

type U = [input: number, cached: number, output: number, reasoning: number];
const usage = ([i, c, o, r]: U) => ({
  input_tokens: i,
  cached_input_tokens: c,
  output_tokens: o,
  reasoning_output_tokens: r,
  total_tokens: i + o,
});
const line = (timestamp: string, type: string, payload: object) => JSON.stringify({ timestamp, type, payload });
const meta = (ts: string, id: string, extra: object = {}) =>
  line(ts, 'session_meta', {
    id,
    timestamp: ts,
    cwd: '/home/dev/shop',
    originator: 'codex_cli_rs',
    cli_version: '0.63.0',
    instructions: null,
    source: 'cli',
    model_provider: 'openai',
    git: {
      commit_hash: '3f2a9c1d7e5b4a3c2d1e0f9a8b7c6d5e4f3a2b1c',
      branch: 'feature/cart',
      repository_url: 'git@example.com:dev/shop.git',
    },
    ...extra,
  });
const context = (ts: string) =>
  line(ts, 'turn_context', {
    cwd: '/home/dev/shop',
    approval_policy: 'on-request',
    sandbox_policy: { type: 'workspace-write' },
    model: MODEL,
    effort: 'medium',
    summary: 'auto',
  });
const prompt = (ts: string, message: string) => line(ts, 'event_msg', { type: 'user_message', message, images: [] });
const tokens = (ts: string, total: U, last: U) =>
  line(ts, 'event_msg', {
    type: 'token_count',
    info: { total_token_usage: usage(total), last_token_usage: usage(last), model_context_window: 272000 },
    rate_limits: RL,
  });

/** The parent's history up to the spawn (two responses), as the parent wrote it. */
const parentBefore = [
  context('2026-11-22T09:00:01.000Z'),
  prompt('2026-11-22T09:00:01.001Z', 'add a cart total'),
  tokens('2026-11-22T09:00:09.000Z', [8000, 5000, 300, 100], [8000, 5000, 300, 100]),
  tokens('2026-11-22T09:00:20.000Z', [17000, 11000, 700, 250], [9000, 6000, 400, 150]),
];
const SPAWN = '2026-11-22T09:00:30.000Z';
const parentRollout = [
  meta('2026-11-22T09:00:00.000Z', PARENT),
  ...parentBefore,
  line('2026-11-22T09:00:29.900Z', 'response_item', {
    type: 'function_call',
    name: 'spawn_agent',
    arguments: '{"message":"write the tests"}',
    call_id: 'call_spawn',
  }),
  tokens('2026-11-22T09:01:10.000Z', [20000, 13000, 900, 300], [3000, 2000, 200, 50]),
];

/** The copy at the head of the child: the parent's lines, original or re-stamped to the spawn. */
const copied = (restamp: boolean) =>
  restamp ? parentBefore.map((l) => JSON.stringify({ ...JSON.parse(l), timestamp: SPAWN })) : parentBefore;

/** The child's own work: its task (from the parent agent) and one response. */
const childOwn = (task: string) => [
  context('2026-11-22T09:00:31.000Z'),
  prompt('2026-11-22T09:00:31.001Z', task),
  tokens('2026-11-22T09:00:50.000Z', [20000, 14000, 1000, 300], [3000, 3000, 300, 50]),
];

function codexHome(files: Record<string, string[]>): string {
  const home = mkdtempSync(join(tmpdir(), 'devtime-codex-sub-'));
  for (const [rel, lines] of Object.entries(files)) {
    mkdirSync(join(home, rel, '..'), { recursive: true });
    writeFileSync(join(home, rel), lines.map((l) => `${l}\n`).join(''));
  }
  return home;
}

const day = 'sessions/2026/11/22';
const parentFile = `rollout-2026-11-22T09-00-00-${PARENT}.jsonl`;
const childFile = `rollout-2026-11-22T09-00-30-${CHILD}.jsonl`;
const subagentMeta = meta(SPAWN, CHILD, {
  source: { subagent: { thread_spawn: { parent_thread_id: PARENT, depth: 1 } } },
});
const forkMeta = meta(SPAWN, CHILD, { forked_from_id: PARENT });

/** What ccusage reports for these files once the copy is left out: every response once. */
const EXPECTED = { [MODEL]: { input: 7000, output: 1200, cache_creation: 0, cache_read: 16000 } };

function check(home: string, dirs: string[], prompts: number) {
  assert.deepEqual(
    usageReport(
      'codex',
      dirs.map((d) => join(home, d)),
    ).models,
    EXPECTED,
  );
  const h = readCodexHistory(dirs.map((d) => join(home, d)));
  const bySession: Record<string, number> = {};
  for (const e of h.usage) bySession[e.sessionId!] = (bySession[e.sessionId!] ?? 0) + codexTokenUsage(e.raw).output;
  // The sub-agent's own response is filed under its own thread, not the parent's.
  assert.deepEqual(bySession, { [PARENT]: 900, [CHILD]: 300 });
  assert.equal(h.prompts.length, prompts);
}

test('a sub-agent whose copy is re-stamped to the spawn, with the parent session_meta copied too', () => {
  const home = codexHome({
    [`${day}/${parentFile}`]: parentRollout,
    [`${day}/${childFile}`]: [subagentMeta, meta(SPAWN, PARENT), ...copied(true), ...childOwn('write the tests')],
  });
  // A sub-agent's task comes from the parent agent: only the person's prompt counts.
  check(home, ['sessions'], 1);
});

test('a fork naming its parent in forked_from_id, copy with the original timestamps', () => {
  const home = codexHome({
    [`${day}/${parentFile}`]: parentRollout,
    [`${day}/${childFile}`]: [forkMeta, ...copied(false), ...childOwn('try it another way')],
  });
  check(home, ['sessions'], 2);
});

test('a re-stamped copy whose parent was archived; a thread in both folders counts once', () => {
  const home = codexHome({
    [`archived_sessions/${parentFile}`]: parentRollout,
    [`sessions/2026/11/21/${parentFile}`]: parentRollout.slice(0, 3),
    [`${day}/${childFile}`]: [subagentMeta, ...copied(true), ...childOwn('write the tests')],
  });
  check(home, ['sessions', 'archived_sessions'], 1);
});

test('a copy with original timestamps is recognised even when the parent rollout is gone', () => {
  const home = codexHome({
    [`${day}/${childFile}`]: [subagentMeta, meta(SPAWN, PARENT), ...copied(false), ...childOwn('write the tests')],
  });
  assert.deepEqual(usageReport('codex', join(home, 'sessions')).models, {
    [MODEL]: { input: 0, output: 300, cache_creation: 0, cache_read: 3000 },
  });
});

/**
 * A rollout larger than the longest string V8 makes (0x1fffffe8 characters): Codex writes the whole
 * compacted history as one `compacted` line (ccusage's "parses compacted-heavy sessions" case), and
 * session folders of many GB are real. The long line is a sparse hole here, so the test costs no disk.
 */
test('usage reads a rollout past the string limit line by line and counts the responses around a huge line', () => {
  const home = mkdtempSync(join(tmpdir(), 'devtime-codex-big-'));
  const dir = join(home, 'sessions', '2026', '11', '22');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, parentFile);
  writeFileSync(
    file,
    `${[meta('2026-11-22T09:00:00.000Z', PARENT), ...parentBefore].join('\n')}\n{"timestamp":"2026-11-22T09:00:25.000Z","type":"compacted","payload":{"message":"`,
  );
  truncateSync(file, statSync(file).size + 0x20000000 + 4096);
  appendFileSync(file, `"}}\n${parentRollout.slice(-1)[0]}\n`);
  const r = spawnSync(
    process.execPath,
    [join(here, '..', 'devtime.js'), 'usage', '--source', 'codex', '--path', join(home, 'sessions'), '--json'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).models, {
    [MODEL]: { input: 7000, output: 900, cache_creation: 0, cache_read: 13000 },
  });
  rmSync(home, { recursive: true, force: true });
});
