import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  aiRows,
  breakdownRows,
  formatDuration,
  normalizeSessions,
  normalizeStats,
  secondsIntoDay,
  statsQuery,
  todayIn,
  projectFiles,
  timelineLanes,
  formatHm,
  activeDays,
  mondayOf,
  stackedDays,
  hourlyStacks,
  heatLevels,
  monthRows,
  timeTicks,
  costOf,
  priceOf,
  costByModel,
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
    cache_creation_tokens: 0,
    cache_read_tokens: 0,
    prompts: 42,
    ai_line_changes: 310,
    human_line_changes: 120,
    by_tool: {
      'claude-code': {
        tokens_in: 120000,
        tokens_out: 30000,
        cache_creation_tokens: 0,
        cache_read_tokens: 0,
        prompts: 42,
      },
    },
    by_model: {
      'claude-sonnet-4-5': {
        tokens_in: 120000,
        tokens_out: 30000,
        cache_creation_tokens: 0,
        cache_read_tokens: 0,
        prompts: 0,
      },
    },
    by_day: [
      {
        date: '2026-11-16',
        tokens_in: 1000,
        tokens_out: 200,
        cache_creation_tokens: 0,
        cache_read_tokens: 0,
        prompts: 3,
      },
    ],
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
    expect(s.ai.by_day[0]).toEqual({
      date: '2026-11-16',
      tokens_in: 1000,
      tokens_out: 200,
      cache_creation_tokens: 0,
      cache_read_tokens: 0,
      prompts: 3,
    });
    expect(s.ai.human_line_changes).toBe(120);
  });

  it('keeps millisecond precision and refuses a value of the wrong type, naming it', () => {
    expect(normalizeStats({ ...STATS, total_seconds: 61.25 }).total_seconds).toBe(61.25);
    expect(() => normalizeStats({ ...STATS, by_project: { a: 61.25, b: 'x' } })).toThrow(
      'GET /api/stats.by_project.b: expected a number',
    );
    const { by_os: _os, ...withoutOs } = STATS;
    expect(() => normalizeStats(withoutOs)).toThrow('GET /api/stats.by_os: missing');
  });
});

describe('statsQuery', () => {
  it('sends a named range with the active filters only', () => {
    expect(statsQuery({ kind: 'week' }, { project: 'my app', tool: 'claude-code', branch: undefined })).toBe(
      'range=week&tool=claude-code&project=my+app',
    );
  });
  it('sends start and end for a custom range', () => {
    expect(statsQuery({ kind: 'custom', start: '2026-11-01', end: '2026-11-30' })).toBe(
      'start=2026-11-01&end=2026-11-30',
    );
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
      {
        id: 's1',
        date: '2026-11-16',
        tool: 'vscode',
        project: 'my-app',
        start_time: nine,
        end_time: nine + 3_600_000,
        duration: 3600,
        heartbeat_count: 61,
      },
      {
        id: 's2',
        date: '2026-11-16',
        tool: 'claude-code',
        project: 'my-app',
        start_time: nine + 5_400_000,
        end_time: nine + 5_400_000,
        duration: 0,
        heartbeat_count: 1,
      },
      {
        id: 's3',
        date: '2026-11-16',
        tool: 'sublime',
        project: 'x',
        start_time: nine,
        end_time: nine + 60_000,
        duration: 60,
        heartbeat_count: 2,
      },
      {
        id: 's4',
        date: '2026-11-17',
        tool: 'vscode',
        project: 'my-app',
        start_time: nine + 86_400_000,
        end_time: nine + 86_460_000,
        duration: 60,
        heartbeat_count: 2,
      },
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

  it('has a lane only for tools used that day, in the order of first use', () => {
    const lanes = timelineLanes(sessions, '2026-11-16', 'UTC');
    // vscode and sublime both start at 09:00 (vscode first in the list), claude-code at 10:30; no codex, no zed.
    expect(lanes.map((l) => l.tool)).toEqual(['vscode', 'sublime', 'claude-code']);
    expect(lanes.map((l) => l.name)).toEqual(['VS Code', 'Sublime Text', 'Claude Code']);
  });

  it('keeps a zero-length session visible', () => {
    const claude = timelineLanes(sessions, '2026-11-16', 'UTC').find((l) => l.tool === 'claude-code')!;
    expect(claude.blocks[0].width).toBeGreaterThan(0);
    expect(claude.blocks[0].left).toBeCloseTo((10.5 / 24) * 100, 6);
  });

  it('runs a session that ends at the next local midnight to the end of the lane', () => {
    const late = Date.UTC(2026, 10, 16, 23, 0, 0);
    const s = normalizeSessions({
      sessions: [
        {
          id: 'l',
          date: '2026-11-16',
          tool: 'zed',
          project: 'p',
          start_time: late,
          end_time: late + 3_600_000,
          duration: 3600,
          heartbeat_count: 30,
        },
      ],
    });
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
      {
        codex: { tokens_in: 10, tokens_out: 5, cache_creation_tokens: 0, cache_read_tokens: 0, prompts: 1 },
        'claude-code': { tokens_in: 100, tokens_out: 50, cache_creation_tokens: 0, cache_read_tokens: 0, prompts: 4 },
      },
      toolName,
    );
    expect(rows.map((r) => r.name)).toEqual(['Claude Code', 'Codex']);
  });
  it('names tools from the table the server uses, and capitalises other ids as the server does', () => {
    expect(toolName('intellij')).toBe('IntelliJ IDEA');
    expect(toolName('neovim')).toBe('Neovim');
    expect(toolName('kate')).toBe('Kate');
  });
  it('writes axis ticks as h:mm', () => {
    expect([0, 1800, 3600, 3900, 36000].map(formatHm)).toEqual(['0:00', '0:30', '1:00', '1:05', '10:00']);
  });
  it('averages over the days with activity', () => {
    expect(
      activeDays([
        { date: 'a', seconds: 0 },
        { date: 'b', seconds: 10 },
        { date: 'c', seconds: 5 },
      ]),
    ).toBe(2);
  });
  it("asks for WakaTime's calendar week: Monday to today", () => {
    expect(mondayOf('2026-12-04')).toBe('2026-11-30'); // a Friday
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(mondayOf('2026-12-06')).toBe('2026-11-30'); // a Sunday
  });
});

describe("the calendar week in the user's time zone", () => {
  afterEach(() => vi.useRealTimers());
  it("ends today where the user is, whatever the browser's date", () => {
    // Sunday 6 December 2026, 11:30 UTC: already Monday the 7th at UTC+14, still Sunday the 6th at UTC-11.
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-06T11:30:00Z'));
    expect(statsQuery({ kind: 'calendar_week' }, {}, 'Pacific/Kiritimati')).toBe('start=2026-12-07&end=2026-12-07');
    expect(todayIn('Pacific/Kiritimati')).toBe('2026-12-07');
    expect(statsQuery({ kind: 'calendar_week' }, { project: 'a' }, 'Pacific/Pago_Pago')).toBe(
      'start=2026-11-30&end=2026-12-06&project=a',
    );
    // Friday 4 December, 23:30 UTC: Saturday the 5th in Tokyo.
    vi.setSystemTime(new Date('2026-12-04T23:30:00Z'));
    expect(statsQuery({ kind: 'calendar_week' }, {}, 'Asia/Tokyo')).toBe('start=2026-11-30&end=2026-12-05');
    expect(statsQuery({ kind: 'calendar_week' }, {}, 'America/Los_Angeles')).toBe('start=2026-11-30&end=2026-12-04');
  });
  it('is not guessed without the zone', () => {
    expect(() => statsQuery({ kind: 'calendar_week' })).toThrow(/time zone/);
  });
});

describe('stacked days', () => {
  const day = (date: string, projects: [string, number][]) => ({
    range: { date },
    projects: projects.map(([name, total_seconds]) => ({ name, total_seconds })),
  });
  it('gives one column per project and folds the long tail into Other', () => {
    const raw = {
      data: [
        day('2026-11-16', [
          ['a', 100],
          ['b', 50],
          ['c', 5],
        ]),
        day('2026-11-17', [
          ['d', 1],
          ['a', 10],
        ]),
      ],
    };
    expect(stackedDays(raw, 'project', 8)).toEqual({
      keys: ['a', 'b', 'c', 'd'],
      days: [
        { date: '2026-11-16', a: 100, b: 50, c: 5, d: 0 },
        { date: '2026-11-17', a: 10, b: 0, c: 0, d: 1 },
      ],
    });
    const folded = stackedDays(raw, 'project', 3);
    expect(folded.keys).toEqual(['a', 'b', 'Other']);
    expect(folded.days[0]).toEqual({ date: '2026-11-16', a: 100, b: 50, Other: 5 });
    expect(folded.days[1]).toEqual({ date: '2026-11-17', a: 10, b: 0, Other: 1 });
  });
  it('reads nothing from a payload without data', () => {
    expect(stackedDays({}, 'language')).toEqual({ keys: [], days: [] });
  });
});

describe('hours of a day', () => {
  it('cuts durations at the hour boundaries of the time zone', () => {
    // 09:50 to 11:10 UTC is 10:50 to 12:10 in Oslo (UTC+1 in November).
    const t = Date.UTC(2026, 10, 16, 9, 50) / 1000;
    const raw = {
      data: [
        { project: 'a', time: t, duration: 4800 },
        { project: 'b', time: t + 600, duration: 0 },
      ],
    };
    const h = hourlyStacks(raw, 'project', 'Europe/Oslo');
    expect(h.keys).toEqual(['a']);
    expect(h.days).toHaveLength(24);
    expect(h.days[10]).toEqual({ date: '10:00', a: 600 });
    expect(h.days[11]).toEqual({ date: '11:00', a: 3600 });
    expect(h.days[12]).toEqual({ date: '12:00', a: 600 });
    expect(h.days.reduce((s, d) => s + (d.a as number), 0)).toBe(4800);
  });
  it('stacks by the slice field', () => {
    const raw = { data: [{ project: 'a', language: 'Go', time: Date.UTC(2026, 10, 16, 0, 0) / 1000, duration: 60 }] };
    expect(hourlyStacks(raw, 'language', 'UTC').days[0]).toEqual({ date: '00:00', Go: 60 });
  });
});

describe('year calendar', () => {
  const days = [
    { date: '2026-11-27', seconds: 0 }, // a Friday
    { date: '2026-11-28', seconds: 100 },
    { date: '2026-11-29', seconds: 400 },
    { date: '2026-11-30', seconds: 1 }, // Monday: a new week
    { date: '2026-12-01', seconds: 300 },
  ];
  it('lays days out in Monday-first weeks with quarter levels of the busiest day', () => {
    const { weeks, max } = heatLevels(days);
    expect(max).toBe(400);
    expect(weeks).toHaveLength(2);
    expect(weeks[0].slice(0, 4)).toEqual([null, null, null, null]);
    expect(weeks[0].slice(4).map((c) => c!.level)).toEqual([0, 1, 4]);
    expect(weeks[1].map((c) => [c!.date, c!.level])).toEqual([
      ['2026-11-30', 1],
      ['2026-12-01', 3],
    ]);
  });
  it('sums months and finds their best day', () => {
    expect(monthRows(days)).toEqual([
      { month: '2026-11', seconds: 501, activeDays: 3, best: { date: '2026-11-29', seconds: 400 } },
      { month: '2026-12', seconds: 300, activeDays: 1, best: { date: '2026-12-01', seconds: 300 } },
    ]);
  });
});

describe('time axis', () => {
  it('puts ticks on whole quarter hours or hours', () => {
    expect(timeTicks(0)).toEqual([0, 300]);
    expect(timeTicks(1200).map(formatHm)).toEqual(['0:00', '0:05', '0:10', '0:15', '0:20']);
    expect(timeTicks(7800).map(formatHm)).toEqual(['0:00', '0:30', '1:00', '1:30', '2:00', '2:30']);
    expect(timeTicks(30000).map(formatHm)).toEqual(['0:00', '2:00', '4:00', '6:00', '8:00', '10:00']);
  });
});

describe('AI cost', () => {
  const usage = {
    tokens_in: 1_000_000,
    tokens_out: 100_000,
    cache_creation_tokens: 200_000,
    cache_read_tokens: 10_000_000,
    prompts: 3,
  };
  it('prices a dated model name by the longest matching key', () => {
    // 3 + 1.5 + 0.75 + 3 dollars at Sonnet 4.5's prices.
    expect(costOf('claude-sonnet-4-5-20250929', usage)).toBeCloseTo(8.25, 9);
    expect(priceOf('claude-sonnet-4-20250514')).toEqual({
      input: 3,
      output: 15,
      cache_creation: 3.75,
      cache_read: 0.3,
    });
    expect(priceOf('gpt-5-codex')!.cache_read).toBe(0.125);
    expect(priceOf('gpt-5-mini-2025')!.input).toBe(0.25);
    expect(costOf('mystery-model', usage)).toBeUndefined();
  });
  it('sums by model and names the models it cannot price', () => {
    const zero = { tokens_in: 0, tokens_out: 0, cache_creation_tokens: 0, cache_read_tokens: 0, prompts: 2 };
    expect(costByModel({ 'claude-sonnet-4-5': usage, unknown: zero, 'my-llm': usage })).toEqual({
      usd: 8.25,
      unpriced: ['my-llm'],
    });
  });
  it('reads cache tokens from /api/stats', () => {
    const m = { ...STATS.ai.by_model['claude-sonnet-4-5'], cache_creation_tokens: 5 };
    const s = normalizeStats({ ...STATS, ai: { ...STATS.ai, cache_read_tokens: 7, by_model: { m } } });
    expect(s.ai.cache_read_tokens).toBe(7);
    expect(s.ai.by_model.m.cache_creation_tokens).toBe(5);
  });
});

describe("a project's files", () => {
  it('sums the entities of every day, most time first, and marks hashed names', () => {
    const raw = {
      data: [
        {
          range: { date: '2026-03-10' },
          entities: [
            { name: '/a/Main.java', total_seconds: 1800 },
            { name: 'hmac-sha256:ab', total_seconds: 300 },
          ],
        },
        {
          range: { date: '2026-03-11' },
          entities: [
            { name: '/a/Util.java', total_seconds: 600 },
            { name: '/a/Main.java', total_seconds: 120.5 },
          ],
        },
        { range: { date: '2026-03-12' } },
      ],
    };
    expect(projectFiles(raw)).toEqual([
      { name: '/a/Main.java', seconds: 1920.5, hidden: false },
      { name: '/a/Util.java', seconds: 600, hidden: false },
      { name: 'hmac-sha256:ab', seconds: 300, hidden: true },
    ]);
    expect(projectFiles({})).toEqual([]);
  });
});
