import * as vscode from 'vscode';
import { BULK_PATH, CLIENT_VERSION, DevTimeClient, loadConfig, redactForDisplay, Uploader } from '@devtime/core';
import type { DevTimeConfig, Logger } from '@devtime/core';
import { StatusBar } from './status';
import { HeartbeatTracker } from './tracker';

const SECRET_KEY = 'devtime.apiKey';
/** How long closing the window or reloading settings waits for a send; the rest stays on disk. */
const DRAIN_MS = 2000;

/** Waits for `p`, but at most `ms`. */
async function bounded(p: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** Everything the extension runs; rebuilt pieces (client, uploader) follow the settings. */
class DevTimeExtension implements vscode.Disposable {
  private client: DevTimeClient | undefined;
  private uploader: Uploader | undefined;
  private config: DevTimeConfig | undefined;
  readonly output: vscode.OutputChannel;
  readonly status: StatusBar;
  readonly tracker: HeartbeatTracker;
  private readonly logger: Logger;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('DevTime');
    this.logger = {
      warn: (m) => this.output.appendLine(`[warn] ${m}`),
      info: (m) => this.output.appendLine(m),
    };
    // Before the periodic refresh: send what waits, if the rate limit allows, so the total is current.
    this.status = new StatusBar(() => this.uploader?.flushIfDue() ?? Promise.resolve(false));
    this.tracker = new HeartbeatTracker(
      {
        client: () => this.client,
        onQueued: (r) => {
          if (r.heartbeat && this.settings().get<boolean>('debugPayload')) {
            this.output.appendLine(`queued ${JSON.stringify(redactForDisplay(r.heartbeat))}`);
          }
          this.uploader?.notify();
          const st = this.uploader?.getStatus();
          if (st && (st.state === 'offline' || st.state === 'unauthorized')) {
            // No send until the back-off ends: keep the queued count on the status bar current.
            void this.client?.queue.size().then((queued) => this.status.update({ ...st, queued }));
          }
        },
        onError: (e) => this.logger.warn(`could not queue a heartbeat: ${(e as Error).message}`),
      },
      () => ({
        intervalMs: (this.config?.tracking.heartbeatIntervalSeconds ?? 120) * 1000,
        idleMs: (this.config?.tracking.idleTimeoutMinutes ?? 15) * 60_000,
      }),
    );
    this.disposables.push(
      this.output,
      this.status,
      this.tracker,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('devtime')) void this.reload();
      }),
      context.secrets.onDidChange((e) => {
        if (e.key === SECRET_KEY) void this.reload();
      }),
      vscode.commands.registerCommand('devtime.setApiKey', () => this.setApiKey()),
      vscode.commands.registerCommand('devtime.openDashboard', () => this.openDashboard()),
      vscode.commands.registerCommand('devtime.showPending', () => this.showPending()),
      vscode.commands.registerCommand('devtime.flushQueue', () => this.flush()),
      vscode.commands.registerCommand('devtime.clearQueue', () => this.clearQueue()),
    );
  }

  private settings(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('devtime');
  }

  /**
   * Settings the user set explicitly win over ~/.devtime/config.toml; defaults do not.
   * `drain`: the old uploader sends what is queued before it is disposed (off when the caller sends
   * right after).
   */
  async reload(drain = true): Promise<void> {
    const s = this.settings();
    const explicit = <T>(key: string): T | undefined => {
      const i = s.inspect<T>(key);
      return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue ?? undefined;
    };
    const apiKey = await this.context.secrets.get(SECRET_KEY);
    const config = loadConfig({
      overrides: {
        endpoint: s.get<string>('endpoint') || undefined,
        apiKey: apiKey || undefined,
        queue: { maxSize: explicit<number>('queueMaxSize') },
        tracking: { heartbeatRateLimitSeconds: explicit<number>('heartbeatRateLimitSeconds') },
        privacy: {
          defaultDenylist: explicit<boolean>('sensitiveGlobsDenylistEnabled'),
          anonymizeFilePaths: s.get<boolean | null>('anonymizeFilePaths') ?? undefined,
        },
      },
    });
    config.privacy.excludeFilePatterns = [
      ...config.privacy.excludeFilePatterns,
      ...(s.get<string[]>('sensitiveGlobs') ?? []),
    ];
    for (const w of config.warnings) this.logger.warn(w);

    const old = this.uploader;
    this.uploader = undefined;
    const st = old?.getStatus().state;
    // In the background, so the swap below stays synchronous (no second reload can interleave);
    // the queue's claims keep this send and the new uploader's apart. A backing-off uploader would
    // only fail again, and the new one tries at once anyway.
    if (old && drain && (st === 'idle' || st === 'sending'))
      void bounded(old.flushNow(), DRAIN_MS).then(() => old.dispose());
    else old?.dispose();
    this.config = config;
    const enabled = s.get<boolean>('enabled') ?? true;
    if (!enabled) {
      this.client = undefined;
      this.status.configure(undefined, config.endpoint, false, Boolean(config.apiKey));
      return;
    }
    this.client = new DevTimeClient({
      tool: 'vscode',
      plugin: 'devtime-vscode',
      pluginVersion: CLIENT_VERSION,
      editor: 'vscode',
      editorVersion: vscode.version,
      config,
      logger: this.logger,
    });
    this.uploader = new Uploader({
      queue: this.client.queue,
      sender: this.client.sender,
      logger: this.logger,
      minSendIntervalMs: config.tracking.heartbeatRateLimitSeconds * 1000,
      onStatus: (st) => this.status.update(st),
    });
    this.status.configure(this.client.sender, config.endpoint, true, Boolean(config.apiKey));
    this.uploader.start();
  }

  private async setApiKey(): Promise<void> {
    const key = await vscode.window.showInputBox({
      title: 'DevTime API key',
      prompt: "Create one in the dashboard (Settings → API keys). Stored in VS Code's secret storage.",
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length < 8 ? 'That does not look like an API key' : undefined),
    });
    if (key === undefined) return;
    await this.context.secrets.store(SECRET_KEY, key.trim());
    await this.reload(false);
    void this.uploader?.flushNow();
  }

  private async openDashboard(): Promise<void> {
    const url = this.settings().get<string>('dashboardUrl') || this.config?.endpoint;
    if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
  }

  /** Opens the next heartbeat for the active file and the queued ones, exactly as they would be posted. */
  private async showPending(): Promise<void> {
    const client = this.client;
    if (!client) {
      void vscode.window.showInformationMessage('DevTime is disabled (devtime.enabled).');
      return;
    }
    const editor = vscode.window.activeTextEditor;
    const next =
      editor && editor.document.uri.scheme === 'file'
        ? client.prepare({ entity: editor.document.fileName, category: this.tracker.category() })
        : undefined;
    const queued = await client.queue.peek(100);
    const doc = {
      request: `POST ${client.config.endpoint}${BULK_PATH}`,
      headers: { ...client.sender.headers(), Authorization: client.config.apiKey ? '(set)' : '(no API key)' },
      next_heartbeat_for_active_file: next?.heartbeat ?? (next ? `not sent: excluded by ${next.excluded}` : null),
      queued_total: await client.queue.size(),
      queued_oldest_first: queued.map((q) => q.heartbeat),
    };
    const shown = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(doc, null, 2) });
    await vscode.window.showTextDocument(shown, { preview: true });
  }

  private async flush(): Promise<void> {
    await this.tracker.settle(true);
    await this.reload(false); // picks up a key or endpoint just written to config.toml
    if (!this.uploader) return;
    const r = await this.uploader.flushNow();
    const msg = r.error
      ? `DevTime: sent ${r.sent}, ${r.remaining} still queued (${r.error}).`
      : `DevTime: sent ${r.sent} heartbeat(s)${r.dropped ? `, ${r.dropped} rejected by the server` : ''}; the queue is empty.`;
    void vscode.window.showInformationMessage(msg);
  }

  private async clearQueue(): Promise<void> {
    if (!this.client) return;
    const n = await this.client.queue.size();
    const answer = await vscode.window.showWarningMessage(
      `Delete ${n} queued heartbeat(s) without sending them?`,
      { modal: true },
      'Delete',
    );
    if (answer !== 'Delete') return;
    const removed = await this.client.queue.clear();
    this.logger.warn(`cleared ${removed} queued heartbeat(s)`);
    this.status.update({ ...(this.uploader?.getStatus() ?? { state: 'idle' }), queued: 0 });
  }

  /** Every decided heartbeat is on disk and no send is under way in this window. */
  async settled(): Promise<void> {
    await this.tracker.settle();
    await this.uploader?.idle();
  }

  /**
   * Puts what was typed last on disk, then sends what is queued if the server answers quickly
   * (VS Code waits only briefly); anything left is sent by the next start (the queue is durable).
   */
  async shutdown(): Promise<void> {
    await this.tracker.settle(true);
    await bounded(this.uploader?.flushNow(), DRAIN_MS);
    this.dispose();
  }

  dispose(): void {
    this.uploader?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

let running: DevTimeExtension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<DevTimeExtension> {
  const ext = new DevTimeExtension(context);
  running = ext;
  context.subscriptions.push({ dispose: () => ext.dispose() });
  await ext.reload();
  return ext;
}

export async function deactivate(): Promise<void> {
  const ext = running;
  running = undefined;
  await ext?.shutdown();
}
