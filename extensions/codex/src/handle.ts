/**
 * Codex events -> activities. Two ways in:
 * - `notify`: Codex runs the configured program with one JSON argument after each turn
 *   (`{"type":"agent-turn-complete","thread-id":...,"turn-id":...,"cwd":...,"input-messages":[...],
 *   "last-assistant-message":...}`);
 * - hooks (recent Codex): a command with the event's JSON on stdin (`session_id`, `transcript_path`,
 *   `cwd`, `hook_event_name`, `model`, ...).
 * Token usage always comes from the session's rollout file, read from where the last event stopped.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Activity } from '@devtime/core';
import {
  CODEX_APP,
  CODEX_LINE_MARKERS,
  CodexEventDeduper,
  codexHistoryKeys,
  codexPromptActivity,
  codexUsageActivity,
  forEachLine,
  listJsonlFiles,
  parseObject,
  readCodexLine,
  withLock,
  type CodexRolloutState,
} from '@devtime/cli';

export interface NotifyPayload {
  type: 'agent-turn-complete';
  threadId?: string;
  turnId?: string;
  cwd?: string;
  inputMessages: string[];
}

/** Parses Codex's notify argument; undefined for other notification types or garbage. */
export function parseNotify(arg: string | undefined): NotifyPayload | undefined {
  const o = arg ? parseObject(arg) : undefined;
  if (o?.type !== 'agent-turn-complete') return undefined;
  const s = (k: string) => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
  return {
    type: 'agent-turn-complete',
    threadId: s('thread-id'),
    turnId: s('turn-id'),
    cwd: s('cwd'),
    inputMessages: Array.isArray(o['input-messages'])
      ? (o['input-messages'] as unknown[]).filter((m): m is string => typeof m === 'string')
      : [],
  };
}

/**
 * Codex runs hooks synchronously: every PostToolUse would hold each tool call for a Node start, and
 * usage is read from the rollout at the next Stop anyway, so DevTime does not hook tool calls.
 */
export const CODEX_HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'Stop'] as const;

export interface CodexHookPayload {
  hook_event_name: string;
  session_id: string;
  transcript_path?: string;
  cwd?: string;
  model?: string;
  prompt?: string;
}

export function parseCodexHook(text: string): CodexHookPayload | undefined {
  const o = parseObject(text);
  if (!o || typeof o.hook_event_name !== 'string' || typeof o.session_id !== 'string' || o.session_id === '')
    return undefined;
  const s = (k: string) => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
  return {
    hook_event_name: o.hook_event_name,
    session_id: o.session_id,
    transcript_path: s('transcript_path'),
    cwd: s('cwd'),
    model: s('model'),
    prompt: s('prompt'),
  };
}

/** Where the installer keeps the notify program DevTime replaced (notify.js still runs it). */
export function previousNotifyPath(devtimeHome: string): string {
  return join(devtimeHome, 'codex', 'previous-notify.json');
}

export function codexHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CODEX_HOME ?? join(homedir(), '.codex');
}

/**
 * The rollout file of a thread: `sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl`. The newest
 * day folders are searched first: a live session's file is almost always among them.
 */
export function findRollout(sessionsDir: string, threadId: string): string | undefined {
  const suffix = `${threadId}.jsonl`;
  const list = (d: string) => {
    try {
      return readdirSync(d, { withFileTypes: true });
    } catch {
      return [];
    }
  };
  const dirsDesc = (d: string) =>
    list(d)
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
      .reverse();
  for (const y of dirsDesc(sessionsDir)) {
    for (const m of dirsDesc(join(sessionsDir, y))) {
      for (const day of dirsDesc(join(sessionsDir, y, m))) {
        const dir = join(sessionsDir, y, m, day);
        const hit = list(dir).find((e) => e.isFile() && e.name.startsWith('rollout-') && e.name.endsWith(suffix));
        if (hit) return join(dir, hit.name);
      }
    }
  }
  return undefined;
}

interface RolloutState {
  v: 2;
  offset: number;
  reader: CodexRolloutState;
  /** Keys of the events already reported from this file. */
  seen: string[];
}

function statePath(devtimeHome: string, rollout: string): string {
  return join(
    devtimeHome,
    'codex',
    'rollouts',
    `${createHash('sha256').update(rollout).digest('hex').slice(0, 32)}.json`,
  );
}

function loadState(path: string): RolloutState {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as RolloutState;
    if (s && s.v === 2 && typeof s.offset === 'number' && Array.isArray(s.seen)) return s;
  } catch {
    // First event of this session, or unreadable state: read the rollout from the start (a resent
    // heartbeat has the same identity and is counted once by the server).
  }
  return { v: 2, offset: 0, reader: {}, seen: [] };
}

/** A thread's rollout in `sessions/YYYY/MM/DD` or, once archived, in `archived_sessions`. */
export function findAnyRollout(codexHomeDir: string, threadId: string): string | undefined {
  return (
    findRollout(join(codexHomeDir, 'sessions'), threadId) ??
    listJsonlFiles(join(codexHomeDir, 'archived_sessions')).find((p) => p.endsWith(`${threadId}.jsonl`))
  );
}

/**
 * Usage and prompt activities for what the rollout gained since the last event; updates the saved
 * state. Reads line by line from the saved offset, so a rollout of any size costs only its new part.
 */
export async function collectRolloutActivities(
  devtimeHome: string,
  codexHomeDir: string,
  rollout: string,
): Promise<Activity[]> {
  const path = statePath(devtimeHome, rollout);
  mkdirSync(dirname(path), { recursive: true });
  return withLock(path, async () => {
    const state = loadState(path);
    const dedupe = new CodexEventDeduper(state.seen);
    const out: Activity[] = [];
    const parents = (id: string) => {
      const p = findAnyRollout(codexHomeDir, id);
      return p ? codexHistoryKeys(p) : undefined;
    };
    // A file shorter than what was read was replaced: read it from the start with a fresh reader.
    if (sizeOf(rollout) < state.offset) Object.assign(state, { offset: 0, reader: {} });
    const reader = state.reader;
    const read = forEachLine(
      rollout,
      (line) => {
        const e = readCodexLine(line, reader, parents);
        if (e?.kind === 'prompt') out.push(codexPromptActivity(e));
        else if (e && dedupe.add(e)) out.push(codexUsageActivity(e));
      },
      { offset: state.offset, containing: CODEX_LINE_MARKERS },
    );
    state.offset = read.offset;
    // Duplicates share a timestamp, so only recent keys can match again.
    state.seen = dedupe.keys().slice(-500);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, path);
    return out;
  });
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function appActivity(cwd: string | undefined, session: string | undefined, nowMs: number): Activity {
  return { entity: CODEX_APP, type: 'app', category: 'ai coding', timeMs: nowMs, cwd, ai_session: session };
}

/**
 * A finished turn. Prompts are counted from the rollout's user messages, at their own time, so notify
 * and the hooks count each once whichever of them runs; the notify payload's messages count only
 * when the rollout cannot be found.
 */
export async function handleNotify(
  n: NotifyPayload,
  opts: { devtimeHome: string; codexHome: string; nowMs?: number },
): Promise<Activity[]> {
  const event = appActivity(n.cwd, n.threadId, opts.nowMs ?? Date.now());
  const rollout = n.threadId ? findAnyRollout(opts.codexHome, n.threadId) : undefined;
  if (!rollout && n.inputMessages.length > 0) {
    event.ai_prompts = n.inputMessages.length;
    event.ai_prompt_length = n.inputMessages.reduce((a, m) => a + m.length, 0);
  }
  const usage = rollout ? await collectRolloutActivities(opts.devtimeHome, opts.codexHome, rollout) : [];
  return [event, ...usage.map((a) => ({ ...a, cwd: a.cwd ?? n.cwd }))];
}

export async function handleCodexHook(
  h: CodexHookPayload,
  opts: { devtimeHome: string; codexHome: string; nowMs?: number },
): Promise<Activity[]> {
  const event = appActivity(h.cwd, h.session_id, opts.nowMs ?? Date.now());
  if (h.model) event.ai_model = h.model;
  const rollout = h.transcript_path ?? findAnyRollout(opts.codexHome, h.session_id);
  if (!rollout && h.hook_event_name === 'UserPromptSubmit') {
    event.ai_prompts = 1;
    event.ai_prompt_length = h.prompt?.length;
  }
  const usage = rollout ? await collectRolloutActivities(opts.devtimeHome, opts.codexHome, rollout) : [];
  return [event, ...usage.map((a) => ({ ...a, cwd: a.cwd ?? h.cwd }))];
}
