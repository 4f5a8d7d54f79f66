import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import type { Heartbeat } from '../src/index.js';
import { DurableQueue, flushQueue, isGatewayFailure, Sender, Uploader, type UploaderStatus } from '../src/index.js';
import { startFakeServer, type FakeServer } from './fake-server.js';
import { tempDir } from './temp.js';

let server: FakeServer;
before(async () => {
  server = await startFakeServer();
});
after(() => server.close());
beforeEach(() => {
  server.reset();
});

const FAST = { retryDelaysMs: [5, 10, 20] };
const UA = 'devtime/0.1.0 (linux-x64) node/20.20.2 vscode/1.95.0 devtime-vscode/0.1.0';

function queue(): DurableQueue {
  return new DurableQueue({ dir: tempDir('devtime-send-') });
}

function sender(opts: { timeoutMs?: number; apiKey?: string; gatewayRetryMs?: number } = {}): Sender {
  return new Sender({
    endpoint: server.url,
    apiKey: opts.apiKey ?? 'waka_6f1c3d2e-0b7a-4c5e-9f8d-1a2b3c4d5e6f',
    userAgent: UA,
    timeoutMs: opts.timeoutMs ?? 500,
    gatewayRetryMs: opts.gatewayRetryMs,
  });
}

function heartbeats(n: number, prefix = 'f'): Heartbeat[] {
  return Array.from({ length: n }, (_, i) => ({
    entity: `/home/me/app/src/${prefix}${i}.ts`,
    type: 'file' as const,
    category: 'coding',
    time: 1_795_000_000.123 + i,
    tool: 'vscode',
    user_agent: UA,
    project: 'app',
    language: 'TypeScript',
  }));
}

function entities(items: readonly { entity?: unknown }[]): unknown[] {
  return items.map((h) => h.entity);
}

test('posts WakaTime-shaped batches of at most 25, oldest first, with the expected headers', async () => {
  const q = queue();
  const hbs = heartbeats(60);
  await q.enqueue(hbs);
  const r = await flushQueue(q, sender(), FAST);
  assert.deepEqual(r, { sent: 60, dropped: 0, remaining: 0 });
  assert.deepEqual(
    server.requests.map((x) => x.items.length),
    [25, 25, 10],
  );
  assert.deepEqual(entities(server.accepted()), entities(hbs));
  const req = server.requests[0]!;
  assert.equal(req.path, '/api/v1/users/current/heartbeats.bulk');
  assert.equal(
    req.headers.authorization,
    `Basic ${Buffer.from('waka_6f1c3d2e-0b7a-4c5e-9f8d-1a2b3c4d5e6f').toString('base64')}`,
  );
  assert.equal(req.headers['user-agent'], UA);
  assert.equal(req.headers['x-machine-name'], hostname());
  assert.equal(req.headers['content-type'], 'application/json');
  assert.deepEqual(req.items[0], hbs[0], 'the queued heartbeat is sent unchanged');
});

test('a failing server is retried after 200, 500 and 1000 ms with jitter, then the batch stays queued', async () => {
  const q = queue();
  await q.enqueue(heartbeats(3));
  server.behave = () => 'fail';
  const slept: number[] = [];
  const r = await flushQueue(q, sender(), { sleep: async (ms) => void slept.push(ms), random: () => 0.5 });
  assert.deepEqual(slept, [200, 500, 1000]);
  assert.equal(server.requests.length, 4);
  assert.equal(r.sent, 0);
  assert.equal(r.remaining, 3);
  assert.match(r.error!, /500 internal error/);
  // Jitter stays within ±25%.
  const low: number[] = [];
  await flushQueue(q, sender(), { sleep: async (ms) => void low.push(ms), random: () => 0 });
  assert.deepEqual(low, [150, 375, 750]);
});

test('recovers within the retries: sent once, nothing left', async () => {
  const q = queue();
  await q.enqueue(heartbeats(5));
  let n = 0;
  server.behave = () => (++n <= 2 ? 'fail' : 'ok');
  const r = await flushQueue(q, sender(), FAST);
  assert.equal(r.sent, 5);
  assert.equal(r.error, undefined);
  assert.equal(server.requests.length, 3);
  assert.deepEqual(entities(server.accepted()), entities(heartbeats(5)));
});

test('timeouts (no answer, or a body that never ends) keep everything; recovery sends each once', async () => {
  const q = queue();
  const hbs = heartbeats(40);
  await q.enqueue(hbs);
  for (const mode of ['hang', 'stall', 'reset'] as const) {
    server.behave = () => mode;
    const started = Date.now();
    const r = await flushQueue(q, sender({ timeoutMs: 150 }), FAST);
    assert.equal(r.sent, 0, mode);
    assert.equal(r.remaining, 40, mode);
    if (mode !== 'reset') {
      assert.equal(r.error, 'request timed out');
      assert.ok(Date.now() - started >= 4 * 150, 'each try waited for its timeout');
    }
  }
  server.behave = () => 'ok';
  const r = await flushQueue(q, sender(), FAST);
  assert.equal(r.sent, 40);
  assert.equal(r.remaining, 0);
  assert.deepEqual(entities(server.accepted()), entities(hbs), 'each accepted once, in order');
});

test('an unreachable server: offline, nothing lost', async () => {
  const q = queue();
  await q.enqueue(heartbeats(2));
  // A port that was free a moment ago: nothing listens there.
  const gone = await startFakeServer();
  await gone.close();
  const s = new Sender({ endpoint: gone.url, apiKey: 'k', userAgent: UA, timeoutMs: 500 });
  const r = await flushQueue(q, s, FAST);
  assert.equal(r.sent, 0);
  assert.equal(r.remaining, 2);
  assert.equal(r.error, 'ECONNREFUSED');
});

test('per-item answers: 400 dropped, other failures retried later, accepted ones never resent', async () => {
  const q = queue();
  const hbs = heartbeats(6);
  await q.enqueue(hbs);
  const warnings: string[] = [];
  server.behave = (items) => (items.length === 6 ? { statuses: [201, 400, 500, 202, 429, 201] } : 'ok');
  const r1 = await flushQueue(q, sender(), { ...FAST, logger: { warn: (m) => warnings.push(m) } });
  assert.equal(r1.sent, 3);
  assert.equal(r1.dropped, 1);
  assert.equal(r1.remaining, 2);
  assert.match(warnings[0]!, /rejected.*more than 1 h in the future/);
  const r2 = await flushQueue(q, sender(), FAST);
  assert.equal(r2.sent, 2);
  assert.deepEqual(
    server.requests[1]!.items.map((h) => h.entity),
    [hbs[2]!.entity, hbs[4]!.entity],
    'only the retryable ones, in order',
  );
  assert.deepEqual(entities(server.accepted()).sort(), entities([hbs[0]!, hbs[2]!, hbs[3]!, hbs[4]!, hbs[5]!]).sort());
});

test('a short responses array retries the unanswered items', async () => {
  const q = queue();
  await q.enqueue(heartbeats(3));
  // An answer with fewer tuples than items (a proxy or an older server): cut the real answer short.
  const s = new Sender({
    endpoint: server.url,
    apiKey: 'k',
    userAgent: UA,
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      const body = (await res.json()) as { responses: unknown[] };
      return new Response(JSON.stringify({ responses: body.responses.slice(0, 1) }), { status: 202 });
    },
  });
  const r = await flushQueue(q, s, FAST);
  assert.equal(r.sent, 1);
  assert.equal(r.remaining, 2);
});

test('401 is not retried fast and keeps the queue', async () => {
  const q = queue();
  await q.enqueue(heartbeats(2));
  server.behave = () => 'unauthorized';
  const r = await flushQueue(q, sender(), FAST);
  assert.equal(server.requests.length, 1);
  assert.equal(r.unauthorized, true);
  assert.equal(r.remaining, 2);
  const noKey = await flushQueue(q, sender({ apiKey: '' }), FAST);
  assert.equal(noKey.unauthorized, true);
  assert.equal(server.requests.length, 1, 'no request without a key');
});

test('the uploader backs off while offline and drains on recovery', async () => {
  const q = queue();
  await q.enqueue(heartbeats(30));
  server.behave = () => 'fail';
  const statuses: UploaderStatus[] = [];
  const up = new Uploader({
    queue: q,
    sender: sender(),
    offlineBaseMs: 30,
    offlineMaxMs: 60,
    debounceMs: 1,
    onStatus: (s) => statuses.push(s),
  });
  up.start();
  await waitFor(() => statuses.filter((s) => s.state === 'offline').length >= 2);
  const offline = statuses.find((s) => s.state === 'offline')!;
  assert.equal(offline.queued, 30);
  assert.match(offline.lastError!, /500/);
  server.behave = () => 'ok';
  await waitFor(() => statuses.at(-1)?.state === 'idle');
  up.dispose();
  assert.equal(statuses.at(-1)!.queued, 0);
  assert.deepEqual(entities(server.accepted()), entities(heartbeats(30)));
});

test("API Gateway's own 500 (an idle SnapStart version restoring) is sent once more after a pause, inside the same try", async () => {
  const q = queue();
  await q.enqueue(heartbeats(3));
  let n = 0;
  server.behave = () => (++n === 1 ? 'gateway' : 'ok');
  const slept: number[] = [];
  const started = Date.now();
  const r = await flushQueue(q, sender({ gatewayRetryMs: 120 }), { ...FAST, sleep: async (ms) => void slept.push(ms) });
  assert.deepEqual(r, { sent: 3, dropped: 0, remaining: 0 });
  assert.equal(server.requests.length, 2);
  assert.deepEqual(server.requests[1]!.items, server.requests[0]!.items, 'the same batch again');
  assert.deepEqual(slept, [], "the flush's own retries were not needed");
  assert.ok(Date.now() - started >= 120, 'waited before the retry');
  assert.deepEqual(entities(server.accepted()), entities(heartbeats(3)));
});

test("a handler's own 500 is not retried by the sender, and a gateway failure only once", async () => {
  server.behave = () => 'fail';
  const handler = await sender({ gatewayRetryMs: 1 }).sendBatch(heartbeats(1));
  assert.equal(handler.ok, false);
  assert.equal(server.requests.length, 1);
  server.requests.length = 0;
  server.behave = () => 'gateway';
  const gateway = await sender({ gatewayRetryMs: 1 }).sendBatch(heartbeats(1));
  assert.equal(gateway.ok, false);
  assert.equal(!gateway.ok && gateway.status, 500);
  assert.equal(server.requests.length, 2);
});

test('isGatewayFailure tells API Gateway answers from DevTime answers', () => {
  assert.equal(isGatewayFailure(500, '{"message":"Internal Server Error"}'), true);
  assert.equal(isGatewayFailure(502, '{"message":"Internal Server Error"}'), true);
  assert.equal(isGatewayFailure(503, '{"message":"Service Unavailable"}'), true);
  assert.equal(isGatewayFailure(500, '{"error":"internal error; it has been logged"}'), false);
  assert.equal(isGatewayFailure(429, '{"message":"Too Many Requests"}'), false);
  assert.equal(isGatewayFailure(500, '<html>proxy error</html>'), false);
});

test('todayText asks once more when API Gateway itself failed the first request', async () => {
  let calls = 0;
  const s = new Sender({
    endpoint: 'http://devtime.invalid',
    apiKey: 'k',
    userAgent: UA,
    gatewayRetryMs: 1,
    fetch: async () =>
      ++calls === 1
        ? new Response(JSON.stringify({ message: 'Internal Server Error' }), { status: 500 })
        : new Response(JSON.stringify({ data: { grand_total: { text: '1 min', total_seconds: 60 } } })),
  });
  assert.deepEqual(await s.todayText(), { text: '1 min', totalSeconds: 60 });
  assert.equal(calls, 2);
});

test('todayText reads statusbar/today', async () => {
  const s = new Sender({
    endpoint: 'http://devtime.invalid',
    apiKey: 'k',
    userAgent: UA,
    fetch: async (url) => {
      assert.equal(String(url), 'http://devtime.invalid/api/v1/users/current/statusbar/today');
      return new Response(JSON.stringify({ data: { grand_total: { text: '3 hrs 20 mins', total_seconds: 12000 } } }));
    },
  });
  assert.deepEqual(await s.todayText(), { text: '3 hrs 20 mins', totalSeconds: 12000 });
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
