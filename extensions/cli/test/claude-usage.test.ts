import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClaudeUsageDeduper, parseClaudeLine, totalsByModel } from '../src/claude-usage.js';
import { forEachLine } from '../src/lines.js';

const SONNET = 'claude-sonnet-4-5-20250929';

function assistant(o: {
  mid?: string;
  rid?: string;
  model?: string;
  side?: boolean;
  usage: Record<string, unknown>;
  ts?: string;
  extra?: Record<string, unknown>;
}): string {
  return JSON.stringify({
    parentUuid: 'p',
    isSidechain: o.side ?? false,
    userType: 'external',
    cwd: '/home/dev/shop',
    sessionId: '5d3f8a2e-1c4b-4e7a-9b21-7f0c2d9e6a11',
    version: '2.0.14',
    gitBranch: 'main',
    message: {
      id: o.mid,
      type: 'message',
      role: 'assistant',
      model: o.model ?? SONNET,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: o.usage,
    },
    requestId: o.rid,
    type: 'assistant',
    uuid: 'u',
    timestamp: o.ts ?? '2026-11-20T09:00:04.210Z',
    ...o.extra,
  });
}

const U = (i: number, o: number, cc = 0, cr = 0) => ({
  input_tokens: i,
  output_tokens: o,
  cache_creation_input_tokens: cc,
  cache_read_input_tokens: cr,
});

test('parses an assistant line with the per-TTL cache breakdown, which wins over the flat count', () => {
  const e = parseClaudeLine(
    assistant({
      mid: 'msg_1',
      rid: 'req_1',
      usage: {
        ...U(3, 187, 6320, 14873),
        cache_creation: { ephemeral_5m_input_tokens: 5120, ephemeral_1h_input_tokens: 1200 },
      },
    }),
  );
  assert.ok(e);
  assert.deepEqual(e.usage, { input: 3, output: 187, cacheCreation: 6320, cacheRead: 14873 });
  assert.equal(e.model, SONNET);
  assert.equal(e.timestampMs, Date.parse('2026-11-20T09:00:04.210Z'));
  assert.equal(e.cwd, '/home/dev/shop');
  assert.equal(e.gitBranch, 'main');
});

test('skips lines that carry no countable usage', () => {
  assert.equal(parseClaudeLine('{"type":"summary","summary":"x","leafUuid":"y"}'), undefined);
  assert.equal(
    parseClaudeLine('{"parentUuid":"a4","type":"assistant","message":{"id":"m","usage":{"input_tokens":'),
    undefined,
  );
  assert.equal(
    parseClaudeLine(assistant({ mid: 'm', rid: 'r', usage: { input_tokens: 1 } })),
    undefined,
    'no output_tokens',
  );
  assert.equal(
    parseClaudeLine(assistant({ mid: 'm', rid: 'r', usage: U(1, 1), extra: { requestId: null } })),
    undefined,
  );
  assert.equal(parseClaudeLine(assistant({ mid: 'm', rid: '', usage: U(1, 1) })), undefined, 'empty request id');
  assert.equal(
    parseClaudeLine(assistant({ mid: 'm', rid: 'r', usage: U(1, 1), extra: { version: 'dev' } })),
    undefined,
  );
  assert.equal(parseClaudeLine(assistant({ mid: 'm', rid: 'r', usage: U(1, 1), ts: 'yesterday' })), undefined);
  assert.equal(
    parseClaudeLine(assistant({ mid: 'm', rid: 'r', usage: { ...U(1, 1), cache_read_input_tokens: null } })),
    undefined,
  );
});

test('<synthetic> is not a model; fast mode is reported as its own model', () => {
  const syn = parseClaudeLine(assistant({ mid: 'x', model: '<synthetic>', usage: U(0, 0) }));
  assert.ok(syn);
  assert.equal(syn.model, undefined);
  const fast = parseClaudeLine(
    assistant({ mid: 'f', rid: 'r', model: 'claude-opus-4-1-20250805', usage: { ...U(10, 640), speed: 'fast' } }),
  );
  assert.equal(fast?.model, 'claude-opus-4-1-20250805-fast');
  assert.deepEqual(totalsByModel([syn]), {});
});

test('a response streamed over several lines counts once, with its largest usage', () => {
  const d = new ClaudeUsageDeduper();
  const kinds = [U(3, 12, 5120, 14873), U(3, 12, 5120, 14873), U(3, 187, 5120, 14873), U(3, 150, 5120, 14873)].map(
    (u) => d.add(parseClaudeLine(assistant({ mid: 'msg_A', rid: 'req_A', usage: u }))!).kind,
  );
  assert.deepEqual(kinds, ['new', 'duplicate', 'replaced', 'duplicate']);
  assert.deepEqual(totalsByModel(d.kept), {
    [SONNET]: { input: 3, output: 187, cacheCreation: 5120, cacheRead: 14873 },
  });
});

test('a sidechain replay under a new request id is not new usage, in either order', () => {
  const original = parseClaudeLine(assistant({ mid: 'msg_B', rid: 'req_B', usage: U(5, 402, 812, 19993) }))!;
  const replay = parseClaudeLine(assistant({ mid: 'msg_B', rid: 'req_Z', side: true, usage: U(5, 402, 812, 19993) }))!;
  const later = parseClaudeLine(assistant({ mid: 'msg_B', rid: 'req_B', usage: U(5, 500, 812, 19993) }))!;

  const d1 = new ClaudeUsageDeduper();
  assert.equal(d1.add(original).kind, 'new');
  assert.equal(d1.add(replay).kind, 'duplicate');
  assert.equal(d1.kept.length, 1);

  // Replay first (a file that sorts earlier): the original replaces it, and the original's later,
  // larger line still matches the original.
  const d2 = new ClaudeUsageDeduper();
  assert.equal(d2.add(replay).kind, 'new');
  assert.equal(d2.add(original).kind, 'replaced');
  assert.equal(d2.add(later).kind, 'replaced');
  assert.equal(d2.kept.length, 1);
  assert.equal(d2.kept[0].usage.output, 500);
  assert.equal(d2.kept[0].sidechain, false);
});

test('a non-sidechain line with the same message id but another request id is a separate response', () => {
  const d = new ClaudeUsageDeduper();
  d.add(parseClaudeLine(assistant({ mid: 'msg_C', rid: 'req_1', usage: U(1, 10) }))!);
  assert.equal(d.add(parseClaudeLine(assistant({ mid: 'msg_C', rid: 'req_2', usage: U(1, 10) }))!).kind, 'new');
});

test('lines without a message id are all counted (nothing to deduplicate them by)', () => {
  const d = new ClaudeUsageDeduper();
  d.add(parseClaudeLine(assistant({ rid: 'r', usage: U(1, 2) }))!);
  d.add(parseClaudeLine(assistant({ rid: 'r', usage: U(1, 2) }))!);
  assert.deepEqual(totalsByModel(d.kept)[SONNET], { input: 2, output: 4, cacheCreation: 0, cacheRead: 0 });
});

test('the deduper continues from its saved state', () => {
  const d1 = new ClaudeUsageDeduper();
  d1.add(parseClaudeLine(assistant({ mid: 'msg_D', rid: 'req_D', usage: U(1, 10) }))!);
  const saved = JSON.parse(JSON.stringify(d1.kept));
  const d2 = new ClaudeUsageDeduper(saved);
  const r = d2.add(parseClaudeLine(assistant({ mid: 'msg_D', rid: 'req_D', usage: U(1, 30) }))!);
  assert.equal(r.kind, 'replaced');
  assert.equal(r.kind === 'replaced' && r.previous.usage.output, 10);
});

function newLines(f: string, offset: number, opts: { chunkBytes?: number; maxLineBytes?: number } = {}) {
  const lines: string[] = [];
  const r = forEachLine(f, (l) => lines.push(l), { offset, ...opts });
  return { ...r, lines };
}

test('forEachLine delivers complete lines only and resumes after them, whatever the chunk size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devtime-lines-'));
  const f = join(dir, 't.jsonl');
  for (const chunkBytes of [1, 3, 7, 1 << 20]) {
    writeFileSync(f, '{"a":1}\n{"b":2,"é":"ü"}\n{"c":');
    const first = newLines(f, 0, { chunkBytes });
    assert.deepEqual(first.lines, ['{"a":1}', '{"b":2,"é":"ü"}']);
    assert.equal(first.offset, Buffer.byteLength('{"a":1}\n{"b":2,"é":"ü"}\n'));
    appendFileSync(f, '3}\n');
    const second = newLines(f, first.offset, { chunkBytes });
    assert.deepEqual(second.lines, ['{"c":3}']);
    assert.deepEqual(newLines(f, second.offset, { chunkBytes }).lines, []);
    writeFileSync(f, '{"new":1}\n'); // replaced by a shorter file
    const third = newLines(f, second.offset, { chunkBytes });
    assert.equal(third.restarted, true);
    assert.deepEqual(third.lines, ['{"new":1}']);
  }
  assert.deepEqual(newLines(join(dir, 'missing.jsonl'), 0).lines, []);
});

test('forEachLine skips a line longer than the limit without holding it, and reads on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devtime-lines-'));
  const f = join(dir, 't.jsonl');
  writeFileSync(f, `{"a":1}\n{"big":"${'x'.repeat(5000)}"}\n{"b":2}\n`);
  const r = newLines(f, 0, { chunkBytes: 64, maxLineBytes: 1000 });
  assert.deepEqual(r.lines, ['{"a":1}', '{"b":2}']);
  assert.equal(r.skipped, 1);
  assert.equal(r.offset, statSync(f).size);
});
