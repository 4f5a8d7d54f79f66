// A stand-in for the `vscode` module, just wide enough for the extension, with helpers that fire
// events in the order VS Code fires them (opening a file: active-editor change then selection
// change; a keystroke: document change then selection change; a save: will-save/save).
import { createRequire } from 'node:module';
import Module from 'node:module';

type Listener<T> = (e: T) => unknown;

export class Emitter<T> {
  private listeners: Listener<T>[] = [];
  event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  get count(): number {
    return this.listeners.length;
  }
}

export interface FakeDocument {
  uri: { scheme: string; fsPath: string; toString(): string };
  fileName: string;
  languageId: string;
  lineCount: number;
  isUntitled: boolean;
}

export interface FakeEditor {
  document: FakeDocument;
  selection: { active: { line: number; character: number } };
}

export class FakeStatusBarItem {
  text = '';
  tooltip: string | undefined;
  command: string | undefined;
  name: string | undefined;
  visible = false;
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.visible = false;
  }
}

export function createFakeVscode(settings: Record<string, unknown> = {}) {
  const ev = {
    changeText: new Emitter<{ document: FakeDocument; contentChanges: unknown[] }>(),
    save: new Emitter<FakeDocument>(),
    activeEditor: new Emitter<FakeEditor | undefined>(),
    selection: new Emitter<{ textEditor: FakeEditor }>(),
    windowState: new Emitter<{ focused: boolean; active: boolean }>(),
    config: new Emitter<{ affectsConfiguration(s: string): boolean }>(),
    debugStart: new Emitter<{ id: string; name: string }>(),
    debugEnd: new Emitter<{ id: string; name: string }>(),
    taskStart: new Emitter<{ execution: { task: { name: string; isBackground: boolean } }; processId: number }>(),
    taskEnd: new Emitter<{ execution: { task: { name: string; isBackground: boolean } }; exitCode: number }>(),
    secretChange: new Emitter<{ key: string }>(),
  };
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const statusItems: FakeStatusBarItem[] = [];
  const output: string[] = [];
  const messages: string[] = [];
  const opened: string[] = [];
  const external: string[] = [];
  const prompts = { inputBox: undefined as string | undefined, warning: undefined as string | undefined };
  const secrets = new Map<string, string>();
  const folders: { name: string; path: string }[] = [];

  const window = {
    state: { focused: true, active: true },
    activeTextEditor: undefined as FakeEditor | undefined,
    onDidChangeActiveTextEditor: ev.activeEditor.event,
    onDidChangeTextEditorSelection: ev.selection.event,
    onDidChangeWindowState: ev.windowState.event,
    createStatusBarItem: () => {
      const item = new FakeStatusBarItem();
      statusItems.push(item);
      return item;
    },
    createOutputChannel: () => ({ appendLine: (l: string) => output.push(l), dispose() {} }),
    showInputBox: async () => prompts.inputBox,
    showInformationMessage: async (m: string) => void messages.push(m),
    showWarningMessage: async (m: string) => {
      messages.push(m);
      return prompts.warning;
    },
    showTextDocument: async () => undefined,
  };

  const vscode = {
    version: '1.95.0',
    StatusBarAlignment: { Left: 1, Right: 2 },
    Uri: {
      parse: (s: string) => ({ scheme: s.split(':')[0], toString: () => s }),
      file: (p: string) => fileUri(p),
    },
    window,
    workspace: {
      onDidChangeTextDocument: ev.changeText.event,
      onDidSaveTextDocument: ev.save.event,
      onDidChangeConfiguration: ev.config.event,
      getConfiguration: (section: string) => ({
        get: <T,>(key: string, dflt?: T) => (settings[`${section}.${key}`] as T) ?? dflt,
        inspect: (key: string) => ({ globalValue: settings[`${section}.${key}`] }),
      }),
      getWorkspaceFolder: (uri: { fsPath: string }) => {
        const f = folders.find((w) => uri.fsPath.startsWith(w.path + '/'));
        return f ? { name: f.name, uri: fileUri(f.path), index: 0 } : undefined;
      },
      openTextDocument: async (o: { content: string }) => {
        opened.push(o.content);
        return {};
      },
    },
    debug: { onDidStartDebugSession: ev.debugStart.event, onDidTerminateDebugSession: ev.debugEnd.event },
    tasks: { onDidStartTaskProcess: ev.taskStart.event, onDidEndTaskProcess: ev.taskEnd.event },
    commands: {
      registerCommand: (id: string, fn: (...a: unknown[]) => unknown) => {
        commands.set(id, fn);
        return { dispose: () => commands.delete(id) };
      },
      executeCommand: async (id: string, ...args: unknown[]) => commands.get(id)!(...args),
    },
    env: { openExternal: async (u: { toString(): string }) => void external.push(u.toString()) },
  };

  const context = {
    subscriptions: [] as { dispose(): void }[],
    secrets: {
      get: async (k: string) => secrets.get(k),
      store: async (k: string, v: string) => {
        secrets.set(k, v);
        ev.secretChange.fire({ key: k });
      },
      delete: async (k: string) => void secrets.delete(k),
      onDidChange: ev.secretChange.event,
    },
  };

  // ---- what a user does, as VS Code reports it ----
  const user = {
    open(path: string, languageId: string, lineCount = 100): FakeDocument {
      return { uri: fileUri(path), fileName: path, languageId, lineCount, isUntitled: false };
    },
    /** Clicks a tab: the editor becomes active, then the cursor is placed. */
    focusEditor(document: FakeDocument, line = 0, character = 0): FakeEditor {
      const editor: FakeEditor = { document, selection: { active: { line, character } } };
      window.activeTextEditor = editor;
      ev.activeEditor.fire(editor);
      ev.selection.fire({ textEditor: editor });
      return editor;
    },
    /** One keystroke in the active editor. */
    type(): void {
      const editor = window.activeTextEditor!;
      ev.changeText.fire({ document: editor.document, contentChanges: [{ text: 'x' }] });
      editor.selection = {
        active: { line: editor.selection.active.line, character: editor.selection.active.character + 1 },
      };
      ev.selection.fire({ textEditor: editor });
    },
    /** A change to a document that is not in front (a git pull reloading an open file). */
    backgroundChange(document: FakeDocument): void {
      ev.changeText.fire({ document, contentChanges: [{ text: 'y' }] });
    },
    save(document = window.activeTextEditor!.document): void {
      ev.save.fire(document);
    },
    blur(): void {
      window.state = { focused: false, active: false };
      ev.windowState.fire(window.state);
    },
    focus(): void {
      window.state = { focused: true, active: true };
      ev.windowState.fire(window.state);
    },
    startDebug(id = 'dbg-1'): void {
      ev.debugStart.fire({ id, name: 'Launch Program' });
    },
    stopDebug(id = 'dbg-1'): void {
      ev.debugEnd.fire({ id, name: 'Launch Program' });
    },
    startTask(name: string, isBackground = false) {
      const execution = { task: { name, isBackground } };
      ev.taskStart.fire({ execution, processId: 4242 });
      return execution;
    },
    endTask(execution: { task: { name: string; isBackground: boolean } }): void {
      ev.taskEnd.fire({ execution, exitCode: 0 });
    },
    addWorkspaceFolder(name: string, path: string): void {
      folders.push({ name, path });
    },
  };

  return {
    vscode,
    context,
    ev,
    user,
    commands,
    statusItems,
    output,
    messages,
    opened,
    external,
    prompts,
    secrets,
    settings,
  };
}

function fileUri(p: string) {
  return { scheme: 'file', fsPath: p, path: p, toString: () => `file://${p}` };
}

export type FakeVscode = ReturnType<typeof createFakeVscode>;

/** Loads the bundled extension (dist/extension.js) afresh with `require('vscode')` answered by the fake. */
export function loadExtension(
  bundlePath: string,
  fake: FakeVscode,
): {
  activate(ctx: unknown): Promise<any>;
  deactivate(): Promise<void>;
} {
  const require = createRequire(import.meta.url);
  const resolved = require.resolve(bundlePath);
  delete require.cache[resolved];
  const M = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
  const original = M._load;
  M._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'vscode') return fake.vscode;
    return original.call(this, request, parent, isMain);
  };
  try {
    return require(resolved);
  } finally {
    M._load = original;
  }
}
