import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodexEventDeduper, codexTokenUsage, parseCodexLine, type CodexRolloutState } from '../src/codex-usage.js';

const RL = { primary: { used_percent: 4.0, window_minutes: 299, resets_at: 1763640000 } };
const usage = (i: number, c: number, o: number, r: number) => ({
  input_tokens: i,
  cached_input_tokens: c,
  output_tokens: o,
  reasoning_output_tokens: r,
  total_tokens: i + o,
});
const tokenCount = (ts: string, total: object | null, last?: object) =>
  JSON.stringify({
    timestamp: ts,
    type: 'event_msg',
    payload: {
      type: 'token_count',
      info: total
        ? { total_token_usage: total, ...(last ? { last_token_usage: last } : {}), model_context_window: 272000 }
        : null,
      rate_limits: RL,
    },
  });

test('reads session_meta, turn_context and token_count lines of a rollout', () => {
  const state: CodexRolloutState = {};
  assert.equal(
    parseCodexLine(
      JSON.stringify({
        timestamp: '2026-11-20T10:15:02.118Z',
        type: 'session_meta',
        payload: {
          id: '019a9e1c-4f2b-7c3d-9e8f-1a2b3c4d5e6f',
          timestamp: '2026-11-20T10:15:02.101Z',
          cwd: '/home/dev/shop',
          originator: 'codex_cli_rs',
          cli_version: '0.58.0',
          git: { branch: 'feature/cart' },
        },
      }),
      state,
    ),
    undefined,
  );
  parseCodexLine(
    JSON.stringify({
      timestamp: '2026-11-20T10:15:09.001Z',
      type: 'turn_context',
      payload: {
        cwd: '/home/dev/shop',
        approval_policy: 'on-request',
        model: 'gpt-5-codex',
        effort: 'medium',
        summary: 'auto',
      },
    }),
    state,
  );
  assert.equal(
    parseCodexLine(tokenCount('2026-11-20T10:15:09.410Z', null), state),
    undefined,
    'info null: rate limits only',
  );
  const e = parseCodexLine(
    tokenCount('2026-11-20T10:15:14.031Z', usage(8123, 3072, 212, 128), usage(8123, 3072, 212, 128)),
    state,
  );
  assert.ok(e);
  assert.equal(e.model, 'gpt-5-codex');
  assert.equal(e.sessionId, '019a9e1c-4f2b-7c3d-9e8f-1a2b3c4d5e6f');
  assert.equal(e.cwd, '/home/dev/shop');
  assert.equal(e.branch, 'feature/cart');
  assert.deepEqual(codexTokenUsage(e.raw), { input: 5051, output: 212, cacheCreation: 0, cacheRead: 3072 });
  // The same running total again (a rate-limit refresh) is the same response.
  assert.equal(
    parseCodexLine(
      tokenCount('2026-11-20T10:15:14.512Z', usage(8123, 3072, 212, 128), usage(8123, 3072, 212, 128)),
      state,
    ),
    undefined,
  );
  const next = parseCodexLine(
    tokenCount('2026-11-20T10:15:20.777Z', usage(17124, 11136, 667, 384), usage(9001, 8064, 455, 256)),
    state,
  );
  assert.deepEqual(next && codexTokenUsage(next.raw), { input: 937, output: 455, cacheCreation: 0, cacheRead: 8064 });
  assert.equal(
    parseCodexLine('{"timestamp":"2026-11-20T10:15:21.000Z","type":"event_msg","payload":{"type":"token_co', state),
    undefined,
  );
});

test('without last_token_usage the delta of the running totals is used; without a model, gpt-5', () => {
  const state: CodexRolloutState = {};
  const a = parseCodexLine(tokenCount('2026-11-21T08:00:05.000Z', usage(5000, 0, 300, 100)), state);
  const b = parseCodexLine(tokenCount('2026-11-21T08:01:05.000Z', usage(11000, 4096, 700, 150)), state);
  assert.equal(a?.model, 'gpt-5');
  assert.equal(a?.fallbackModel, true);
  assert.deepEqual(b?.raw, { input: 6000, cached: 4096, output: 400, reasoning: 50, total: 6400 });
});

test('an event copied into a forked rollout is counted once', () => {
  const d = new CodexEventDeduper();
  const s1: CodexRolloutState = { model: 'gpt-5-codex' };
  const s2: CodexRolloutState = { model: 'gpt-5-codex' };
  const line = tokenCount('2026-11-20T10:15:14.031Z', usage(100, 0, 10, 0), usage(100, 0, 10, 0));
  assert.equal(d.add(parseCodexLine(line, s1)!), true);
  assert.equal(d.add(parseCodexLine(line, s2)!), false);
  const restored = new CodexEventDeduper(d.keys());
  assert.equal(restored.add(parseCodexLine(line, { model: 'gpt-5-codex' })!), false);
});
