/** Reading AI tool histories from disk, line by line: whole directories (usage, backfill). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLAUDE_LINE_MARKERS,
  ClaudeUsageDeduper,
  parseClaudeLine,
  totalsByModel,
  addUsage,
  ZERO_USAGE,
  type ClaudeUsageEntry,
  type ModelTotals,
} from './claude-usage.js';
import {
  CODEX_LINE_MARKERS,
  CodexEventDeduper,
  codexHistoryKey,
  codexTokenUsage,
  readCodexLine,
  type CodexPromptEvent,
  type CodexRolloutState,
  type CodexUsageEvent,
  type ParentHistory,
} from './codex-usage.js';
import { forEachLine } from './lines.js';

/** Every `*.jsonl` file under `dir`, sorted by path (the order ccusage reads them in). */
export function listJsonlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.jsonl')) out.push(p);
    }
  };
  walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Codex names a rollout `rollout-<time>-<thread id>.jsonl`. */
const ROLLOUT_THREAD = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

export function rolloutThreadId(path: string): string | undefined {
  return ROLLOUT_THREAD.exec(path)?.[1]?.toLowerCase();
}

/** Claude Code usage under `~/.claude/projects`-shaped directories, one entry per response. */
export function readClaudeUsage(dirs: string | string[]): ClaudeUsageEntry[] {
  const dedupe = new ClaudeUsageDeduper();
  for (const dir of typeof dirs === 'string' ? [dirs] : dirs) {
    for (const file of listJsonlFiles(dir)) {
      forEachLine(
        file,
        (line) => {
          const entry = parseClaudeLine(line);
          if (entry) dedupe.add(entry);
        },
        { includePartial: true, containing: CLAUDE_LINE_MARKERS },
      );
    }
  }
  return dedupe.kept;
}

/** The history keys of one rollout, in file order (what a fork or sub-agent of it copies). */
export function codexHistoryKeys(path: string): string[] {
  const keys: string[] = [];
  forEachLine(
    path,
    (line) => {
      const k = codexHistoryKey(line);
      if (k) keys.push(k);
    },
    { includePartial: true, containing: ['"token_count"', '"user_message"'] },
  );
  return keys;
}

/**
 * The rollouts under `~/.codex/sessions` and `~/.codex/archived_sessions`-shaped directories, one
 * file per thread: archiving moves a rollout, and a thread found in both places is the larger file.
 */
export function listRollouts(dirs: string[]): Map<string, string> {
  const byThread = new Map<string, { path: string; size: number }>();
  for (const dir of dirs) {
    for (const path of listJsonlFiles(dir)) {
      const id = rolloutThreadId(path) ?? path;
      let size = 0;
      try {
        size = statSync(path).size;
      } catch {
        continue;
      }
      const seen = byThread.get(id);
      if (!seen || size > seen.size) byThread.set(id, { path, size });
    }
  }
  return new Map([...byThread].map(([id, v]) => [id, v.path]));
}

/** Finds a parent thread's history among the given rollouts (read once per parent). */
export function parentHistoryFrom(rollouts: Map<string, string>): ParentHistory {
  const cache = new Map<string, string[] | undefined>();
  return (threadId) => {
    const id = threadId.toLowerCase();
    if (!cache.has(id)) {
      const path = rollouts.get(id);
      cache.set(id, path ? codexHistoryKeys(path) : undefined);
    }
    return cache.get(id);
  };
}

/**
 * Codex usage and prompts under `~/.codex/sessions`-shaped directories: one usage event per model
 * response and one prompt per user message, each counted in the thread that made it.
 */
export function readCodexHistory(dirs: string | string[]): { usage: CodexUsageEvent[]; prompts: CodexPromptEvent[] } {
  const rollouts = listRollouts(typeof dirs === 'string' ? [dirs] : dirs);
  const parents = parentHistoryFrom(rollouts);
  const dedupe = new CodexEventDeduper();
  const usage: CodexUsageEvent[] = [];
  const prompts: CodexPromptEvent[] = [];
  for (const file of [...rollouts.values()].sort()) {
    const state: CodexRolloutState = {};
    forEachLine(
      file,
      (line) => {
        const e = readCodexLine(line, state, parents);
        if (e?.kind === 'prompt') prompts.push(e);
        else if (e && dedupe.add(e)) usage.push(e);
      },
      { includePartial: true, containing: CODEX_LINE_MARKERS },
    );
  }
  return { usage, prompts };
}

/** Codex usage under `~/.codex/sessions`-shaped directories, one event per model response. */
export function readCodexUsage(dirs: string | string[]): CodexUsageEvent[] {
  return readCodexHistory(dirs).usage;
}

export type UsageSource = 'claude-code' | 'codex';

/** `{"models": {"<model>": {"input", "output", "cache_creation", "cache_read"}}}`, the `usage --json` shape. */
export interface UsageReport {
  models: Record<string, { input: number; output: number; cache_creation: number; cache_read: number }>;
}

export function usageReport(source: UsageSource, dir: string | string[]): UsageReport {
  let totals: ModelTotals;
  if (source === 'claude-code') {
    totals = totalsByModel(readClaudeUsage(dir));
  } else {
    totals = {};
    for (const e of readCodexUsage(dir))
      totals[e.model] = addUsage(totals[e.model] ?? ZERO_USAGE, codexTokenUsage(e.raw));
  }
  const models: UsageReport['models'] = {};
  for (const model of Object.keys(totals).sort()) {
    const t = totals[model];
    models[model] = { input: t.input, output: t.output, cache_creation: t.cacheCreation, cache_read: t.cacheRead };
  }
  return { models };
}
