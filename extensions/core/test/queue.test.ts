import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Heartbeat, Outcome } from '../src/index.js';
import { DurableQueue } from '../src/index.js';
import { startFakeServer } from './fake-server.js';
import { tempDir } from './temp.js';

const here = dirname(fileURLToPath(import.meta.url));
const WRITER = join(here, 'fixtures', 'queue-writer.js');
const FLUSHER = join(here, 'fixtures', 'queue-flusher.js');

function hb(entity: string, i = 0): Heartbeat {
  return {
    entity,
    type: 'file',
    category: 'coding',
    time: 1_795_000_000 + i,
    tool: 'test',
    user_agent: 'devtime-test/0',
  };
}

async function drainAll(q: DurableQueue): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const claim = await q.claim(25);
    if (claim.entries.length === 0) return out;
    out.push(...claim.entries.map((e) => e.heartbeat.entity));
    await q.complete(claim, new Map(claim.entries.map((e) => [e.id, 'sent' as Outcome])));
  }
}

function run(
  args: string[],
  opts: { killAfterLines?: number } = {},
): Promise<{ lines: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts);
      if (opts.killAfterLines !== undefined && lines.length >= opts.killAfterLines) child.kill('SIGKILL');
    });
    child.on('error', reject);
    // 'close', not 'exit': only then has all of the child's output been read.
    child.on('close', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`child exited ${code}`));
      else resolve({ lines, signal });
    });
  });
}

test('FIFO across enqueue, claim, retry and restart', async () => {
  const dir = tempDir('devtime-queue-');
  const q = new DurableQueue({ dir });
  await q.enqueue(['a', 'b', 'c', 'd'].map((e, i) => hb(e, i)));
  const claim = await q.claim(2);
  assert.deepEqual(
    claim.entries.map((e) => e.heartbeat.entity),
    ['a', 'b'],
  );
  assert.equal(await q.size(), 2, 'claimed entries are out of the queue');
  // 'a' was sent, 'b' must be retried: it goes back to the head.
  await q.complete(claim, new Map([[claim.entries[0]!.id, 'sent' as Outcome]]));
  await q.enqueue([hb('e', 5)]);
  const restarted = new DurableQueue({ dir });
  assert.deepEqual(await drainAll(restarted), ['b', 'c', 'd', 'e']);
  assert.equal(await restarted.size(), 0);
});

test('bounded: the oldest are dropped with a warning', async () => {
  const warnings: string[] = [];
  const q = new DurableQueue({
    dir: tempDir('devtime-queue-'),
    maxSize: 10,
    logger: { warn: (m) => warnings.push(m) },
  });
  for (let i = 0; i < 15; i++) await q.enqueue([hb(`h${i}`, i)]);
  assert.equal(await q.size(), 10);
  assert.deepEqual(
    (await q.peek(100)).map((e) => e.heartbeat.entity),
    Array.from({ length: 10 }, (_, i) => `h${i + 5}`),
  );
  assert.equal(warnings.length, 5);
  assert.match(warnings[0]!, /full \(10\).*dropped/);
});

test('a writer killed mid-write leaves whole entries only, in order, and a restart goes on', async () => {
  const dir = tempDir('devtime-queue-');
  for (let round = 0; round < 5; round++) {
    const { lines, signal } = await run([WRITER, dir, `w${round}`, '100000'], { killAfterLines: 150 + round * 37 });
    assert.equal(signal, 'SIGKILL');
    const durable = lines.length; // every printed index was enqueued before the kill
    const q = new DurableQueue({ dir });
    const entries = (await q.peek(1_000_000)).filter((e) => e.heartbeat.entity.startsWith(`w${round}-`));
    // Everything reported durable is there; at most a few more (written but not yet reported).
    assert.ok(entries.length >= durable, `${entries.length} >= ${durable}`);
    assert.ok(entries.length <= durable + 2);
    assert.deepEqual(
      entries.map((e) => e.heartbeat.entity),
      entries.map((_, i) => `w${round}-${i}`),
      'no gap, no reordering',
    );
  }
  // A crash between write and rename leaves a temp file, which is never read as an entry.
  writeFileSync(join(dir, 'tmp', '00000000000001-000001-dead'), '{"entity":"half');
  // A power loss can leave a renamed but empty file: discarded with a warning, not a crash.
  writeFileSync(join(dir, '00000000000002-000001-dead.json'), '');
  const warnings: string[] = [];
  const q = new DurableQueue({ dir, logger: { warn: (m) => warnings.push(m) } });
  const all = await drainAll(q);
  assert.ok(all.length >= 150 * 5 + 37 * 10);
  assert.ok(!all.some((e) => e.includes('half')));
  assert.equal(warnings.filter((w) => w.includes('unreadable')).length, 1);
  assert.equal(await q.size(), 0);
});

test('several processes writing at once lose nothing and keep each writer in order', async () => {
  const dir = tempDir('devtime-queue-');
  const writers = 4;
  const per = 150;
  await Promise.all(Array.from({ length: writers }, (_, w) => run([WRITER, dir, `p${w}`, String(per)])));
  const q = new DurableQueue({ dir });
  const all = await drainAll(q);
  assert.equal(all.length, writers * per);
  assert.equal(new Set(all).size, writers * per, 'no duplicates');
  for (let w = 0; w < writers; w++) {
    const mine = all.filter((e) => e.startsWith(`p${w}-`));
    assert.deepEqual(
      mine,
      Array.from({ length: per }, (_, i) => `p${w}-${i}`),
      `writer ${w} in order`,
    );
  }
  assert.deepEqual(readdirSync(join(dir, 'tmp')), [], 'no temp files left');
});

test('concurrent writers and senders: every heartbeat reaches the server exactly once', async () => {
  const dir = tempDir('devtime-queue-');
  const server = await startFakeServer();
  try {
    // Flaky server: every 5th request fails, so claims are returned and re-sent meanwhile.
    let n = 0;
    server.behave = () => (++n % 5 === 0 ? 'fail' : 'ok');
    const flushers = [0, 1, 2].map(() => {
      const child = spawn(process.execPath, [FLUSHER, dir, server.url], { stdio: ['pipe', 'pipe', 'inherit'] });
      const done = new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`flusher exited ${code}`))));
      });
      return { child, done };
    });
    await Promise.all([0, 1, 2].map((w) => run([WRITER, dir, `c${w}`, '120'])));
    for (const f of flushers) f.child.stdin.end();
    const outs = await Promise.all(flushers.map((f) => f.done));
    const accepted = server.accepted().map((h) => h.entity);
    assert.equal(accepted.length, 360, 'all accepted');
    assert.equal(new Set(accepted).size, 360, 'none accepted twice');
    const reported = outs.reduce((s, o) => s + Number(/sent (\d+)/.exec(o)![1]), 0);
    assert.equal(reported, 360);
    assert.ok(server.requests.length > 360 / 25, 'work was split between senders');
    assert.equal(await new DurableQueue({ dir }).size(), 0);
  } finally {
    await server.close();
  }
});

test('entries claimed by a sender that crashed are put back', async () => {
  const dir = tempDir('devtime-queue-');
  const q = new DurableQueue({ dir });
  await q.enqueue(Array.from({ length: 30 }, (_, i) => hb(`k${i}`, i)));
  const child = spawn(process.execPath, [FLUSHER, dir, 'http://127.0.0.1:9', 'claim-and-hang'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  assert.equal(await q.size(), 5, '25 claimed by the child');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const all = await drainAll(new DurableQueue({ dir }));
  assert.deepEqual(
    all,
    Array.from({ length: 30 }, (_, i) => `k${i}`),
    'taken back, original order',
  );
});

test('a claim older than the stale limit is taken back even if its owner lives', async () => {
  const dir = tempDir('devtime-queue-');
  let now = 1_000_000;
  const a = new DurableQueue({ dir, staleClaimMs: 60_000, now: () => now });
  await a.enqueue([hb('x'), hb('y', 1)]);
  const claim = await a.claim(25);
  assert.equal(claim.entries.length, 2);
  const b = new DurableQueue({ dir, staleClaimMs: 60_000, now: () => now });
  assert.equal((await b.claim(25)).entries.length, 0, 'a fresh claim of a live process is respected');
  now += 61_000;
  const taken = await b.claim(25);
  assert.deepEqual(
    taken.entries.map((e) => e.heartbeat.entity),
    ['x', 'y'],
  );
  // The slow first owner settles late: its entries are gone from claimed/, nothing breaks or doubles.
  await a.complete(claim, new Map());
  await b.complete(taken, new Map(taken.entries.map((e) => [e.id, 'sent' as Outcome])));
  assert.equal(await b.size(), 0);
});

test('clear empties the queue', async () => {
  const q = new DurableQueue({ dir: tempDir('devtime-queue-') });
  await q.enqueue([hb('a'), hb('b', 1)]);
  assert.equal(await q.clear(), 2);
  assert.equal(await q.size(), 0);
});

test('a burst of enqueues not awaited one by one: all written in order, trimmed once to the bound', async () => {
  const warnings: string[] = [];
  const q = new DurableQueue({
    dir: tempDir('devtime-queue-'),
    maxSize: 100,
    logger: { warn: (m) => warnings.push(m) },
  });
  await Promise.all(Array.from({ length: 1000 }, (_, i) => q.enqueue([hb(`b${i}`, i)])));
  assert.deepEqual(
    (await q.peek(1000)).map((e) => e.heartbeat.entity),
    Array.from({ length: 100 }, (_, i) => `b${i + 900}`),
  );
  assert.deepEqual(warnings, ['DevTime queue is full (100); dropped the 900 oldest heartbeat(s)']);
});
