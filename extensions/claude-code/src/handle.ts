/**
 * One hook event -> the activities to queue: the event itself (a prompt, an edited file, the session
 * starting or ending) and the token usage Claude Code wrote to the transcript since the last event of
 * the same session. Reading the transcript incrementally keeps every hook cheap; the per-session
 * state (byte offsets and the responses already reported) makes each usage count once.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Activity } from '@devtime/core';
import {
  CLAUDE_APP,
  ClaudeUsageDeduper,
  claudeUsageActivity,
  forEachLine,
  parseClaudeLine,
  usageTotal,
  withLock,
  type ClaudeUsageEntry,
} from '@devtime/cli';
import { aiLineChanges, editedFile, type HookPayload } from './payload.js';

export interface SessionState {
  v: 1;
  /** Byte offset read so far, per transcript file. */
  files: Record<string, number>;
  /** The responses reported so far (what the deduper needs to recognise their other lines). */
  kept: ClaudeUsageEntry[];
  /** Claude Code's version, from the transcript (for the user agent). */
  version?: string;
}

const STATE_TTL_MS = 30 * 24 * 3600 * 1000;

export function stateDir(devtimeHome: string): string {
  return join(devtimeHome, 'claude-code', 'sessions');
}

function statePath(devtimeHome: string, sessionId: string): string {
  return join(stateDir(devtimeHome), `${sessionId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

export function loadState(devtimeHome: string, sessionId: string): SessionState {
  try {
    const s = JSON.parse(readFileSync(statePath(devtimeHome, sessionId), 'utf8')) as SessionState;
    if (s && s.v === 1 && typeof s.files === 'object' && Array.isArray(s.kept)) return s;
  } catch {
    // No state yet (or a corrupt one): start from the beginning of the transcript; the server counts
    // a resent heartbeat once, so rereading is safe.
  }
  return { v: 1, files: {}, kept: [] };
}

function saveState(devtimeHome: string, sessionId: string, state: SessionState): void {
  const path = statePath(devtimeHome, sessionId);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}

/** Deletes the state of sessions untouched for 30 days (run at session start). */
export function pruneStates(devtimeHome: string, now = Date.now()): void {
  const dir = stateDir(devtimeHome);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(dir, n);
    try {
      if (now - statSync(p).mtimeMs > STATE_TTL_MS) unlinkSync(p);
    } catch {
      // Another hook removed or is replacing it.
    }
  }
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

/**
 * The transcripts of a session: the main one, the sub-agent transcript a SubagentStop names, and
 * the `<session>/subagents/*.jsonl` files recent Claude Code versions write beside the main one.
 */
export function transcriptFiles(p: HookPayload): string[] {
  const files = new Set<string>();
  if (p.transcript_path) {
    const main = expandHome(p.transcript_path);
    files.add(main);
    const subDir = join(dirname(main), basename(main, '.jsonl'), 'subagents');
    try {
      for (const n of readdirSync(subDir)) if (n.endsWith('.jsonl')) files.add(join(subDir, n));
    } catch {
      // No sub-agents in this session.
    }
  }
  if (p.agent_transcript_path) files.add(expandHome(p.agent_transcript_path));
  return [...files];
}

/** After these, Claude Code has finished writing the turn: everything read is complete. */
const FINISHING_EVENTS = new Set(['Stop', 'SubagentStop', 'SessionEnd']);

const VERSION = /"version":"(\d+\.\d+\.\d+[^"]*)"/;

/**
 * Reads what the session's transcripts gained since the last hook, line by line from the saved
 * offsets; returns the usage activities: one per response that is new or grew, with its whole usage
 * at the time of its first line. A response read again once Claude Code has written more of it (at
 * `Stop` the transcript may still lack the turn's last lines) is sent again under the same identity
 * with the larger numbers, which the server keeps; `devtime backfill` sends that same heartbeat.
 */
export function collectUsage(p: HookPayload, state: SessionState): Activity[] {
  const dedupe = new ClaudeUsageDeduper(state.kept);
  const reported = [...dedupe.kept];
  const finished = FINISHING_EVENTS.has(p.hook_event_name);
  for (const file of transcriptFiles(p)) {
    let offset = state.files[file] ?? 0;
    if (sizeOf(file) < offset) offset = 0; // replaced: read it again from the start
    // The response at the end may still be streaming (more lines, a larger usage): unless the turn is
    // over, its lines wait for a later hook, so it is usually sent once, whole.
    let held: { entry: ClaudeUsageEntry; line: string; start: number }[] = [];
    let start = offset;
    const take = (line: string, entry: ClaudeUsageEntry | undefined) => {
      if (!entry) return;
      const version = VERSION.exec(line)?.[1];
      if (version) state.version = version;
      dedupe.add(entry);
    };
    const read = forEachLine(
      file,
      (line, end) => {
        const entry = parseClaudeLine(line);
        if (held.length > 0 && entry?.messageId !== held[0].entry.messageId) {
          for (const h of held) take(h.line, h.entry);
          held = [];
        }
        if (!finished && entry?.messageId !== undefined) held.push({ entry, line, start });
        else take(line, entry);
        start = end;
      },
      { offset },
    );
    state.files[file] = held.length > 0 ? held[0].start : read.offset;
  }
  const out: Activity[] = [];
  dedupe.kept.forEach((entry, i) => {
    const old = reported[i];
    if (old === entry) return;
    // Already sent under another time (the response was first read from another request's copy).
    if (old && (old.firstTimestampMs ?? old.timestampMs) !== entry.firstTimestampMs) return;
    if (old && usageTotal(entry.usage) <= usageTotal(old.usage)) return;
    if (usageTotal(entry.usage) <= 0) return;
    out.push(claudeUsageActivity({ ...entry, cwd: entry.cwd ?? p.cwd, sessionId: entry.sessionId ?? p.session_id }));
  });
  // Keep only what the deduper needs: the ids, flags, model, usage and times of each response.
  state.kept = dedupe.kept.map((e) => ({
    messageId: e.messageId,
    requestId: e.requestId,
    sidechain: e.sidechain,
    model: e.model,
    usage: e.usage,
    hasSpeed: e.hasSpeed,
    timestampMs: e.timestampMs,
    firstTimestampMs: e.firstTimestampMs,
  }));
  return out;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The heartbeat for the event itself. */
export function eventActivity(p: HookPayload, nowMs: number): Activity {
  const base: Activity = {
    entity: CLAUDE_APP,
    type: 'app',
    category: 'ai coding',
    timeMs: nowMs,
    cwd: p.cwd,
    ai_session: p.session_id,
  };
  switch (p.hook_event_name) {
    case 'UserPromptSubmit':
      return { ...base, ai_prompts: 1, ai_prompt_length: p.prompt?.length };
    case 'PreToolUse':
    case 'PostToolUse': {
      const file = editedFile(p);
      if (!file) return base;
      const abs = isAbsolute(file) ? file : resolve(p.cwd ?? process.cwd(), file);
      const write = p.hook_event_name === 'PostToolUse';
      return {
        ...base,
        entity: abs,
        type: 'file',
        is_write: write,
        ai_line_changes: write ? aiLineChanges(p) : undefined,
      };
    }
    case 'SessionStart':
      return { ...base, ai_model: p.model };
    default:
      return base;
  }
}

/**
 * Handles one hook event under the session's lock: reads new transcript lines, hands the activities
 * (event first, then usage in transcript order) to `queue`, and only then saves the session state.
 * `claude -p` kills async hooks at teardown: a hook stopped after saving but before queueing would
 * lose that usage for good, while one stopped before saving reads it again next time.
 */
export async function handleHookEvent(
  p: HookPayload,
  devtimeHome: string,
  queue: (activities: Activity[], version: string | undefined) => Promise<void>,
  nowMs = Date.now(),
): Promise<void> {
  if (p.hook_event_name === 'SessionStart') pruneStates(devtimeHome, nowMs);
  const lockTarget = statePath(devtimeHome, p.session_id);
  mkdirSync(dirname(lockTarget), { recursive: true });
  await withLock(lockTarget, async () => {
    const state = loadState(devtimeHome, p.session_id);
    const usage = collectUsage(p, state);
    await queue([eventActivity(p, nowMs), ...usage], state.version);
    saveState(devtimeHome, p.session_id, state);
  });
}
