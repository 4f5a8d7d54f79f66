/**
 * Sending in the background. A hook must return to its host at once (Claude Code gives SessionEnd
 * about 1.5 s in all), so hooks only queue heartbeats on disk and start a detached flusher process
 * that outlives them; the flusher sends the shared queue and exits.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { Activity, DevTimeClient, DevTimeConfig, FlushResult } from '@devtime/core';
import { withProjectFallback } from './history.js';

/** The argument that turns a hook or notify bundle into its own flusher. */
export const FLUSH_FLAG = '--devtime-flush';

function lockTarget(home: string): string {
  mkdirSync(home, { recursive: true });
  return join(home, 'flush');
}

const LOCK_OPTIONS = { stale: 60_000, update: 15_000, realpath: false } as const;

/** True while a flusher holds the lock (a live one refreshes it; a dead one's lock goes stale). */
export function flusherRunning(home: string): boolean {
  try {
    return lockfile.checkSync(lockTarget(home), LOCK_OPTIONS);
  } catch {
    return false;
  }
}

/**
 * Starts `node <script> --devtime-flush` detached from this process and its terminal, unless a
 * flusher is already running (it picks up what we queued: it drains the queue until empty).
 */
export function spawnFlusher(script: string, home: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flusherRunning(home)) return false;
  const child = spawn(process.execPath, [script, FLUSH_FLAG], {
    detached: true,
    stdio: 'ignore',
    env,
    windowsHide: true,
  });
  child.on('error', () => {});
  child.unref();
  return true;
}

/**
 * The flusher's body: holds the lock, sends until the queue is empty (or the server is unreachable),
 * then looks once more for heartbeats queued meanwhile. Returns undefined when another flusher holds
 * the lock.
 */
export async function runFlusher(client: DevTimeClient): Promise<FlushResult | undefined> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(lockTarget(client.config.home), LOCK_OPTIONS);
  } catch {
    return undefined;
  }
  let result: FlushResult;
  try {
    // Drain, including what hooks queue while we send (they saw our lock and did not start another).
    do result = await client.flush();
    while (!result.error && result.remaining > 0);
  } finally {
    await release().catch(() => {});
  }
  // A hook that queued between our last look and the release found the lock held: look once more.
  if (!result.error && (await client.queue.size()) > 0) return runFlusher(client);
  return result;
}

/**
 * A hook's log, `<DevTime home>/<dir>/<file>`: a hook has no terminal to warn on, and a failure to
 * log must never disturb the host.
 */
export function hookLog(dir: string, file: string): (config: DevTimeConfig, message: string) => void {
  return (config, message) => {
    try {
      mkdirSync(join(config.home, dir), { recursive: true });
      appendFileSync(join(config.home, dir, file), `${new Date().toISOString()} ${message}\n`);
    } catch {
      // Nothing to report it to.
    }
  };
}

/** The event a host writes to a hook command's stdin. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A hook's last step: queue its activities on disk, then start this script as the flusher that sends them. */
export async function queueAndSpawnFlusher(client: DevTimeClient, activities: Activity[]): Promise<void> {
  await client.trackAll(activities.map((a) => withProjectFallback(client, a)));
  spawnFlusher(process.argv[1], client.config.home);
}

/**
 * Runs `fn` while holding a lock on `target` (which need not exist), so two hooks of one session never
 * read and write its state at the same time. Waits up to about 5 s; a holder that died leaves a lock
 * that goes stale after 30 s.
 */
export async function withLock<T>(target: string, fn: () => Promise<T>): Promise<T> {
  const release = await lockfile.lock(target, {
    stale: 30_000,
    update: 10_000,
    realpath: false,
    retries: { retries: 50, minTimeout: 20, maxTimeout: 200, factor: 1.3 },
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}
