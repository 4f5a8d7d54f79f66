/**
 * Token usage from Codex CLI session rollouts (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`).
 *
 * Codex writes an `event_msg` of type `token_count` after each model response: `info.last_token_usage`
 * is that response's usage, `info.total_token_usage` the session's running total. The model comes from
 * the latest `turn_context`. OpenAI counts cached prompt tokens inside `input_tokens`, and reasoning
 * tokens inside `output_tokens`; DevTime reports input without the cached part and the cached part as
 * cache reads, as ccusage does, so input + cache_read is what the API received.
 */
import type { TokenUsage } from './claude-usage.js';
import { createHash } from 'node:crypto';
import { isObject, parseObject, type Json } from './json.js';

export interface CodexRawUsage {
  input: number;
  cached: number;
  output: number;
  reasoning: number;
  total: number;
}

export interface CodexUsageEvent {
  timestampMs: number;
  /** The timestamp exactly as written (part of the duplicate key). */
  timestamp: string;
  model: string;
  /** True when no model was recorded and `gpt-5` was assumed, as ccusage does. */
  fallbackModel: boolean;
  raw: CodexRawUsage;
  sessionId?: string;
  cwd?: string;
  branch?: string;
}

/** A prompt a person typed (`event_msg` `user_message`), counted at its own time. */
export interface CodexPromptEvent {
  kind: 'prompt';
  timestampMs: number;
  timestamp: string;
  length: number;
  sessionId?: string;
  cwd?: string;
  branch?: string;
}

/**
 * What a reader must remember between two reads of the same rollout file. A rollout that continues
 * another thread (a fork, or a sub-agent spawned with `thread_spawn`) starts with a copy of that
 * thread's history: Codex names the parent in `forked_from_id` or in
 * `source.subagent.thread_spawn.parent_thread_id` of the rollout's first `session_meta`, may write
 * the parent's own `session_meta` after it, and copies the parent's lines either with their original
 * timestamps or stamped with the time of the copy. Those lines were counted in the parent's rollout.
 */
export interface CodexRolloutState {
  previousTotal?: CodexRawUsage;
  model?: string;
  modelIsFallback?: boolean;
  /** The rollout's own thread id (its first `session_meta`; later ones are copies). */
  sessionId?: string;
  cwd?: string;
  branch?: string;
  parentId?: string;
  /** A sub-agent's rollout: its user messages come from the parent agent, not from a person. */
  subagent?: boolean;
  /** When the rollout was created: copied lines with earlier timestamps are the parent's. */
  startedMs?: number;
  /** The parent's history keys, matched in order against the copied prefix until it ends. */
  copied?: { keys: string[]; next: number };
}

/** Finds the history keys of a thread's rollout (see {@link codexHistoryKey}); undefined when it is gone. */
export type ParentHistory = (threadId: string) => string[] | undefined;

export const CODEX_FALLBACK_MODEL = 'gpt-5';

/** The line types the reader uses; other lines (tool output, messages) are skipped unread. */
export const CODEX_LINE_MARKERS = ['"session_meta"', '"turn_context"', '"token_count"', '"user_message"'];

function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.trunc(v) : undefined;
}

function rawUsage(v: unknown): CodexRawUsage | undefined {
  if (!isObject(v)) return undefined;
  const input = count(v.input_tokens) ?? count(v.prompt_tokens) ?? 0;
  const output = count(v.output_tokens) ?? count(v.completion_tokens) ?? 0;
  const reasoning = count(v.reasoning_output_tokens) ?? count(v.reasoning_tokens) ?? 0;
  const cached = count(v.cached_input_tokens) ?? count(v.cache_read_input_tokens) ?? 0;
  const total = count(v.total_tokens);
  return { input, cached, output, reasoning, total: total && total > 0 ? total : input + output + reasoning };
}

function minus(a: CodexRawUsage, b: CodexRawUsage | undefined): CodexRawUsage {
  if (!b) return a;
  const d = (x: number, y: number) => Math.max(0, x - y);
  return {
    input: d(a.input, b.input),
    cached: d(a.cached, b.cached),
    output: d(a.output, b.output),
    reasoning: d(a.reasoning, b.reasoning),
    total: d(a.total, b.total),
  };
}

function sameUsage(a: CodexRawUsage, b: CodexRawUsage | undefined): boolean {
  return (
    b !== undefined &&
    a.input === b.input &&
    a.cached === b.cached &&
    a.output === b.output &&
    a.reasoning === b.reasoning &&
    a.total === b.total
  );
}

function modelOf(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  for (const m of [v.model, v.model_name, isObject(v.metadata) ? v.metadata.model : undefined]) {
    if (typeof m === 'string' && m !== '') return m;
  }
  return undefined;
}

const usageKey = (u: CodexRawUsage | undefined) =>
  u ? `${u.input},${u.cached},${u.output},${u.reasoning},${u.total}` : '-';

/**
 * What identifies a history line whatever its timestamp: a `token_count`'s numbers (the running total
 * makes them unique within a thread) or a user message's text. Copies keep these and may change the time.
 */
export function codexHistoryKey(line: string): string | undefined {
  if (!line.includes('"token_count"') && !line.includes('"user_message"')) return undefined;
  const data = parseObject(line);
  if (!data || data.type !== 'event_msg' || !isObject(data.payload)) return undefined;
  return payloadKey(data.payload);
}

function payloadKey(payload: Json): string | undefined {
  if (payload.type === 'user_message') {
    return typeof payload.message === 'string'
      ? `p:${createHash('sha1').update(payload.message).digest('hex').slice(0, 20)}`
      : undefined;
  }
  if (payload.type !== 'token_count' || !isObject(payload.info)) return undefined;
  return `t:${usageKey(rawUsage(payload.info.last_token_usage))}/${usageKey(rawUsage(payload.info.total_token_usage))}`;
}

function parentOf(meta: Json): { parentId?: string; subagent: boolean } {
  const source = meta.source;
  const sub = isObject(source) ? (source.subagent ?? source.sub_agent ?? source.subAgent) : undefined;
  const spawn = isObject(sub) ? (sub.thread_spawn ?? sub.threadSpawn) : undefined;
  const spawnParent =
    isObject(spawn) && typeof spawn.parent_thread_id === 'string' ? spawn.parent_thread_id : undefined;
  const forked =
    typeof meta.forked_from_id === 'string' && meta.forked_from_id !== '' ? meta.forked_from_id : undefined;
  return { parentId: forked ?? spawnParent, subagent: sub !== undefined };
}

/** True when a line of a continued rollout is part of the copied parent history (and updates the match). */
function inherited(state: CodexRolloutState, key: string | undefined, timestampMs: number): boolean {
  if (state.parentId === undefined) return false;
  if (state.copied && key !== undefined) {
    const i = state.copied.keys.indexOf(key, state.copied.next);
    if (i >= 0) {
      state.copied.next = i + 1;
      return true;
    }
    // The first line the parent does not have ends the copy.
    state.copied = undefined;
  }
  return state.startedMs !== undefined && timestampMs < state.startedMs;
}

export type CodexEvent = (CodexUsageEvent & { kind: 'usage' }) | CodexPromptEvent;

/**
 * Feeds one rollout line through the reader, updating `state`; returns the usage or prompt the line
 * records, if any. `parents` finds a parent thread's history the first time a continued rollout names it.
 */
export function readCodexLine(line: string, state: CodexRolloutState, parents?: ParentHistory): CodexEvent | undefined {
  if (!line.includes('"type"')) return undefined;
  const data = parseObject(line);
  if (!data || !isObject(data.payload)) return undefined;
  const payload = data.payload;
  if (data.type === 'session_meta') {
    if (state.sessionId !== undefined && payload.id !== state.sessionId) return undefined;
    if (typeof payload.id === 'string') state.sessionId = payload.id;
    if (typeof payload.cwd === 'string') state.cwd = payload.cwd;
    if (isObject(payload.git) && typeof payload.git.branch === 'string') state.branch = payload.git.branch;
    const { parentId, subagent } = parentOf(payload);
    if (parentId && state.parentId === undefined) {
      state.parentId = parentId;
      state.subagent = subagent;
      const started = Date.parse(typeof payload.timestamp === 'string' ? payload.timestamp : String(data.timestamp));
      if (Number.isFinite(started)) state.startedMs = started;
      const keys = parents?.(parentId);
      if (keys && keys.length > 0) state.copied = { keys, next: 0 };
    }
    return undefined;
  }
  if (data.type === 'turn_context') {
    const model = modelOf(payload);
    if (model) {
      state.model = model;
      state.modelIsFallback = false;
    }
    if (typeof payload.cwd === 'string') state.cwd = payload.cwd;
    return undefined;
  }
  if (data.type !== 'event_msg') return undefined;
  if (payload.type !== 'token_count' && payload.type !== 'user_message') return undefined;
  if (typeof data.timestamp !== 'string' || data.timestamp.trim() === '') return undefined;
  const timestampMs = Date.parse(data.timestamp);
  if (!Number.isFinite(timestampMs)) return undefined;
  const copy = inherited(state, payloadKey(payload), timestampMs);

  if (payload.type === 'user_message') {
    if (copy || state.subagent || typeof payload.message !== 'string') return undefined;
    return {
      kind: 'prompt',
      timestampMs,
      timestamp: data.timestamp.trim(),
      length: payload.message.length,
      sessionId: state.sessionId,
      cwd: state.cwd,
      branch: state.branch,
    };
  }

  const info = isObject(payload.info) ? payload.info : undefined;
  const total = rawUsage(info?.total_token_usage);
  // Codex re-emits the last token_count (same running total) when only the rate limits changed; that
  // response was already counted.
  if (total && sameUsage(total, state.previousTotal)) return undefined;
  const raw = rawUsage(info?.last_token_usage) ?? (total ? minus(total, state.previousTotal) : undefined);
  if (total) state.previousTotal = total;
  if (!raw || (raw.input === 0 && raw.cached === 0 && raw.output === 0 && raw.reasoning === 0)) return undefined;

  let model = modelOf(payload) ?? modelOf(info);
  let fallbackModel = false;
  if (model) {
    state.model = model;
    state.modelIsFallback = false;
  } else if (state.model) {
    model = state.model;
    fallbackModel = state.modelIsFallback === true;
  } else {
    model = CODEX_FALLBACK_MODEL;
    fallbackModel = true;
    state.model = model;
    state.modelIsFallback = true;
  }
  if (copy) return undefined;
  return {
    kind: 'usage',
    timestampMs,
    timestamp: data.timestamp.trim(),
    model,
    fallbackModel,
    raw: { ...raw, cached: Math.min(raw.cached, raw.input) },
    sessionId: state.sessionId,
    cwd: state.cwd,
    branch: state.branch,
  };
}

/** {@link readCodexLine} for token usage only. */
export function parseCodexLine(
  line: string,
  state: CodexRolloutState,
  parents?: ParentHistory,
): CodexUsageEvent | undefined {
  const e = readCodexLine(line, state, parents);
  return e?.kind === 'usage' ? e : undefined;
}

/** DevTime's token fields for one Codex event: cached input is reported as cache reads, not input. */
export function codexTokenUsage(raw: CodexRawUsage): TokenUsage {
  return { input: raw.input - raw.cached, output: raw.output, cacheCreation: 0, cacheRead: raw.cached };
}

/**
 * Drops an event already seen with the same timestamp, model and numbers: a forked or resumed session
 * copies its parent's history into a new rollout file.
 */
export class CodexEventDeduper {
  private readonly seen = new Set<string>();

  constructor(keys: Iterable<string> = []) {
    for (const k of keys) this.seen.add(k);
  }

  static key(e: CodexUsageEvent): string {
    const r = e.raw;
    return [e.timestamp, e.model, r.input, r.cached, r.output, r.reasoning, r.total].join('|');
  }

  /** True the first time an event is offered. */
  add(e: CodexUsageEvent): boolean {
    const k = CodexEventDeduper.key(e);
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }

  keys(): string[] {
    return [...this.seen];
  }
}
