/**
 * DevTime's Codex program. Three modes, all quick and silent (no network I/O: heartbeats are queued
 * on disk and a detached flusher sends them):
 *   node dist/notify.js '<json>'            Codex `notify` (the JSON is the last argument)
 *   node dist/notify.js --hook < event.json  a Codex hook (the event on stdin)
 *   node dist/notify.js --devtime-flush      the flusher
 * A notify program that was configured before DevTime is run with the same argument.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_VERSION, DevTimeClient, loadConfig, type Activity, type DevTimeConfig } from '@devtime/core';
import { FLUSH_FLAG, hookLog, queueAndSpawnFlusher, readStdin, runFlusher } from '@devtime/cli';
import { codexHome, handleCodexHook, handleNotify, parseCodexHook, parseNotify, previousNotifyPath } from './handle.js';

const log = hookLog('codex', 'notify.log');

function client(config: DevTimeConfig): DevTimeClient {
  return new DevTimeClient({
    tool: 'codex',
    plugin: 'devtime-codex',
    pluginVersion: CLIENT_VERSION,
    editor: 'codex',
    config,
    logger: { warn: (m) => log(config, m) },
  });
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Runs the notify program DevTime replaced, detached, with the same argument. */
function forwardNotify(config: DevTimeConfig, arg: string): void {
  const previous = readJson<string[]>(previousNotifyPath(config.home));
  if (!Array.isArray(previous) || previous.length === 0) return;
  const child = spawn(previous[0], [...previous.slice(1), arg], { detached: true, stdio: 'ignore' });
  child.on('error', (e) => log(config, `previous notify program failed: ${e.message}`));
  child.unref();
}

async function main(): Promise<void> {
  const config = loadConfig();
  const args = process.argv.slice(2);
  if (args.includes(FLUSH_FLAG)) {
    const r = await runFlusher(client(config));
    if (r?.error) log(config, `flush: ${r.error} (${r.remaining} waiting)`);
    return;
  }
  const home = codexHome();
  let activities: Activity[] = [];
  if (args.includes('--hook')) {
    const h = parseCodexHook(await readStdin());
    if (h) activities = await handleCodexHook(h, { devtimeHome: config.home, codexHome: home });
  } else {
    const arg = args[args.length - 1];
    if (arg) forwardNotify(config, arg);
    const n = parseNotify(arg);
    if (n) {
      activities = await handleNotify(n, { devtimeHome: config.home, codexHome: home });
    }
  }
  if (activities.length === 0) return;
  await queueAndSpawnFlusher(client(config), activities);
}

main().catch((e) => {
  try {
    log(loadConfig(), `error: ${(e as Error).stack ?? e}`);
  } catch {
    // Nothing more to do.
  }
});
