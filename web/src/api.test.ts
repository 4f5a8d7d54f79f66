import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApi, isGatewayFailure } from './api';

const GATEWAY_500 = () => new Response(JSON.stringify({ message: 'Internal Server Error' }), { status: 500 });
const HANDLER_500 = () =>
  new Response(JSON.stringify({ error: 'internal error; it has been logged' }), { status: 500 });
const OK = () => new Response(JSON.stringify({ total_seconds: 60 }), { status: 200 });

/** fetch answering each call with the next of {@code answers}; the calls are recorded. */
function stubFetch(...answers: (() => Response)[]) {
  const calls: { url: string; method: string }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, method: init.method ?? 'GET' });
    const next = answers[Math.min(calls.length, answers.length) - 1]!;
    return next();
  });
  return calls;
}

const api = () =>
  createApi(
    'https://api.example.com',
    () => 'token',
    () => {},
    { gatewayRetryMs: 5 },
  );

describe('an answer API Gateway itself failed (an idle SnapStart version restoring)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is asked once more for reads, after a pause', async () => {
    const calls = stubFetch(GATEWAY_500, OK);
    expect(await api().get('/api/stats?range=today')).toEqual({ total_seconds: 60 });
    expect(calls).toEqual([
      { url: 'https://api.example.com/api/stats?range=today', method: 'GET' },
      { url: 'https://api.example.com/api/stats?range=today', method: 'GET' },
    ]);
  });

  it('is asked once more for export pages too', async () => {
    const calls = stubFetch(GATEWAY_500, () => new Response('[]', { status: 200, headers: { 'X-Next-Cursor': 'c2' } }));
    expect(await api().page('/api/export?format=json')).toEqual({ text: '[]', headerCursor: 'c2' });
    expect(calls.length).toBe(2);
  });

  it('is reported after the second failure, once', async () => {
    const calls = stubFetch(GATEWAY_500, GATEWAY_500);
    await expect(api().get('/api/stats')).rejects.toEqual(new ApiError(500, 'Internal Server Error'));
    expect(calls.length).toBe(2);
  });

  it("is not repeated for writes, nor is a handler's own 500", async () => {
    let calls = stubFetch(GATEWAY_500, OK);
    await expect(api().send('POST', '/api/auth/token', { label: 'ci' })).rejects.toBeInstanceOf(ApiError);
    expect(calls.length).toBe(1);
    calls = stubFetch(HANDLER_500, OK);
    await expect(api().get('/api/stats')).rejects.toEqual(new ApiError(500, 'internal error; it has been logged'));
    expect(calls.length).toBe(1);
  });

  it('is told from DevTime answers by its body', () => {
    expect(isGatewayFailure(500, '{"message":"Internal Server Error"}')).toBe(true);
    expect(isGatewayFailure(503, '{"message":"Service Unavailable"}')).toBe(true);
    expect(isGatewayFailure(500, '{"error":"internal error; it has been logged"}')).toBe(false);
    expect(isGatewayFailure(429, '{"message":"Too Many Requests"}')).toBe(false);
    expect(isGatewayFailure(502, 'Bad Gateway')).toBe(false);
  });
});
