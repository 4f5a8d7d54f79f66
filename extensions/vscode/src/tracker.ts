import * as vscode from 'vscode';
import type { Activity, Category, DevTimeClient, PrepareResult } from '@devtime/core';
import { languageFromVscodeId } from '@devtime/core';

export interface TrackerOptions {
  /** The current client (it is rebuilt when settings change). */
  client(): DevTimeClient | undefined;
  /** Called after a heartbeat was queued. */
  onQueued(result: PrepareResult): void;
  onError(error: unknown): void;
  /** Coalesces a burst of events (every keystroke fires one) into one decision. Default 250 ms. */
  debounceMs?: number;
}

interface Pending {
  document: vscode.TextDocument;
  isWrite: boolean;
  at: number;
}

/** A save right after the window lost focus is still the user's (auto-save "onFocusChange"). */
const BLUR_SAVE_GRACE_MS = 5_000;
/** At most one write heartbeat per file every 2 s: format-on-save loops and save-all would send a burst. */
const SAVE_THROTTLE_MS = 2_000;

/**
 * Turns editor events into heartbeats, WakaTime's way: one when the file changes, one on save
 * (`is_write`), and one when activity in the same file has gone on for the heartbeat interval
 * (2 minutes by default). Events only count while the window has focus and only for the active
 * editor's file, so background reloads (a `git pull`) and other windows' work are not counted; with
 * no events nothing is sent, so idle time produces nothing. The category is `debugging` while a
 * debug session runs, `building` while a (non-background) task runs, else `coding`.
 */
export class HeartbeatTracker implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private focused: boolean;
  private blurredAt = -Infinity;
  private lastFile: string | undefined;
  private lastSentAt = -Infinity;
  private lastCategory: Category | undefined;
  private readonly lastWriteAt = new Map<string, number>();
  private readonly debugSessions = new Set<string>();
  private readonly tasks = new Set<vscode.TaskExecution>();
  private pending: Pending | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Heartbeats handed to the client and not yet queued (for tests and deactivate). */
  private inFlight: Promise<unknown> = Promise.resolve();

  private lastUserEventAt = -Infinity;

  constructor(
    private readonly options: TrackerOptions,
    private readonly timing: () => { intervalMs: number; idleMs: number },
  ) {
    this.focused = vscode.window.state.focused;
    const w = vscode.window;
    const ws = vscode.workspace;
    this.disposables.push(
      ws.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return; // dirty-flag flips and the like
        if (w.activeTextEditor?.document !== e.document) return; // not what the user is looking at
        this.event(e.document, false);
      }),
      ws.onDidSaveTextDocument((doc) => {
        if (w.activeTextEditor?.document !== doc) return;
        this.event(doc, true);
      }),
      w.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.event(editor.document, false);
      }),
      w.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === w.activeTextEditor) this.event(e.textEditor.document, false);
      }),
      w.onDidChangeWindowState((state) => {
        if (state.focused === this.focused) return;
        this.focused = state.focused;
        if (!state.focused) {
          this.blurredAt = Date.now();
          this.drain(); // the burst typed just before leaving still counts
        }
      }),
      vscode.debug.onDidStartDebugSession((s) => {
        this.debugSessions.add(s.id);
        this.activeEditorEvent();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.debugSessions.delete(s.id);
      }),
      vscode.tasks.onDidStartTaskProcess((e) => {
        // A watcher (`tsc --watch`) runs all day: it is not a build the user is waiting on.
        if (e.execution.task.isBackground) return;
        this.tasks.add(e.execution);
        this.activeEditorEvent();
      }),
      vscode.tasks.onDidEndTaskProcess((e) => {
        this.tasks.delete(e.execution);
      }),
    );
  }

  /** The category a heartbeat gets right now. */
  category(): Category {
    if (this.debugSessions.size > 0) return 'debugging';
    if (this.tasks.size > 0) return 'building';
    return 'coding';
  }

  /**
   * A debug session or task started: worth a heartbeat only if someone is at the keyboard. A task
   * that starts by itself (`runOn: folderOpen`, a file watcher) after the idle timeout is not work.
   */
  private activeEditorEvent(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || Date.now() - this.lastUserEventAt > this.timing().idleMs) return;
    this.event(editor.document, false, false);
  }

  /** The extension host's hot path: runs on every keystroke, so it only records and arms a timer. */
  private event(document: vscode.TextDocument, isWrite: boolean, fromUser = true): void {
    if (document.uri.scheme !== 'file') return; // output panes, git diffs, settings, untitled
    const now = Date.now();
    if (!this.focused && !(isWrite && now - this.blurredAt <= BLUR_SAVE_GRACE_MS)) return;
    if (fromUser) this.lastUserEventAt = now;
    const p = this.pending;
    if (p && p.document === document) {
      p.isWrite ||= isWrite;
      p.at = now;
    } else {
      if (p) this.decide(p); // a file switch settles the previous file's burst first
      this.pending = { document, isWrite, at: now };
    }
    if (isWrite) {
      this.drain(); // a save is sent at once, not after the debounce
      return;
    }
    if (!this.timer) this.timer = setTimeout(() => this.drain(), this.options.debounceMs ?? 250);
  }

  private drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (p) this.decide(p);
  }

  private decide(p: Pending): void {
    const file = p.document.fileName;
    const category = this.category();
    const switched = file !== this.lastFile || category !== this.lastCategory;
    const due = p.at - this.lastSentAt >= this.timing().intervalMs;
    let write = p.isWrite;
    if (write && p.at - (this.lastWriteAt.get(file) ?? -Infinity) < SAVE_THROTTLE_MS) write = false;
    if (!switched && !due && !write) return;
    const client = this.options.client();
    if (!client) return;

    this.lastFile = file;
    this.lastSentAt = p.at;
    this.lastCategory = category;
    if (write) this.lastWriteAt.set(file, p.at);

    const activity: Activity = {
      entity: file,
      timeMs: p.at,
      category,
      language: languageFromVscodeId(p.document.languageId),
      lines: p.document.lineCount,
    };
    if (write) activity.is_write = true;
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document === p.document) {
      activity.lineno = editor.selection.active.line + 1;
      activity.cursorpos = editor.selection.active.character + 1;
    }
    if (!client.projects.detect(file)) {
      // Not in a git repository: the workspace folder is the project, as WakaTime does.
      const folder = vscode.workspace.getWorkspaceFolder(p.document.uri);
      if (folder) {
        activity.project = folder.name;
        activity.projectRoot = folder.uri.fsPath;
      }
    }
    const done = client.track(activity).then(
      (r) => this.options.onQueued(r),
      (e) => this.options.onError(e),
    );
    this.inFlight = this.inFlight.then(() => done);
  }

  /**
   * Waits until every heartbeat decided so far is on disk; with `decidePending`, the burst still
   * in its debounce window is decided first (shutdown, the flush command).
   */
  async settle(decidePending = false): Promise<void> {
    if (decidePending) this.drain();
    await this.inFlight;
  }

  dispose(): void {
    this.drain();
    for (const d of this.disposables) d.dispose();
  }
}
