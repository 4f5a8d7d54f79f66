/**
 * `devtime`: send a heartbeat, flush the offline queue, show status, report and backfill AI tool
 * token usage. Built to dist/devtime.js; run with `node dist/devtime.js <command>`.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { DevTimeClient, MAX_BATCH, type Activity, type Heartbeat } from '@devtime/core';
import { CLI_VERSION } from './version.js';
import { readClaudeUsage, readCodexUsage, usageReport, type UsageSource } from './transcripts.js';
import { claudeUsageActivity, codexUsageActivity, withProjectFallback } from './history.js';

const HELP = `devtime ${CLI_VERSION}

Usage:
  devtime heartbeat --entity PATH [--type file|app|domain|url] [--category CATEGORY] [--project NAME]
                    [--language NAME] [--write] [--lineno N] [--time EPOCH_SECONDS] [--tool NAME]
                    [--queue-only]
  devtime flush
  devtime status
  devtime usage --source claude-code|codex [--path DIR] [--json]
  devtime backfill --source claude-code|codex [--path DIR] [--since YYYY-MM-DD] [--dry-run]

Configuration: ~/.devtime/config.toml, DEVTIME_API_URL / DEVTIME_API_KEY, or ~/.wakatime.cfg.
The usage paths default to ~/.claude/projects and ~/.codex/sessions.
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
    pluginVersion: CLI_VERSION,
    configOptions: { env: io.env },
    logger: { warn: (m) => io.err(`${m}\n`) },
  });
}

function source(value: string | undefined): UsageSource {
  if (value === 'claude-code' || value === 'codex') return value;
  throw new UsageError('--source must be claude-code or codex');
}

function defaultPath(src: UsageSource, env: NodeJS.ProcessEnv): string {
  if (src === 'claude-code') return join(env.CLAUDE_CONFIG_DIR ?? join(homedir(), '.claude'), 'projects');
  return join(env.CODEX_HOME ?? join(homedir(), '.codex'), 'sessions');
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
        io.out(`${CLI_VERSION}\n`);
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
  if (!['file', 'app', 'domain', 'url'].includes(type!)) throw new UsageError('--type must be file, app, domain or url');
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
  try {
    const today = await c.sender.todayText();
    io.out(`today: ${today ? `${today.text || '0 secs'} (${Math.round(today.totalSeconds)} s)` : 'unknown'}\n`);
  } catch (e) {
    io.out(`today: unavailable (${(e as Error).message})\n`);
    return 1;
  }
  return 0;
}

function usage(args: string[], io: Io): number {
  const { values } = parseArgs({
    args,
    options: { source: { type: 'string' }, path: { type: 'string' }, json: { type: 'boolean' } },
  });
  const src = source(values.source);
  const dir = resolve(values.path ?? defaultPath(src, io.env));
  const report = usageReport(src, dir);
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
  for (const r of table) io.out(`${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}\n`);
  return 0;
}

function fmt(v: string | number): string {
  return typeof v === 'number' ? v.toLocaleString('en-US') : v;
}

async function backfill(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      source: { type: 'string' },
      path: { type: 'string' },
      since: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  const src = source(values.source);
  const dir = resolve(values.path ?? defaultPath(src, io.env));
  const sinceMs = values.since !== undefined ? Date.parse(`${values.since}T00:00:00`) : -Infinity;
  if (Number.isNaN(sinceMs)) throw new UsageError('--since must be YYYY-MM-DD');
  const c = client(io, src);

  const activities: Activity[] =
    src === 'claude-code'
      ? readClaudeUsage(dir)
          .filter((e) => e.timestampMs >= sinceMs && (e.usage.input || e.usage.output || e.usage.cacheCreation || e.usage.cacheRead))
          .map((e) => claudeUsageActivity(e))
      : readCodexUsage(dir)
          .filter((e) => e.timestampMs >= sinceMs)
          .map((e) => codexUsageActivity(e));
  const heartbeats: Heartbeat[] = [];
  let excluded = 0;
  for (const a of activities) {
    const p = c.prepare(withProjectFallback(c, a));
    if (p.heartbeat) heartbeats.push(p.heartbeat);
    else excluded++;
  }
  heartbeats.sort((a, b) => a.time - b.time);
  if (values['dry-run']) {
    io.out(`${heartbeats.length} heartbeats would be sent (${excluded} excluded by privacy settings)\n`);
    return 0;
  }

  const bar = io.tty
    ? new cliProgress.SingleBar(
        { format: 'backfill [{bar}] {value}/{total} heartbeats | {eta_formatted} left', stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(heartbeats.length, 0);
  let sent = 0;
  let rejected = 0;
  let failure: string | undefined;
  for (let i = 0; i < heartbeats.length && !failure; i += MAX_BATCH) {
    const batch = heartbeats.slice(i, i + MAX_BATCH);
    let answer = await c.sender.sendBatch(batch);
    for (const delay of [500, 2000, 5000]) {
      if (answer.ok || answer.unauthorized) break;
      await new Promise((r) => setTimeout(r, delay));
      answer = await c.sender.sendBatch(batch);
    }
    if (!answer.ok) {
      failure = answer.error;
      break;
    }
    sent += answer.outcomes.filter((o) => o === 'sent').length;
    rejected += answer.outcomes.filter((o) => o === 'dropped').length;
    if (answer.outcomes.includes('retry')) failure = 'the server asked to retry some heartbeats';
    bar?.update(Math.min(i + MAX_BATCH, heartbeats.length));
    if (!io.tty) io.err(`backfill: ${Math.min(i + MAX_BATCH, heartbeats.length)}/${heartbeats.length}\n`);
  }
  bar?.stop();
  io.out(`backfill: sent ${sent}, rejected ${rejected}, excluded ${excluded} of ${activities.length}\n`);
  if (failure) {
    // Safe to run again: the server counts a heartbeat it already has once.
    io.err(`devtime: backfill stopped: ${failure}; run it again to send the rest\n`);
    return 1;
  }
  return 0;
}
