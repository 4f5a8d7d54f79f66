import * as vscode from 'vscode';
import type { Sender, UploaderStatus } from '@devtime/core';

const TODAY_REFRESH_MS = 5 * 60_000;

/** The status-bar item: today's total from `statusbar/today`, and the offline/queued state. */
export class StatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private today: string | undefined;
  private status: UploaderStatus = { state: 'idle', queued: 0 };
  private enabled = true;
  private hasKey = true;
  private endpoint = '';
  private sender: Sender | undefined;
  private lastTodayAt = -Infinity;
  private missedToday = false;
  private readonly timer: ReturnType<typeof setInterval>;

  /** `sendPending`: sends waiting heartbeats if allowed now; true when it sent some. */
  constructor(private readonly sendPending: () => Promise<boolean> = async () => false) {
    this.item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
    this.item.name = 'DevTime';
    this.timer = setInterval(() => void this.periodicRefresh(), TODAY_REFRESH_MS);
    this.render();
    this.item.show();
  }

  configure(sender: Sender | undefined, endpoint: string, enabled: boolean, hasKey: boolean): void {
    this.sender = sender;
    this.hasKey = hasKey;
    this.endpoint = endpoint;
    this.enabled = enabled;
    this.lastTodayAt = -Infinity;
    this.render();
    void this.refreshToday(true);
  }

  update(status: UploaderStatus): void {
    this.status = status;
    if (status.state === 'offline' || status.state === 'unauthorized') this.missedToday = true;
    this.render();
    if (status.state === 'idle') {
      // A batch just went out, so today's total moved; right after an outage, ask at once.
      void this.refreshToday(this.missedToday);
      this.missedToday = false;
    }
  }

  /**
   * Sends pending heartbeats first so the total counts them. A successful send already asks
   * (through update()), so ask again only if it did not; the send never triggers another send.
   */
  private async periodicRefresh(): Promise<void> {
    const asked = this.lastTodayAt;
    await this.sendPending().catch(() => false);
    if (this.lastTodayAt === asked) await this.refreshToday(true);
  }

  /** Asks the server for today's total; at most once a minute unless forced. */
  async refreshToday(force: boolean): Promise<void> {
    const now = Date.now();
    if (!this.sender || !this.enabled || (!force && now - this.lastTodayAt < 60_000)) return;
    this.lastTodayAt = now;
    try {
      const today = await this.sender.todayText();
      this.today = today?.text || undefined;
    } catch {
      // Offline or an older server: the queue state below says enough.
    }
    this.render();
  }

  private render(): void {
    const s = this.status;
    const queued = s.queued > 0 ? ` · ${s.queued} queued` : '';
    let text: string;
    let command: string | undefined = 'devtime.openDashboard';
    if (!this.enabled) {
      text = '$(circle-slash) DevTime off';
    } else if (!this.hasKey || s.state === 'unauthorized') {
      text = '$(key) DevTime: set API key';
      command = 'devtime.setApiKey';
    } else if (s.state === 'offline') {
      text = `$(cloud-offline) ${this.today ?? 'DevTime'}${queued}`;
      command = 'devtime.flushQueue';
    } else {
      text = `$(clock) ${this.today ?? 'DevTime'}${queued}`;
    }
    this.item.text = text;
    this.item.command = command;
    const lines = [`DevTime: ${this.endpoint}`];
    if (this.today) lines.push(`Today: ${this.today}`);
    lines.push(`${s.queued} heartbeat(s) queued`);
    if (s.lastError) lines.push(`Last error: ${s.lastError}`);
    if (s.nextTryAt) lines.push(`Next try: ${new Date(s.nextTryAt).toLocaleTimeString()}`);
    this.item.tooltip = lines.join('\n');
  }

  /** For the commands and tests: what the item shows. */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.item.dispose();
  }
}
