// The uploader's timing (debounce, rate limit, sweep) on node's mocked clock, with a stand-in
// queue and flush: what matters here is when a flush starts, not what it sends.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { DurableQueue, FlushResult, Sender } from '../src/index.js';
import { Uploader } from '../src/index.js';

let pending: number;
let flushes: number[]; // seconds since the start of the test at which each flush started
let up: Uploader;

function uploader(minSendIntervalMs?: number): Uploader {
  const queue = { size: async () => pending } as unknown as DurableQueue;
  up = new Uploader({
    queue,
    sender: {} as Sender,
    minSendIntervalMs,
    flush: async (): Promise<FlushResult> => {
      flushes.push(Date.now() / 1000);
      const sent = pending;
      pending = 0;
      return { sent, dropped: 0, remaining: 0 };
    },
  });
  return up;
}

/** A heartbeat queued by this process. */
function enqueue(): void {
  pending++;
  up.notify();
}

/** Advances the clock in 1 s steps, letting each step's flush finish. */
async function advanceTo(seconds: number): Promise<void> {
  while (Date.now() < seconds * 1000) {
    mock.timers.tick(1000);
    await new Promise((r) => setImmediate(r));
    await up.idle();
  }
}

beforeEach(() => {
  pending = 0;
  flushes = [];
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 0 });
});

afterEach(() => {
  up.dispose();
  mock.timers.reset();
});

test('rate limit: heartbeats within the window go out together, when it ends', async () => {
  uploader(120_000).start(); // an empty queue: no request, so the window does not start
  await advanceTo(1);
  enqueue();
  await advanceTo(5);
  assert.deepEqual(flushes, [1, 2], 'the first heartbeat goes after the debounce');
  await advanceTo(10);
  enqueue();
  await advanceTo(20);
  enqueue();
  await advanceTo(121);
  assert.deepEqual(flushes, [1, 2], 'nothing before 120 s after the last send');
  await advanceTo(125);
  assert.deepEqual(flushes, [1, 2, 122], 'both in one flush');
  assert.equal(pending, 0);
  await advanceTo(200);
  enqueue();
  await advanceTo(245);
  assert.deepEqual(flushes, [1, 2, 122, 242]);
});

test('rate limit: the sweep waits for the window too; flushNow does not', async () => {
  uploader(120_000).start();
  await advanceTo(1);
  enqueue();
  await advanceTo(5);
  pending++; // queued by another process: only the sweep (every 60 s) notices it
  await advanceTo(119);
  assert.deepEqual(flushes, [1, 2], 'the 60 s sweep found it but waits for the window');
  await advanceTo(125);
  assert.deepEqual(flushes, [1, 2, 122]);
  enqueue();
  await advanceTo(130);
  await up.flushNow();
  assert.deepEqual(flushes, [1, 2, 122, 130], 'the flush command sends at once');
  await advanceTo(300);
  assert.deepEqual(flushes, [1, 2, 122, 130], 'the empty queue is not flushed by the sweep');
});

test('flushIfDue sends only when the window is open and something waits', async () => {
  uploader(120_000).start();
  await advanceTo(1);
  enqueue();
  await advanceTo(5);
  assert.equal(await up.flushIfDue(), false, 'queue empty');
  pending++;
  assert.equal(await up.flushIfDue(), false, 'window closed');
  await advanceTo(110);
  assert.deepEqual(flushes, [1, 2]);
  up.dispose();
  uploader(120_000); // not started: the window is open
  pending = 1;
  assert.equal(await up.flushIfDue(), true);
  assert.equal(flushes.at(-1), 110);
});

test('without a rate limit (0, the default) each burst goes after the debounce', async () => {
  for (const limit of [undefined, 0]) {
    flushes = [];
    mock.timers.reset();
    mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 0 });
    uploader(limit).start();
    await advanceTo(1);
    enqueue();
    await advanceTo(10);
    enqueue();
    await advanceTo(20);
    assert.deepEqual(flushes, [1, 2, 11], `limit ${limit}`);
    up.dispose();
  }
});
