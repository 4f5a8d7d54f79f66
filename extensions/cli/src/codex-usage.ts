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
import { isObject, parseObject } from './json.js';

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

/** What a reader must remember between two reads of the same rollout file. */
export interface CodexRolloutState {
  previousTotal?: CodexRawUsage;
  model?: string;
  modelIsFallback?: boolean;
  sessionId?: string;
  cwd?: string;
  branch?: string;
}

export const CODEX_FALLBACK_MODEL = 'gpt-5';

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

/**
 * Feeds one rollout line through the reader, updating `state`; returns the usage event the line
 * records, if any.
 */
export function parseCodexLine(line: string, state: CodexRolloutState): CodexUsageEvent | undefined {
  if (!line.includes('"type"')) return undefined;
  const data = parseObject(line);
  if (!data || !isObject(data.payload)) return undefined;
  const payload = data.payload;
  if (data.type === 'session_meta') {
    if (typeof payload.id === 'string') state.sessionId = payload.id;
    if (typeof payload.cwd === 'string') state.cwd = payload.cwd;
    if (isObject(payload.git) && typeof payload.git.branch === 'string') state.branch = payload.git.branch;
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
  if (data.type !== 'event_msg' || payload.type !== 'token_count') return undefined;
  if (typeof data.timestamp !== 'string' || data.timestamp.trim() === '') return undefined;
  const timestampMs = Date.parse(data.timestamp);
  if (!Number.isFinite(timestampMs)) return undefined;

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
  return {
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
