/**
 * Usage records -> heartbeats. Live hooks and `devtime backfill` build the same heartbeat for the same
 * response (time = the transcript line's timestamp, same entity and category), so the server, which
 * identifies a heartbeat by user, time, tool, entity, category and machine, counts a response once even
 * when both send it, or when a resumed session copies old lines into a new transcript.
 */
import { basename } from 'node:path';
import type { Activity, DevTimeClient } from '@devtime/core';
import type { ClaudeUsageEntry, TokenUsage } from './claude-usage.js';
import { codexTokenUsage, type CodexUsageEvent } from './codex-usage.js';

/** The entity of AI heartbeats that concern no single file. */
export const CLAUDE_APP = 'Claude Code';
export const CODEX_APP = 'Codex';

function tokenFields(u: TokenUsage): Partial<Activity> {
  return {
    ai_input_tokens: u.input,
    ai_output_tokens: u.output,
    ai_cache_creation_tokens: u.cacheCreation,
    ai_cache_read_tokens: u.cacheRead,
  };
}

/** One Claude Code response's usage (or the growth of a response already reported) as an activity. */
export function claudeUsageActivity(entry: ClaudeUsageEntry, usage: TokenUsage = entry.usage): Activity {
  return {
    entity: CLAUDE_APP,
    type: 'app',
    category: 'ai coding',
    timeMs: entry.timestampMs,
    cwd: entry.cwd,
    branch: entry.gitBranch,
    ai_session: entry.sessionId,
    ai_model: entry.model,
    ...tokenFields(usage),
  };
}

/** One Codex response's usage as an activity. */
export function codexUsageActivity(event: CodexUsageEvent): Activity {
  return {
    entity: CODEX_APP,
    type: 'app',
    category: 'ai coding',
    timeMs: event.timestampMs,
    cwd: event.cwd,
    branch: event.branch,
    ai_session: event.sessionId,
    ai_model: event.model,
    ...tokenFields(codexTokenUsage(event.raw)),
  };
}

/**
 * History may name directories that are gone (old checkouts): name the project after the folder then,
 * rather than sending none.
 */
export function withProjectFallback(client: DevTimeClient, activity: Activity): Activity {
  if (activity.project || !activity.cwd) return activity;
  if (client.projects.detectFromDir(activity.cwd)) return activity;
  const name = basename(activity.cwd.replace(/[\\/]+$/, ''));
  return name ? { ...activity, project: name } : activity;
}
