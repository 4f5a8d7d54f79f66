/**
 * Token usage from Claude Code transcripts (`~/.claude/projects/<project>/<session>.jsonl`).
 *
 * Claude Code writes one transcript line per content block, so one API response appears on several
 * assistant lines that share `message.id` and `requestId`; a sidechain (sub-agent, `/btw`) can replay a
 * parent message under a new request id. The rules below are the ones ccusage applies, so the totals
 * DevTime records equal what ccusage reports for the same files:
 * - a line counts only if it parses, has `"usage":{`, a valid timestamp and usage numbers, and none of
 *   its id fields is empty or null;
 * - lines are deduplicated by message id + request id; a sidechain line also matches any line of the
 *   same message id; between two matching lines the non-sidechain one wins, then the larger total;
 * - `<synthetic>` (messages Claude Code makes up locally) is not a model.
 */
import { isObject, parseObject, type Json } from './json.js';

export interface TokenUsage {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

export interface ClaudeUsageEntry {
  messageId?: string;
  requestId?: string;
  sidechain: boolean;
  /** Undefined for `<synthetic>` messages and lines without a model. */
  model?: string;
  usage: TokenUsage;
  /** The `speed` field was present (ccusage prefers such a line on a tie). */
  hasSpeed: boolean;
  timestampMs: number;
  /**
   * The earliest line of the response (set by the deduper): the time its heartbeat carries, so every
   * reader that sees any part of the response sends it under the same identity.
   */
  firstTimestampMs?: number;
  sessionId?: string;
  cwd?: string;
  gitBranch?: string;
}

/** Only lines with usage are parsed. */
export const CLAUDE_LINE_MARKERS = ['"usage":{'];

export const ZERO_USAGE: Readonly<TokenUsage> = Object.freeze({ input: 0, output: 0, cacheCreation: 0, cacheRead: 0 });

export function usageTotal(u: TokenUsage): number {
  return u.input + u.output + u.cacheCreation + u.cacheRead;
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheCreation: a.cacheCreation + b.cacheCreation,
    cacheRead: a.cacheRead + b.cacheRead,
  };
}

export function subtractUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input: a.input - b.input,
    output: a.output - b.output,
    cacheCreation: a.cacheCreation - b.cacheCreation,
    cacheRead: a.cacheRead - b.cacheRead,
  };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** Optional string field: absent is fine, a non-string (including null) makes the line invalid. */
function optString(obj: Json, key: string): { ok: boolean; value?: string } {
  if (!(key in obj)) return { ok: true };
  const v = obj[key];
  return typeof v === 'string' ? { ok: v !== '', value: v } : { ok: false };
}

const SEMVER_PREFIX = /^\d+\.\d+\.\d/;

/**
 * Parses one transcript line into a usage entry, or undefined when the line carries no countable usage
 * (user lines, summaries, corrupt or half-written lines).
 */
export function parseClaudeLine(line: string): ClaudeUsageEntry | undefined {
  if (!line.includes('"usage":{')) return undefined;
  const data = parseObject(line);
  if (!data || !isObject(data.message)) return undefined;
  const message = data.message;
  const usage = message.usage;
  if (!isObject(usage) || !isCount(usage.input_tokens) || !isCount(usage.output_tokens)) return undefined;
  for (const key of ['cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
    if (key in usage && !isCount(usage[key])) return undefined;
  }
  if ('speed' in usage && usage.speed !== 'standard' && usage.speed !== 'fast') return undefined;
  if (typeof data.timestamp !== 'string') return undefined;
  const timestampMs = Date.parse(data.timestamp);
  if (!Number.isFinite(timestampMs)) return undefined;

  const sessionId = optString(data, 'sessionId');
  const requestId = optString(data, 'requestId');
  const version = optString(data, 'version');
  const cwd = optString(data, 'cwd');
  const messageId = optString(message, 'id');
  const model = optString(message, 'model');
  if (!sessionId.ok || !requestId.ok || !messageId.ok || !model.ok || !version.ok) return undefined;
  if (version.value !== undefined && !SEMVER_PREFIX.test(version.value)) return undefined;
  if ('cwd' in data && data.cwd === null) return undefined;
  if ('costUSD' in data && typeof data.costUSD !== 'number') return undefined;
  if ('isApiErrorMessage' in data && typeof data.isApiErrorMessage !== 'boolean') return undefined;
  if ('isSidechain' in data && typeof data.isSidechain !== 'boolean') return undefined;

  let cacheCreation = (usage.cache_creation_input_tokens as number | undefined) ?? 0;
  if (isObject(usage.cache_creation)) {
    // The per-TTL breakdown, when present, is what the API billed.
    const c = usage.cache_creation;
    const five = c.ephemeral_5m_input_tokens ?? 0;
    const hour = c.ephemeral_1h_input_tokens ?? 0;
    if (!isCount(five) || !isCount(hour)) return undefined;
    cacheCreation = five + hour;
  } else if ('cache_creation' in usage && usage.cache_creation !== null) {
    return undefined;
  }

  let modelName = model.value === '<synthetic>' ? undefined : model.value;
  if (modelName !== undefined && usage.speed === 'fast') modelName = `${modelName}-fast`;

  return {
    messageId: messageId.value,
    requestId: requestId.value,
    sidechain: data.isSidechain === true,
    model: modelName,
    usage: {
      input: usage.input_tokens,
      output: usage.output_tokens,
      cacheCreation,
      cacheRead: (usage.cache_read_input_tokens as number | undefined) ?? 0,
    },
    hasSpeed: 'speed' in usage,
    timestampMs,
    sessionId: sessionId.value,
    cwd: cwd.value,
    gitBranch: typeof data.gitBranch === 'string' && data.gitBranch !== '' ? data.gitBranch : undefined,
  };
}

/** What adding one entry did: counted it anew, replaced an earlier line of the same response, or nothing. */
export type DedupeResult =
  | { kind: 'new'; entry: ClaudeUsageEntry }
  | { kind: 'replaced'; entry: ClaudeUsageEntry; previous: ClaudeUsageEntry }
  | { kind: 'duplicate' };

function shouldReplace(candidate: ClaudeUsageEntry, existing: ClaudeUsageEntry): boolean {
  if (candidate.sidechain !== existing.sidechain) return existing.sidechain;
  const c = usageTotal(candidate.usage);
  const e = usageTotal(existing.usage);
  if (c !== e) return c > e;
  return candidate.hasSpeed && !existing.hasSpeed;
}

/**
 * Keeps one entry per response. The state is a plain list of the kept entries, so a hook can persist it
 * between runs and continue where it stopped.
 */
export class ClaudeUsageDeduper {
  readonly kept: ClaudeUsageEntry[] = [];
  private readonly byExact = new Map<string, number[]>();
  private readonly byMessage = new Map<string, number[]>();

  constructor(kept: ClaudeUsageEntry[] = []) {
    for (const entry of kept) this.add(entry);
  }

  add(entry: ClaudeUsageEntry): DedupeResult {
    if (entry.messageId === undefined) {
      this.kept.push(entry);
      return { kind: 'new', entry };
    }
    const mid = entry.messageId;
    const exactKey = `${mid}\u0000${entry.requestId ?? ''}\u0000${entry.requestId === undefined ? 0 : 1}`;
    let index = (this.byExact.get(exactKey) ?? []).find((i) => {
      const k = this.kept[i];
      return k.messageId === mid && k.requestId === entry.requestId;
    });
    if (index === undefined) {
      index = (this.byMessage.get(mid) ?? []).find((i) => {
        const k = this.kept[i];
        return k.messageId === mid && (entry.sidechain || k.sidechain);
      });
    }
    if (index !== undefined) {
      const previous = this.kept[index];
      // The first line of the same message and request; a replacement from another request (a
      // sidechain's copy) starts its own.
      const sameRequest = previous.requestId === entry.requestId;
      const own = entry.firstTimestampMs ?? entry.timestampMs;
      const first = sameRequest ? Math.min(previous.firstTimestampMs ?? previous.timestampMs, own) : own;
      if (!shouldReplace(entry, previous)) {
        if (sameRequest && first !== previous.firstTimestampMs)
          this.kept[index] = { ...previous, firstTimestampMs: first };
        return { kind: 'duplicate' };
      }
      entry = { ...entry, firstTimestampMs: first };
      this.kept[index] = entry;
      this.index(exactKey, mid, index);
      return { kind: 'replaced', entry, previous };
    }
    entry = { ...entry, firstTimestampMs: entry.firstTimestampMs ?? entry.timestampMs };
    this.kept.push(entry);
    this.index(exactKey, mid, this.kept.length - 1);
    return { kind: 'new', entry };
  }

  private index(exactKey: string, mid: string, i: number): void {
    for (const [map, key] of [
      [this.byExact, exactKey],
      [this.byMessage, mid],
    ] as const) {
      const list = map.get(key);
      if (!list) map.set(key, [i]);
      else if (!list.includes(i)) list.push(i);
    }
  }
}

export interface ModelTotals {
  [model: string]: TokenUsage;
}

/** Sums kept entries per model; entries without a model (`<synthetic>`) are left out, as ccusage does. */
export function totalsByModel(entries: Iterable<ClaudeUsageEntry>): ModelTotals {
  const out: ModelTotals = {};
  for (const e of entries) {
    if (e.model === undefined) continue;
    out[e.model] = addUsage(out[e.model] ?? ZERO_USAGE, e.usage);
  }
  return out;
}
