/**
 * Which document events become heartbeats, as wakatime-ls decides: a save always does; opening or
 * editing a file does unless it is the same file as the last heartbeat and that was less than the
 * interval ago (2 minutes by default, the `heartbeat_interval_seconds` setting). Switching files
 * always sends one.
 */
export interface DocumentEvent {
  file: string;
  isWrite: boolean;
  nowMs: number;
}

export class HeartbeatThrottle {
  private last?: { file: string; ms: number };

  constructor(private readonly intervalMs: number) {}

  /** True when the event should be sent; records it as sent. */
  take(e: DocumentEvent): boolean {
    const last = this.last;
    if (!e.isWrite && last !== undefined && last.file === e.file && e.nowMs - last.ms < this.intervalMs) return false;
    this.last = { file: e.file, ms: e.nowMs };
    return true;
  }
}
