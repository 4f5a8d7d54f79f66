/**
 * Which document events become heartbeats: a save always does; opening or editing a file does unless
 * that file already sent one within the interval (2 minutes by default, the `heartbeat_interval_seconds`
 * setting), as WakaTime's editor plugins do.
 */
export interface DocumentEvent {
  file: string;
  isWrite: boolean;
  nowMs: number;
}

export class HeartbeatThrottle {
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly intervalMs: number) {}

  /** True when the event should be sent; records it as sent. */
  take(e: DocumentEvent): boolean {
    const last = this.lastSent.get(e.file);
    if (!e.isWrite && last !== undefined && e.nowMs - last < this.intervalMs) return false;
    this.lastSent.set(e.file, e.nowMs);
    return true;
  }
}
