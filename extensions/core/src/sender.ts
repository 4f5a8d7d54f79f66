import { hostname } from 'node:os';
import type { Heartbeat } from './heartbeat.js';
import type { DurableQueue, Logger, Outcome } from './queue.js';
import { silentLogger } from './queue.js';

/** WakaTime's bulk route takes at most 25 heartbeats per request. */
export const MAX_BATCH = 25;

export const BULK_PATH = '/api/v1/users/current/heartbeats.bulk';
export const STATUSBAR_PATH = '/api/v1/users/current/statusbar/today';

export interface SenderOptions {
  endpoint: string;
  apiKey: string | undefined;
  /** Request-level user agent (each heartbeat carries its own `user_agent` too). */
  userAgent: string;
  machineName?: string;
  /** Per-request timeout. Default 10 s: a cold Lambda can take a few seconds. */
  timeoutMs?: number;
  /** Pause before the one retry of a request API Gateway itself failed (see isGatewayFailure). Default 3 s. */
  gatewayRetryMs?: number;
  fetch?: typeof fetch;
}

/**
 * API Gateway's own 5xx answer, `{"message": "Internal Server Error"}` (DevTime's handlers answer
 * `{"error": "..."}`): the function did not run or did not answer. It is what a SnapStart function version
 * idle for 14 days gives once while Lambda restores it (Lambda's SnapStartNotReadyException), so it is worth
 * one retry after a pause. Safe for the bulk route: the server keeps a heartbeat it already has once.
 */
export function isGatewayFailure(status: number, text: string): boolean {
  if (status !== 500 && status !== 502 && status !== 503) return false;
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    return typeof body.message === 'string' && body.error === undefined;
  } catch {
    return false;
  }
}

export type BatchResult =
  | { ok: true; outcomes: Outcome[]; errors: (string | undefined)[] }
  | { ok: false; error: string; status?: number; unauthorized?: boolean; retryAfterMs?: number };

/** Posts heartbeats to the WakaTime-compatible bulk route and reads the per-item answers. */
export class Sender {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: SenderOptions) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  headers(): Record<string, string> {
    const h: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': this.options.userAgent,
      'X-Machine-Name': this.options.machineName ?? hostname(),
    };
    // WakaTime's form: Basic base64(key), no colon.
    if (this.options.apiKey) h.Authorization = `Basic ${Buffer.from(this.options.apiKey).toString('base64')}`;
    return h;
  }

  async sendBatch(heartbeats: Heartbeat[]): Promise<BatchResult> {
    if (heartbeats.length > MAX_BATCH) throw new Error(`at most ${MAX_BATCH} heartbeats per request`);
    if (!this.options.apiKey) return { ok: false, error: 'no API key configured', unauthorized: true };
    let response: Response;
    let text: string;
    try {
      ({ response, text } = await this.exchange(BULK_PATH, { method: 'POST', body: JSON.stringify(heartbeats) }));
    } catch (e) {
      const err = e as Error;
      const reason = err.name === 'TimeoutError' || err.name === 'AbortError' ? 'request timed out' : describe(err);
      return { ok: false, error: reason };
    }
    if (response.status === 401 || response.status === 403) {
      return { ok: false, status: response.status, unauthorized: true, error: `${response.status} ${errorText(text)}` };
    }
    if (response.status !== 200 && response.status !== 201 && response.status !== 202) {
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        ok: false,
        status: response.status,
        error: `${response.status} ${errorText(text)}`,
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      };
    }
    let responses: unknown;
    try {
      responses = (JSON.parse(text) as { responses?: unknown }).responses;
    } catch {
      return { ok: false, status: response.status, error: 'unreadable response body' };
    }
    if (!Array.isArray(responses))
      return { ok: false, status: response.status, error: 'response has no "responses" array' };
    const outcomes: Outcome[] = [];
    const errors: (string | undefined)[] = [];
    for (let i = 0; i < heartbeats.length; i++) {
      const tuple = responses[i] as unknown;
      const status = Array.isArray(tuple) ? Number(tuple[1]) : NaN;
      if (status >= 200 && status < 300) {
        outcomes.push('sent');
        errors.push(undefined);
      } else if (status === 400) {
        // The server will never take this one: drop it rather than retry forever.
        outcomes.push('dropped');
        errors.push(errorText(JSON.stringify(Array.isArray(tuple) ? tuple[0] : tuple)));
      } else {
        outcomes.push('retry');
        errors.push(Number.isNaN(status) ? 'no answer for this item' : `status ${status}`);
      }
    }
    return { ok: true, outcomes, errors };
  }

  /** `GET statusbar/today`: today's total as WakaTime's text ("3 hrs 20 mins"), or undefined. */
  async todayText(): Promise<{ text: string; totalSeconds: number } | undefined> {
    if (!this.options.apiKey) return undefined;
    const { response, text } = await this.exchange(STATUSBAR_PATH, {});
    if (!response.ok) throw new Error(`statusbar/today answered ${response.status}`);
    const body = JSON.parse(text) as { data?: { grand_total?: { text?: string; total_seconds?: number } } };
    const gt = body.data?.grand_total;
    if (!gt) return undefined;
    return { text: gt.text ?? '', totalSeconds: Number(gt.total_seconds ?? 0) };
  }

  /** One request and its body, sent once more after a pause when API Gateway itself failed it. */
  private async exchange(path: string, init: RequestInit): Promise<{ response: Response; text: string }> {
    const once = async () => {
      const response = await this.fetchImpl(this.options.endpoint + path, {
        ...init,
        headers: this.headers(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      // The body read is under the same timeout signal: a server that stalls mid-body times out too.
      return { response, text: await response.text() };
    };
    const first = await once();
    if (!isGatewayFailure(first.response.status, first.text)) return first;
    await new Promise((r) => setTimeout(r, this.options.gatewayRetryMs ?? 3000));
    return once();
  }
}

export interface FlushOptions {
  /** Delays between the tries of one batch. Default 200 ms, 500 ms, 1 s (each ±25% jitter). */
  retryDelaysMs?: number[];
  /** Stop after this many batches (a short-lived hook sends a little and leaves). */
  maxBatches?: number;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface FlushResult {
  sent: number;
  dropped: number;
  /** Heartbeats still queued after this flush gave up (offline, server error, no key). */
  remaining: number;
  /** Set when the flush stopped on a failure. */
  error?: string;
  unauthorized?: boolean;
  retryAfterMs?: number;
}

export const DEFAULT_RETRY_DELAYS_MS = [200, 500, 1000];

/**
 * Sends the queue, oldest first, 25 at a time, until it is empty or a batch still fails after
 * its retries. Each batch is claimed before sending and settled after, so a crash mid-send only
 * delays those heartbeats (another process takes the claim back) and never loses them.
 */
export async function flushQueue(
  queue: DurableQueue,
  sender: Sender,
  options: FlushOptions = {},
): Promise<FlushResult> {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const logger = options.logger ?? silentLogger;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const result: FlushResult = { sent: 0, dropped: 0, remaining: 0 };
  let batches = 0;
  while (options.maxBatches === undefined || batches < options.maxBatches) {
    const claim = await queue.claim(MAX_BATCH);
    if (claim.entries.length === 0) break;
    batches++;
    let answer: BatchResult = await sender.sendBatch(claim.entries.map((e) => e.heartbeat));
    for (let attempt = 0; !answer.ok && !answer.unauthorized && attempt < delays.length; attempt++) {
      await sleep(jitter(delays[attempt]!, random));
      answer = await sender.sendBatch(claim.entries.map((e) => e.heartbeat));
    }
    const outcomes = new Map<string, Outcome>();
    if (answer.ok) {
      claim.entries.forEach((e, i) => {
        const outcome = answer.ok ? answer.outcomes[i]! : 'retry';
        outcomes.set(e.id, outcome);
        if (outcome === 'sent') result.sent++;
        if (outcome === 'dropped') {
          result.dropped++;
          logger.warn(`DevTime: server rejected a heartbeat, dropped it: ${answer.ok ? answer.errors[i] : ''}`);
        }
      });
    }
    await queue.complete(claim, outcomes);
    if (!answer.ok) {
      result.error = answer.error;
      result.unauthorized = answer.unauthorized;
      result.retryAfterMs = answer.retryAfterMs;
      break;
    }
    if (answer.outcomes.includes('retry')) {
      result.error = 'the server asked to retry some heartbeats';
      break;
    }
  }
  result.remaining = await queue.size();
  return result;
}

function jitter(ms: number, random: () => number): number {
  return Math.round(ms * (0.75 + random() * 0.5));
}

function errorText(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: unknown };
    if (j && typeof j.error === 'string') return j.error;
  } catch {
    /* not JSON */
  }
  return text.slice(0, 200);
}

function describe(err: Error): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? err.message;
}
