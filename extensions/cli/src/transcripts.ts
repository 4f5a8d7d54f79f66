/** Reading AI tool histories from disk: whole directories (usage, backfill) or a file's new tail (hooks). */
import { closeSync, openSync, readdirSync, readSync, fstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ClaudeUsageDeduper,
  parseClaudeLine,
  totalsByModel,
  addUsage,
  ZERO_USAGE,
  type ClaudeUsageEntry,
  type ModelTotals,
} from './claude-usage.js';
import { CodexEventDeduper, codexTokenUsage, parseCodexLine, type CodexRolloutState, type CodexUsageEvent } from './codex-usage.js';

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

/** All lines of a file, the last one included even without its newline. */
export function readAllLines(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * The complete lines written after byte `offset`, and the offset after the last newline. A line still
 * being written (no newline yet) is left for the next read. A file shorter than `offset` was replaced,
 * so it is read from the start.
 */
export function readNewLines(path: string, offset: number): { lines: string[]; offset: number; restarted: boolean } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { lines: [], offset, restarted: false };
  }
  try {
    const size = fstatSync(fd).size;
    const restarted = size < offset;
    const start = restarted ? 0 : offset;
    if (size === start) return { lines: [], offset: start, restarted };
    const buf = Buffer.alloc(size - start);
    let read = 0;
    while (read < buf.length) {
      const n = readSync(fd, buf, read, buf.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    const lastNl = buf.lastIndexOf(0x0a, read - 1);
    if (lastNl < 0) return { lines: [], offset: start, restarted };
    const lines = buf.subarray(0, lastNl).toString('utf8').split('\n');
    return { lines, offset: start + lastNl + 1, restarted };
  } finally {
    closeSync(fd);
  }
}

/** Claude Code usage under a `~/.claude/projects`-shaped directory, one entry per response. */
export function readClaudeUsage(dir: string): ClaudeUsageEntry[] {
  const dedupe = new ClaudeUsageDeduper();
  for (const file of listJsonlFiles(dir)) {
    for (const line of readAllLines(file)) {
      const entry = parseClaudeLine(line);
      if (entry) dedupe.add(entry);
    }
  }
  return dedupe.kept;
}

/** Codex usage under a `~/.codex/sessions`-shaped directory, one event per model response. */
export function readCodexUsage(dir: string): CodexUsageEvent[] {
  const dedupe = new CodexEventDeduper();
  const out: CodexUsageEvent[] = [];
  for (const file of listJsonlFiles(dir)) {
    const state: CodexRolloutState = {};
    for (const line of readAllLines(file)) {
      const event = parseCodexLine(line, state);
      if (event && dedupe.add(event)) out.push(event);
    }
  }
  return out;
}

export type UsageSource = 'claude-code' | 'codex';

/** `{"models": {"<model>": {"input", "output", "cache_creation", "cache_read"}}}`, the `usage --json` shape. */
export interface UsageReport {
  models: Record<string, { input: number; output: number; cache_creation: number; cache_read: number }>;
}

export function usageReport(source: UsageSource, dir: string): UsageReport {
  let totals: ModelTotals;
  if (source === 'claude-code') {
    totals = totalsByModel(readClaudeUsage(dir));
  } else {
    totals = {};
    for (const e of readCodexUsage(dir)) totals[e.model] = addUsage(totals[e.model] ?? ZERO_USAGE, codexTokenUsage(e.raw));
  }
  const models: UsageReport['models'] = {};
  for (const model of Object.keys(totals).sort()) {
    const t = totals[model];
    models[model] = { input: t.input, output: t.output, cache_creation: t.cacheCreation, cache_read: t.cacheRead };
  }
  return { models };
}
