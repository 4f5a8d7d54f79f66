/**
 * Usage records -> heartbeats. Live hooks and `devtime backfill` build the same heartbeat for the same
 * response (time = the time the transcript recorded it, same entity and category), so the server, which
 * identifies a heartbeat by user, time, tool, entity, category and machine, counts a response once even
 * when both send it, or when a resumed session copies old lines into a new transcript; of two AI
 * heartbeats with one identity it keeps the one with more tokens (a response only grows).
 */
import { basename } from 'node:path';
import type { Activity, DevTimeClient } from '@devtime/core';
import type { ClaudeUsageEntry, TokenUsage } from './claude-usage.js';
import { codexTokenUsage, type CodexPromptEvent, type CodexUsageEvent } from './codex-usage.js';

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

/**
 * One Claude Code response's usage as an activity, at the time of its first transcript line: a
 * response read while Claude Code was still writing it and read again later, whole, is the same
 * heartbeat with larger numbers, and the server keeps the larger.
 */
export function claudeUsageActivity(entry: ClaudeUsageEntry): Activity {
  return {
    entity: CLAUDE_APP,
    type: 'app',
    category: 'ai coding',
    timeMs: entry.firstTimestampMs ?? entry.timestampMs,
    cwd: entry.cwd,
    branch: entry.gitBranch,
    ai_session: entry.sessionId,
    ai_model: entry.model,
    ...tokenFields(entry.usage),
  };
}

/** One prompt typed in Codex, at the time the rollout recorded it. */
export function codexPromptActivity(prompt: CodexPromptEvent): Activity {
  return {
    entity: CODEX_APP,
    type: 'app',
    category: 'ai coding',
    timeMs: prompt.timestampMs,
    cwd: prompt.cwd,
    branch: prompt.branch,
    ai_session: prompt.sessionId,
    ai_prompts: 1,
    ai_prompt_length: prompt.length,
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
