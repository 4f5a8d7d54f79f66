import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Heartbeat } from './heartbeat.js';

export interface Logger {
  warn(message: string): void;
  info?(message: string): void;
}

export const silentLogger: Logger = { warn() {} };

export interface QueueOptions {
  dir: string;
  /** Most heartbeats kept; beyond it the oldest are dropped with a warning. Default 1,000. */
  maxSize?: number;
  logger?: Logger;
  /** A claim older than this is taken back even if its process still seems alive. Default 5 min. */
  staleClaimMs?: number;
  now?: () => number;
}

export interface QueuedHeartbeat {
  /** The entry's file name; stable across retries, so FIFO order survives them. */
  id: string;
  heartbeat: Heartbeat;
}

/** Entries taken out of the queue by one process for one send; give them back with `complete`. */
export interface Claim {
  entries: QueuedHeartbeat[];
}

export type Outcome = 'sent' | 'dropped' | 'retry';

/**
 * A durable FIFO queue of heartbeats shared by every DevTime process on the machine (VS Code
 * windows, AI-tool hooks, the CLI), one file per heartbeat:
 *
 * - `enqueue` writes `tmp/<id>` and renames it to `<id>.json`. A rename is atomic, so a reader
 *   sees a whole entry or none, and a crash mid-write leaves only a stray `tmp/` file (swept later).
 * - Ids start with the zero-padded time in ms, then a per-process counter, so a sorted listing is
 *   the arrival order.
 * - `claim` moves entries into `claimed/` with a rename carrying the claimer's pid and time; only
 *   one process can win that rename, so two senders never send the same entry. Entries claimed by
 *   a process that died (or whose claim is older than `staleClaimMs`) are put back.
 * - No lock file: writers never wait for each other and there is no stale lock to recover.
 */
export class DurableQueue {
  readonly dir: string;
  readonly maxSize: number;
  private readonly logger: Logger;
  private readonly staleClaimMs: number;
  private readonly now: () => number;
  private readonly readyDir: string;
  private readonly tmpDir: string;
  private readonly claimDir: string;
  private ensured = false;
  private writeChain: Promise<void> = Promise.resolve();
  private writers = 0;
  private counter = 0;
  private readonly processTag = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;

  constructor(options: QueueOptions) {
    this.dir = options.dir;
    this.maxSize = options.maxSize ?? 1000;
    this.logger = options.logger ?? silentLogger;
    this.staleClaimMs = options.staleClaimMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.readyDir = options.dir;
    this.tmpDir = join(options.dir, 'tmp');
    this.claimDir = join(options.dir, 'claimed');
  }

  private async ensure(): Promise<void> {
    if (this.ensured) return;
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(this.claimDir, { recursive: true });
    this.ensured = true;
  }

  private nextId(): string {
    this.counter = (this.counter + 1) % 1_000_000;
    const ms = String(this.now()).padStart(14, '0');
    return `${ms}-${String(this.counter).padStart(6, '0')}-${this.processTag}`;
  }

  /**
   * Adds heartbeats at the tail; trims the oldest beyond `maxSize`. Calls made without awaiting
   * the previous one are written one after another, and the trim (a directory listing) runs once
   * at the end of such a burst rather than once per call.
   */
  async enqueue(heartbeats: Heartbeat[]): Promise<void> {
    if (heartbeats.length === 0) return;
    this.writers++;
    const write = this.writeChain.then(() => this.write(heartbeats));
    this.writeChain = write.catch(() => undefined);
    try {
      await write;
    } finally {
      this.writers--;
    }
    if (this.writers === 0) await this.trim();
  }

  private async write(heartbeats: Heartbeat[]): Promise<void> {
    await this.ensure();
    for (const hb of heartbeats) {
      const id = this.nextId();
      const tmp = join(this.tmpDir, id);
      await writeFile(tmp, JSON.stringify(hb));
      await rename(tmp, join(this.readyDir, `${id}.json`));
    }
  }

  private async readyIds(): Promise<string[]> {
    await this.ensure();
    const names = await readdir(this.readyDir);
    const ids: string[] = [];
    for (const n of names) if (n.endsWith('.json')) ids.push(n.slice(0, -5));
    return ids.sort();
  }

  private async trim(): Promise<void> {
    const ids = await this.readyIds();
    const excess = ids.length - this.maxSize;
    if (excess <= 0) return;
    let dropped = 0;
    for (const id of ids.slice(0, excess)) {
      // Another process may trim or claim the same entry at the same time: ENOENT is fine.
      if (await removeIfPresent(join(this.readyDir, `${id}.json`))) dropped++;
    }
    if (dropped > 0) {
      this.logger.warn(`DevTime queue is full (${this.maxSize}); dropped the ${dropped} oldest heartbeat(s)`);
    }
  }

  /** Heartbeats waiting to be sent (not counting those claimed by a sender right now). */
  async size(): Promise<number> {
    return (await this.readyIds()).length;
  }

  /** Claimed entries, for a status display ("3 sending"). */
  async claimedCount(): Promise<number> {
    await this.ensure();
    return (await readdir(this.claimDir)).length;
  }

  /** The oldest `limit` heartbeats, without claiming them ("show what would be sent"). */
  async peek(limit: number): Promise<QueuedHeartbeat[]> {
    const out: QueuedHeartbeat[] = [];
    for (const id of (await this.readyIds()).slice(0, limit)) {
      const hb = await this.readEntry(join(this.readyDir, `${id}.json`));
      if (hb) out.push({ id, heartbeat: hb });
    }
    return out;
  }

  /** Takes up to `max` of the oldest heartbeats for sending; empty when none are waiting. */
  async claim(max: number): Promise<Claim> {
    await this.recoverStaleClaims();
    const entries: QueuedHeartbeat[] = [];
    const ids = await this.readyIds();
    for (const id of ids) {
      if (entries.length >= max) break;
      const claimName = `${id}@${process.pid}@${this.now()}`;
      const claimed = join(this.claimDir, claimName);
      try {
        await rename(join(this.readyDir, `${id}.json`), claimed);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // another process won it
        throw e;
      }
      const hb = await this.readEntry(claimed);
      if (hb) entries.push({ id: claimName, heartbeat: hb });
      else await removeIfPresent(claimed);
    }
    return { entries };
  }

  /**
   * Settles a claim: `sent` and `dropped` entries are deleted, `retry` entries go back to the
   * queue under their original id (so they keep their place at the head). Entries missing from
   * `outcomes` are retried.
   */
  async complete(claim: Claim, outcomes: Map<string, Outcome>): Promise<void> {
    for (const entry of claim.entries) {
      const claimed = join(this.claimDir, entry.id);
      const outcome = outcomes.get(entry.id) ?? 'retry';
      if (outcome === 'retry') {
        try {
          await rename(claimed, join(this.readyDir, `${baseId(entry.id)}.json`));
        } catch (e) {
          // Taken back by a stale-claim sweep already: it is in the queue again, nothing lost.
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      } else {
        await removeIfPresent(claimed);
      }
    }
  }

  /** Deletes every waiting heartbeat; returns how many. */
  async clear(): Promise<number> {
    let n = 0;
    for (const id of await this.readyIds()) {
      if (await removeIfPresent(join(this.readyDir, `${id}.json`))) n++;
    }
    return n;
  }

  /** Puts back entries claimed by dead processes or claimed too long ago; sweeps old temp files. */
  async recoverStaleClaims(): Promise<number> {
    await this.ensure();
    let recovered = 0;
    const now = this.now();
    for (const name of await readdir(this.claimDir)) {
      const [id, pidText, atText] = name.split('@');
      const pid = Number(pidText);
      const at = Number(atText);
      const stale = !Number.isFinite(at) || now - at > this.staleClaimMs || (pid !== process.pid && !isAlive(pid));
      if (!stale || !id) continue;
      try {
        await rename(join(this.claimDir, name), join(this.readyDir, `${id}.json`));
        recovered++;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    for (const name of await readdir(this.tmpDir)) {
      // A temp file is a write that never finished its rename: its writer crashed (a live write
      // takes well under a second).
      const p = join(this.tmpDir, name);
      try {
        if (now - (await stat(p)).mtimeMs > 60_000) await rm(p, { force: true });
      } catch {
        /* swept by another process */
      }
    }
    if (recovered > 0)
      this.logger.info?.(`DevTime queue: took back ${recovered} heartbeat(s) from an interrupted send`);
    return recovered;
  }

  private async readEntry(path: string): Promise<Heartbeat | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      const hb = JSON.parse(text) as Heartbeat;
      if (hb && typeof hb === 'object' && typeof hb.entity === 'string' && typeof hb.time === 'number') return hb;
    } catch {
      /* fall through */
    }
    // Only possible after a power loss (a renamed file whose data never reached the disk).
    this.logger.warn(`DevTime queue: discarding unreadable entry ${path}`);
    return undefined;
  }
}

function baseId(claimId: string): string {
  return claimId.split('@')[0]!;
}

async function removeIfPresent(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
