/**
 * `devtime`: send a heartbeat, flush the offline queue, show status, report and backfill AI tool
 * token usage. Built to dist/devtime.js; run with `node dist/devtime.js <command>`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { CLIENT_VERSION, DevTimeClient, MAX_BATCH, type Activity, type Heartbeat } from '@devtime/core';
import { checkHooks } from './installed.js';
import { readClaudeUsage, readCodexHistory, usageReport, type UsageSource } from './transcripts.js';
import { claudeUsageActivity, codexPromptActivity, codexUsageActivity, withProjectFallback } from './history.js';

const HELP = `devtime ${CLIENT_VERSION}

Usage:
  devtime heartbeat --entity PATH [--type file|app|domain|url] [--category CATEGORY] [--project NAME]
                    [--language NAME] [--write] [--lineno N] [--time EPOCH_SECONDS] [--tool NAME]
                    [--queue-only]
  devtime flush
  devtime status
  devtime usage --source claude-code|codex [--path DIR] [--json]
  devtime backfill --source claude-code|codex [--path DIR] [--since YYYY-MM-DD] [--dry-run] [--restart]

Configuration: ~/.devtime/config.toml, DEVTIME_API_URL / DEVTIME_API_KEY, or ~/.wakatime.cfg.
The usage paths default to ~/.claude/projects, and ~/.codex/sessions with ~/.codex/archived_sessions.
backfill continues where an earlier run stopped (--restart sends everything again), waits as long
as the server's Retry-After asks, and shows its progress with the time left.
`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Progress bars only on a terminal. */
  tty: boolean;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  tty: Boolean(process.stderr.isTTY),
};

function client(io: Io, tool = 'cli'): DevTimeClient {
  return new DevTimeClient({
    tool,
    plugin: 'devtime-cli',
    pluginVersion: CLIENT_VERSION,
    configOptions: { env: io.env },
    logger: { warn: (m) => io.err(`${m}\n`) },
  });
}

function source(value: string | undefined): UsageSource {
  if (value === 'claude-code' || value === 'codex') return value;
  throw new UsageError('--source must be claude-code or codex');
}

/** Where each tool keeps its history; Codex moves archived threads to `archived_sessions`. */
function defaultPaths(src: UsageSource, env: NodeJS.ProcessEnv): string[] {
  if (src === 'claude-code') return [join(env.CLAUDE_CONFIG_DIR ?? join(homedir(), '.claude'), 'projects')];
  const home = env.CODEX_HOME ?? join(homedir(), '.codex');
  return [join(home, 'sessions'), join(home, 'archived_sessions')];
}

class UsageError extends Error {}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'heartbeat':
        return await heartbeat(rest, io);
      case 'flush':
        return await flush(io);
      case 'status':
        return await status(io);
      case 'usage':
        return usage(rest, io);
      case 'backfill':
        return await backfill(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      case '--version':
        io.out(`${CLIENT_VERSION}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`devtime: ${(e as Error).message}\n\n${HELP}`);
      return 2;
    }
    io.err(`devtime: ${(e as Error).message}\n`);
    return 1;
  }
}

async function heartbeat(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      entity: { type: 'string' },
      type: { type: 'string' },
      category: { type: 'string' },
      project: { type: 'string' },
      language: { type: 'string' },
      write: { type: 'boolean' },
      lineno: { type: 'string' },
      time: { type: 'string' },
      tool: { type: 'string' },
      'queue-only': { type: 'boolean' },
    },
  });
  if (!values.entity) throw new UsageError('--entity is required');
  const type = (values.type ?? 'file') as Activity['type'];
  if (!['file', 'app', 'domain', 'url'].includes(type!))
    throw new UsageError('--type must be file, app, domain or url');
  const timeMs = values.time !== undefined ? Number(values.time) * 1000 : Date.now();
  if (!Number.isFinite(timeMs)) throw new UsageError('--time must be epoch seconds');
  const c = client(io, values.tool ?? 'cli');
  const entity = type === 'file' ? resolve(values.entity) : values.entity;
  const r = await c.track({
    entity,
    type,
    timeMs,
    category: values.category,
    project: values.project,
    language: values.language,
    is_write: values.write,
    lineno: values.lineno !== undefined ? Number(values.lineno) : undefined,
    cwd: process.cwd(),
  });
  if (r.excluded) {
    io.err(`devtime: not sent, excluded by the privacy settings (${r.excluded})\n`);
    return 0;
  }
  if (values['queue-only']) return 0;
  const f = await c.flush();
  if (f.error) {
    io.err(`devtime: queued; sending failed (${f.error}), ${f.remaining} waiting\n`);
    return 1;
  }
  return 0;
}

async function flush(io: Io): Promise<number> {
  const f = await client(io).flush();
  io.out(`sent ${f.sent}, rejected ${f.dropped}, waiting ${f.remaining}\n`);
  if (f.error) {
    io.err(`devtime: ${f.error}\n`);
    return 1;
  }
  return 0;
}

async function status(io: Io): Promise<number> {
  const c = client(io);
  const [queued, inFlight] = await Promise.all([c.queue.size(), c.queue.claimedCount()]);
  io.out(`server: ${c.config.endpoint}${c.config.apiKey ? '' : ' (no API key configured)'}\n`);
  io.out(`queue: ${queued} waiting, ${inFlight} being sent (${c.config.queue.dir})\n`);
  let broken = false;
  for (const h of checkHooks(io.env)) {
    if (h.ok) io.out(`${h.tool}: ${h.program} (${h.config})\n`);
    else {
      broken = true;
      io.out(
        `${h.tool}: BROKEN, ${h.config} runs ${h.program}, which no longer exists: nothing is tracked; run the ${h.tool} installer again\n`,
      );
    }
  }
  try {
    const today = await c.sender.todayText();
    io.out(`today: ${today ? `${today.text || '0 secs'} (${Math.round(today.totalSeconds)} s)` : 'unknown'}\n`);
  } catch (e) {
    io.out(`today: unavailable (${(e as Error).message})\n`);
    return 1;
  }
  return broken ? 1 : 0;
}

function usage(args: string[], io: Io): number {
  const { values } = parseArgs({
    args,
    options: { source: { type: 'string' }, path: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  });
  const src = source(values.source);
  const dirs = (values.path ?? defaultPaths(src, io.env)).map((p) => resolve(p));
  const dir = dirs.join(', ');
  const report = usageReport(src, dirs);
  if (values.json) {
    io.out(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const rows = Object.entries(report.models);
  if (rows.length === 0) {
    io.out(`no ${src} usage found under ${dir}\n`);
    return 0;
  }
  const header = ['model', 'input', 'output', 'cache creation', 'cache read'];
  const table = [header, ...rows.map(([m, t]) => [m, t.input, t.output, t.cache_creation, t.cache_read].map(fmt))];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const r of table)
    io.out(`${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}\n`);
  return 0;
}

function fmt(v: string | number): string {
  return typeof v === 'number' ? v.toLocaleString('en-US') : v;
}

/** Where backfill keeps how far it got, per source, history folders and --since, to continue after a stop. */
function progressPath(home: string, src: UsageSource, dirs: string[], since: string | undefined): string {
  const h = createHash('sha256')
    .update(JSON.stringify([src, since ?? '', ...dirs]))
    .digest('hex')
    .slice(0, 16);
  return join(home, 'backfill', `${src}-${h}.json`);
}

interface Progress {
  /** Heartbeats are sent in time order: everything before this time was accepted... */
  throughTime: number;
  /** ...and these identities at that very time. */
  atTime: string[];
}

const identity = (h: Heartbeat) => `${h.time}|${h.entity}|${h.category ?? ''}`;

function readProgress(path: string): Progress | undefined {
  try {
    const p = JSON.parse(readFileSync(path, 'utf8')) as Progress;
    return typeof p.throughTime === 'number' && Array.isArray(p.atTime) ? p : undefined;
  } catch {
    return undefined;
  }
}

function writeProgress(path: string, p: Progress): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(p));
  renameSync(tmp, path);
}

/** Waits between attempts when the server gave no Retry-After; a batch gives up after them. */
const BACKOFF_MS = [500, 1000, 2000, 4000];
/** Throttled answers (429) are waited out as long as the server asks, up to this many times per batch. */
const MAX_THROTTLED = 30;
const MAX_RETRY_AFTER_MS = 5 * 60_000;

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m ${s % 60}s`
      : `${s}s`;
}

async function backfill(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      source: { type: 'string' },
      path: { type: 'string', multiple: true },
      since: { type: 'string' },
      'dry-run': { type: 'boolean' },
      restart: { type: 'boolean' },
    },
  });
  const src = source(values.source);
  const dirs = (values.path ?? defaultPaths(src, io.env)).map((p) => resolve(p));
  const sinceMs = values.since !== undefined ? Date.parse(`${values.since}T00:00:00`) : -Infinity;
  if (Number.isNaN(sinceMs)) throw new UsageError('--since must be YYYY-MM-DD');
  const c = client(io, src);

  let activities: Activity[];
  if (src === 'claude-code') {
    activities = readClaudeUsage(dirs)
      .filter(
        (e) =>
          (e.firstTimestampMs ?? e.timestampMs) >= sinceMs &&
          (e.usage.input || e.usage.output || e.usage.cacheCreation || e.usage.cacheRead),
      )
      .map((e) => claudeUsageActivity(e));
  } else {
    const h = readCodexHistory(dirs);
    activities = [...h.usage.map((e) => codexUsageActivity(e)), ...h.prompts.map((p) => codexPromptActivity(p))].filter(
      (a) => (a.timeMs ?? 0) >= sinceMs,
    );
  }
  let heartbeats: Heartbeat[] = [];
  let excluded = 0;
  for (const a of activities) {
    const p = c.prepare(withProjectFallback(c, a));
    if (p.heartbeat) heartbeats.push(p.heartbeat);
    else excluded++;
  }
  heartbeats.sort((a, b) => a.time - b.time || (identity(a) < identity(b) ? -1 : 1));
  const total = heartbeats.length;
  const progressFile = progressPath(c.config.home, src, dirs, values.since);
  const progress = values.restart ? undefined : readProgress(progressFile);
  if (progress) {
    const at = new Set(progress.atTime);
    heartbeats = heartbeats.filter(
      (h) => h.time > progress.throughTime || (h.time === progress.throughTime && !at.has(identity(h))),
    );
  }
  const already = total - heartbeats.length;
  if (values['dry-run']) {
    io.out(
      `${heartbeats.length} heartbeats would be sent (${already} sent by an earlier run, ${excluded} excluded by privacy settings)\n`,
    );
    return 0;
  }
  if (already > 0)
    io.err(`backfill: continuing after ${already} heartbeats sent by an earlier run (--restart sends all)\n`);

  const bar = io.tty
    ? new cliProgress.SingleBar(
        { format: 'backfill [{bar}] {value}/{total} heartbeats | {eta_formatted} left', stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(heartbeats.length, 0);
  const started = Date.now();
  let sent = 0;
  let rejected = 0;
  let failure: string | undefined;
  let done: Progress = progress ?? { throughTime: -Infinity, atTime: [] };
  for (let i = 0; i < heartbeats.length && !failure; i += MAX_BATCH) {
    const batch = heartbeats.slice(i, i + MAX_BATCH);
    let answer = await c.sender.sendBatch(batch);
    let attempt = 0;
    let throttled = 0;
    while (!answer.ok && !answer.unauthorized) {
      let wait: number | undefined;
      if (answer.status === 429 && throttled < MAX_THROTTLED) {
        throttled++;
        wait = Math.min(answer.retryAfterMs ?? BACKOFF_MS[BACKOFF_MS.length - 1], MAX_RETRY_AFTER_MS);
      } else if (attempt < BACKOFF_MS.length) {
        wait =
          answer.retryAfterMs !== undefined ? Math.min(answer.retryAfterMs, MAX_RETRY_AFTER_MS) : BACKOFF_MS[attempt];
        attempt++;
      }
      if (wait === undefined) break;
      if (!io.tty) io.err(`backfill: server answered ${answer.status ?? answer.error}; waiting ${duration(wait)}\n`);
      await new Promise((r) => setTimeout(r, wait));
      answer = await c.sender.sendBatch(batch);
    }
    if (!answer.ok) {
      failure = answer.error;
      break;
    }
    sent += answer.outcomes.filter((o) => o === 'sent').length;
    rejected += answer.outcomes.filter((o) => o === 'dropped').length;
    if (answer.outcomes.includes('retry')) {
      failure = 'the server asked to retry some heartbeats';
      break;
    }
    const last = batch[batch.length - 1].time;
    const atTime = batch.filter((h) => h.time === last).map(identity);
    done = { throughTime: last, atTime: last === done.throughTime ? [...done.atTime, ...atTime] : atTime };
    writeProgress(progressFile, done);
    const n = Math.min(i + MAX_BATCH, heartbeats.length);
    bar?.update(n);
    if (!io.tty) {
      const eta = ((Date.now() - started) / n) * (heartbeats.length - n);
      io.err(
        `backfill: ${n}/${heartbeats.length} (${Math.floor((100 * n) / heartbeats.length)}%), about ${duration(eta)} left\n`,
      );
    }
  }
  bar?.stop();
  io.out(
    `backfill: sent ${sent}, rejected ${rejected}, excluded ${excluded} of ${activities.length}${already ? ` (${already} sent before)` : ''}\n`,
  );
  if (failure) {
    io.err(`devtime: backfill stopped: ${failure}; run it again to continue where it stopped\n`);
    return 1;
  }
  return 0;
}
