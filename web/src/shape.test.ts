import { describe, expect, it } from 'vitest';
import {
  aiRows,
  breakdownRows,
  formatDuration,
  normalizeSessions,
  normalizeStats,
  secondsIntoDay,
  statsQuery,
  timelineLanes,
  toolName,
  topRows,
} from './shape';

// The example payload of docs/api.md, verbatim.
const STATS = {
  range: { start: '2026-11-16', end: '2026-11-22', timezone: 'UTC' },
  total_seconds: 28800,
  by_tool: { vscode: 21600, 'claude-code': 7200 },
  by_project: { 'my-app': 18000 },
  by_language: { TypeScript: 14400 },
  by_category: { coding: 20000, 'ai coding': 8800 },
  by_editor: { 'VS Code': 21600 },
  by_machine: { laptop: 28800 },
  by_branch: { main: 28800 },
  by_os: { Linux: 28800 },
  by_day: [{ date: '2026-11-16', seconds: 7200 }],
  ai: {
    tokens_in: 120000,
    tokens_out: 30000,
    prompts: 42,
    ai_line_changes: 310,
    human_line_changes: 120,
    by_tool: { 'claude-code': { tokens_in: 120000, tokens_out: 30000, prompts: 42 } },
    by_model: { 'claude-sonnet-4-5': { tokens_in: 120000, tokens_out: 30000, prompts: 0 } },
    by_day: [{ date: '2026-11-16', tokens_in: 1000, tokens_out: 200, prompts: 3 }],
  },
};

describe('normalizeStats', () => {
  it('maps every by_* field of the documented payload onto its dimension', () => {
    const s = normalizeStats(STATS);
    expect(s.total_seconds).toBe(28800);
    expect(s.range.timezone).toBe('UTC');
    expect(s.breakdowns.tool).toEqual({ vscode: 21600, 'claude-code': 7200 });
    expect(s.breakdowns.category['ai coding']).toBe(8800);
    expect(s.breakdowns.os).toEqual({ Linux: 28800 });
    expect(s.by_day).toEqual([{ date: '2026-11-16', seconds: 7200 }]);
    expect(s.ai.by_model['claude-sonnet-4-5'].tokens_in).toBe(120000);
    expect(s.ai.by_day[0]).toEqual({ date: '2026-11-16', tokens_in: 1000, tokens_out: 200, prompts: 3 });
    expect(s.ai.human_line_changes).toBe(120);
  });

  it('fills what an empty account answers with zeros and empty maps instead of undefined', () => {
    const s = normalizeStats({ range: { start: '2026-11-22', end: '2026-11-22', timezone: 'Europe/Oslo' }, total_seconds: 0, by_day: [{ date: '2026-11-22', seconds: 0 }] });
    expect(s.breakdowns.project).toEqual({});
    expect(s.ai.tokens_in).toBe(0);
    expect(s.ai.by_tool).toEqual({});
    expect(s.range.timezone).toBe('Europe/Oslo');
  });

  it('keeps millisecond precision and drops non-numeric values', () => {
    const s = normalizeStats({ total_seconds: 61.25, by_project: { a: 61.25, b: 'x' } });
    expect(s.total_seconds).toBe(61.25);
    expect(s.breakdowns.project).toEqual({ a: 61.25, b: 0 });
  });
});

describe('statsQuery', () => {
  it('sends a named range with the active filters only', () => {
    expect(statsQuery({ kind: 'week' }, { project: 'my app', tool: 'claude-code', branch: undefined })).toBe(
      'range=week&tool=claude-code&project=my+app',
    );
  });
  it('sends start and end for a custom range', () => {
    expect(statsQuery({ kind: 'custom', start: '2026-11-01', end: '2026-11-30' })).toBe('start=2026-11-01&end=2026-11-30');
  });
});

describe('breakdownRows', () => {
  it('sorts by time, breaks ties by name and computes shares that sum to 100', () => {
    const rows = breakdownRows({ b: 3600, a: 3600, c: 1800, zero: 0 });
    expect(rows.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(rows.reduce((x, r) => x + r.percent, 0)).toBeCloseTo(100, 9);
    expect(rows[2].percent).toBeCloseTo(20, 9);
  });
  it('folds the tail into one Other row that keeps the sum', () => {
    const rows = breakdownRows({ a: 50, b: 40, c: 30, d: 20, e: 10 });
    const top = topRows(rows, 3);
    expect(top.map((r) => r.name)).toEqual(['a', 'b', 'Other (3)']);
    expect(top.reduce((x, r) => x + r.seconds, 0)).toBe(150);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 min'],
    [0.4, '0 min'],
    [45, '45 s'],
    [60, '1 min'],
    [3599.9, '59 min'],
    [3600, '1 h 00 min'],
    [28800, '8 h 00 min'],
    [7505, '2 h 05 min'],
    [-5, '0 min'],
  ])('%s s -> %s', (s, text) => expect(formatDuration(s)).toBe(text));
});

describe('timeline', () => {
  // 2026-11-16 09:00 and 10:30 UTC; Europe/Oslo is UTC+1 in November.
  const nine = Date.UTC(2026, 10, 16, 9, 0, 0);
  const sessions = normalizeSessions({
    sessions: [
      { id: 's1', date: '2026-11-16', tool: 'vscode', project: 'my-app', start_time: nine, end_time: nine + 3_600_000, duration: 3600, heartbeat_count: 61 },
      { id: 's2', date: '2026-11-16', tool: 'claude-code', project: 'my-app', start_time: nine + 5_400_000, end_time: nine + 5_400_000, duration: 0, heartbeat_count: 1 },
      { id: 's3', date: '2026-11-16', tool: 'sublime', project: 'x', start_time: nine, end_time: nine + 60_000, duration: 60, heartbeat_count: 2 },
      { id: 's4', date: '2026-11-17', tool: 'vscode', project: 'my-app', start_time: nine + 86_400_000, end_time: nine + 86_460_000, duration: 60, heartbeat_count: 2 },
    ],
  });

  it('places sessions at their wall-clock time in the user time zone', () => {
    const lanes = timelineLanes(sessions, '2026-11-16', 'Europe/Oslo');
    const vscode = lanes.find((l) => l.tool === 'vscode')!;
    expect(vscode.blocks).toHaveLength(1); // s4 is another day
    expect(vscode.blocks[0].left).toBeCloseTo((10 / 24) * 100, 6);
    expect(vscode.blocks[0].width).toBeCloseTo((1 / 24) * 100, 6);
    expect(vscode.blocks[0].label).toBe('VS Code, my-app: 10:00 to 11:00, 1 h 00 min');
    expect(vscode.seconds).toBe(3600);
  });

  it('always has the four DevTime tools, then one lane per other plugin', () => {
    const lanes = timelineLanes(sessions, '2026-11-16', 'UTC');
    expect(lanes.map((l) => l.tool)).toEqual(['vscode', 'claude-code', 'codex', 'zed', 'sublime']);
    expect(lanes.find((l) => l.tool === 'codex')!.blocks).toEqual([]);
  });

  it('keeps a zero-length session visible', () => {
    const claude = timelineLanes(sessions, '2026-11-16', 'UTC').find((l) => l.tool === 'claude-code')!;
    expect(claude.blocks[0].width).toBeGreaterThan(0);
    expect(claude.blocks[0].left).toBeCloseTo((10.5 / 24) * 100, 6);
  });

  it('runs a session that ends at the next local midnight to the end of the lane', () => {
    const late = Date.UTC(2026, 10, 16, 23, 0, 0);
    const s = normalizeSessions({ sessions: [{ id: 'l', date: '2026-11-16', tool: 'zed', project: 'p', start_time: late, end_time: late + 3_600_000, duration: 3600, heartbeat_count: 30 }] });
    const zed = timelineLanes(s, '2026-11-16', 'UTC').find((l) => l.tool === 'zed')!;
    expect(zed.blocks[0].left + zed.blocks[0].width).toBeCloseTo(100, 6);
  });

  it('reads wall-clock seconds across a daylight-saving change', () => {
    // 2026-03-29 is the EU spring-forward day: 03:30 local is 01:30 UTC.
    expect(secondsIntoDay(Date.UTC(2026, 2, 29, 1, 30), 'Europe/Oslo')).toBe(3.5 * 3600);
  });
});

describe('AI rows and names', () => {
  it('sorts tools by tokens and shows their display names', () => {
    const rows = aiRows(
      { codex: { tokens_in: 10, tokens_out: 5, prompts: 1 }, 'claude-code': { tokens_in: 100, tokens_out: 50, prompts: 4 } },
      toolName,
    );
    expect(rows.map((r) => r.name)).toEqual(['Claude Code', 'Codex']);
  });
  it('passes WakaTime editor names through', () => {
    expect(toolName('neovim')).toBe('neovim');
  });
});
