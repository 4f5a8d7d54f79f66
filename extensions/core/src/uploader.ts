import type { DurableQueue, Logger } from './queue.js';
import { silentLogger } from './queue.js';
import type { FlushResult, Sender } from './sender.js';
import { flushQueue } from './sender.js';

export type UploaderState = 'idle' | 'sending' | 'offline' | 'unauthorized';

export interface UploaderStatus {
  state: UploaderState;
  lastError?: string;
  /** When the next automatic try is due (epoch ms), while offline. */
  nextTryAt?: number;
  queued: number;
}

export interface UploaderOptions {
  queue: DurableQueue;
  sender: Sender;
  logger?: Logger;
  /** Wait after an enqueue before sending, so a burst goes out as one request. Default 1 s. */
  debounceMs?: number;
  /** Offline backoff: first pause after a failed flush, doubled each time up to the max. */
  offlineBaseMs?: number;
  offlineMaxMs?: number;
  /** Background sweep, picking up what other processes queued. Default 60 s. */
  periodMs?: number;
  /**
   * Least time between the starts of two automatic sends (wakatime-cli's
   * `heartbeat_rate_limit_seconds`): each request costs the server, and the heartbeats wait safely
   * on disk meanwhile. `flushNow()` and back-off retries ignore it. Default 0: send after the debounce.
   */
  minSendIntervalMs?: number;
  onStatus?: (status: UploaderStatus) => void;
  flush?: typeof flushQueue;
}

/**
 * Keeps a long-running client's queue drained: sends shortly after new heartbeats, and while the
 * server is unreachable backs off (5 s, 10 s, 20 s, ... up to 5 min, with jitter) instead of
 * hammering it. Only one flush runs at a time in a process; other processes are kept apart by
 * the queue's claims.
 */
export class Uploader {
  private timer: NodeJS.Timeout | undefined;
  private periodic: NodeJS.Timeout | undefined;
  private running: Promise<FlushResult> | undefined;
  private failures = 0;
  /** When the last send that reached the server started; the rate limit counts from here. */
  private lastSendStart = -Infinity;
  private status: UploaderStatus = { state: 'idle', queued: 0 };
  private disposed = false;
  private readonly logger: Logger;

  constructor(private readonly options: UploaderOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  start(): void {
    const period = this.options.periodMs ?? 60_000;
    this.periodic = setInterval(() => {
      if (this.backingOff()) return;
      // An empty queue needs no run: a run reports 'idle', which makes the status bar ask the server.
      void this.options.queue.size().then(
        (n) => n > 0 && this.schedule(0),
        () => this.schedule(0),
      );
    }, period);
    this.periodic.unref?.();
    this.schedule(0);
  }

  /**
   * Call after enqueueing: sends after the debounce, or when the rate limit next allows, unless
   * the uploader is backing off.
   */
  notify(): void {
    if (this.backingOff()) return;
    this.schedule(this.options.debounceMs ?? 1000);
  }

  /**
   * Sends what is queued if the rate limit allows it now and the uploader is not backing off
   * (before the status bar asks for today's total). Resolves true when something was sent.
   */
  async flushIfDue(): Promise<boolean> {
    if (this.disposed || this.running || this.backingOff() || Date.now() < this.nextAllowed()) return false;
    if ((await this.options.queue.size().catch(() => 0)) === 0) return false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const r = await this.run();
    return r.sent + r.dropped > 0;
  }

  /** Sends now, ignoring any backoff (the "flush queue" command). */
  async flushNow(): Promise<FlushResult> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.run();
  }

  /** Resolves once no flush is running in this process (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  getStatus(): UploaderStatus {
    return { ...this.status };
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.periodic) clearInterval(this.periodic);
  }

  private backingOff(): boolean {
    return this.status.state === 'offline' || this.status.state === 'unauthorized';
  }

  private nextAllowed(): number {
    return this.lastSendStart + (this.options.minSendIntervalMs ?? 0);
  }

  private schedule(delayMs: number): void {
    if (this.disposed) return;
    if (this.timer) return; // one pending run is enough; it will send everything queued
    const delay = Math.max(delayMs, this.nextAllowed() - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
    this.timer.unref?.();
  }

  private run(): Promise<FlushResult> {
    if (this.running) return this.running;
    this.update({ state: 'sending' });
    const previousStart = this.lastSendStart;
    this.lastSendStart = Date.now();
    const flush = this.options.flush ?? flushQueue;
    this.running = flush(this.options.queue, this.options.sender, { logger: this.logger })
      .catch((e: Error): FlushResult => ({ sent: 0, dropped: 0, remaining: -1, error: e.message }))
      .then(async (result) => {
        this.running = undefined;
        // Nothing was queued, so no request went out: the rate limit window does not start.
        if (!result.error && result.sent + result.dropped === 0) this.lastSendStart = previousStart;
        const queued = result.remaining >= 0 ? result.remaining : await this.options.queue.size().catch(() => 0);
        if (!result.error) {
          this.failures = 0;
          this.update({ state: 'idle', lastError: undefined, nextTryAt: undefined, queued });
        } else {
          this.failures++;
          const base = this.options.offlineBaseMs ?? 5_000;
          const max = this.options.offlineMaxMs ?? 5 * 60_000;
          let delay = Math.min(max, base * 2 ** (this.failures - 1));
          delay = Math.round(delay * (0.8 + Math.random() * 0.4));
          if (result.retryAfterMs) delay = Math.max(delay, result.retryAfterMs);
          this.update({
            state: result.unauthorized ? 'unauthorized' : 'offline',
            lastError: result.error,
            nextTryAt: Date.now() + delay,
            queued,
          });
          if (this.timer) clearTimeout(this.timer);
          this.timer = undefined;
          this.scheduleRetry(delay);
        }
        return result;
      });
    return this.running;
  }

  private scheduleRetry(delay: number): void {
    if (this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
    this.timer.unref?.();
  }

  private update(patch: Partial<UploaderStatus>): void {
    this.status = { ...this.status, ...patch };
    this.options.onStatus?.(this.getStatus());
  }
}
