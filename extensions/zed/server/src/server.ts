/**
 * DevTime's language server for Zed. Zed has no extension API for editor events, so the extension
 * registers this server for every language; it receives didOpen, didChange and didSave and turns
 * them into heartbeats (tool `zed`), queued on disk and sent in the background by the core uploader.
 * It offers no language features.
 */
import { fileURLToPath } from 'node:url';
import {
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CLIENT_VERSION,
  DevTimeClient,
  Uploader,
  languageFromPath,
  languageFromVscodeId,
  loadConfig,
  type Logger,
} from '@devtime/core';
import { HeartbeatThrottle } from './tracker.js';

/** Settings Zed passes as initialization options (the extension forwards the user's `lsp.devtime` settings). */
export interface InitOptions {
  api_url?: string;
  api_key?: string;
}

export interface ServerOptions {
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined; // untitled buffers, remote files
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const now = options.now ?? Date.now;
  // Open documents, kept up to date from the incremental changes, for `lines` and the language id.
  const documents = new Map<string, TextDocument>();
  let client: DevTimeClient | undefined;
  let uploader: Uploader | undefined;
  let throttle: HeartbeatThrottle | undefined;
  let workspaceRoot: string | undefined;
  const logger: Logger = { warn: (m) => connection.console.warn(m), info: (m) => connection.console.info(m) };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as InitOptions;
    const config = loadConfig({
      env: options.env ?? process.env,
      overrides: { endpoint: init.api_url || undefined, apiKey: init.api_key || undefined },
    });
    client = new DevTimeClient({
      tool: 'zed',
      plugin: 'devtime-zed',
      pluginVersion: CLIENT_VERSION,
      editor: 'zed',
      editorVersion: params.clientInfo?.version,
      config,
      logger,
    });
    throttle = new HeartbeatThrottle(config.tracking.heartbeatIntervalSeconds * 1000);
    uploader = new Uploader({ queue: client.queue, sender: client.sender, logger });
    uploader.start();
    const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    workspaceRoot = root ? filePath(root) : undefined;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      },
      serverInfo: { name: 'devtime-ls', version: CLIENT_VERSION },
    };
  });

  const track = async (uri: string, isWrite: boolean, lineno?: number) => {
    const file = filePath(uri);
    if (!file || !client || !throttle) return;
    const t = now();
    if (!throttle.take({ file, isWrite, nowMs: t })) return;
    const doc = documents.get(uri);
    try {
      const r = await client.track({
        entity: file,
        type: 'file',
        category: 'coding',
        timeMs: t,
        cwd: workspaceRoot,
        language: languageFromPath(file) ?? languageFromVscodeId(doc?.languageId),
        is_write: isWrite,
        lines: doc?.lineCount,
        lineno,
      });
      if (r.heartbeat) uploader?.notify();
    } catch (e) {
      logger.warn(`DevTime: could not queue a heartbeat: ${(e as Error).message}`);
    }
  };

  connection.onDidOpenTextDocument(({ textDocument: d }) => {
    documents.set(d.uri, TextDocument.create(d.uri, d.languageId, d.version, d.text));
    void track(d.uri, false);
  });
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const doc = documents.get(textDocument.uri);
    if (doc) documents.set(textDocument.uri, TextDocument.update(doc, contentChanges, textDocument.version));
    // The last change's start line is where the user is typing.
    const last = contentChanges[contentChanges.length - 1];
    const line = last && 'range' in last ? last.range.start.line + 1 : undefined;
    void track(textDocument.uri, false, line);
  });
  connection.onDidSaveTextDocument(({ textDocument }) => void track(textDocument.uri, true));
  connection.onDidCloseTextDocument(({ textDocument }) => {
    documents.delete(textDocument.uri);
  });

  connection.onShutdown(async () => {
    // Send what is queued now if the server answers quickly; the rest stays on disk for next time.
    await Promise.race([uploader?.flushNow(), new Promise((r) => setTimeout(r, 2000))]);
    uploader?.dispose();
  });

  connection.listen();
}
