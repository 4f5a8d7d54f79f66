import { describe, expect, it } from 'vitest';
import { ContractError } from './contract';
import {
  aiTableRows,
  canChangeRole,
  canRemove,
  inviteCodeOf,
  inviteLink,
  memberDays,
  parseInvite,
  leadersQuery,
  parseLeaders,
  parseTeamDetail,
  parseTeamRef,
  parseTeamStats,
  parseTeams,
  rangeDates,
  teamStatsQuery,
  totalsMap,
} from './teams';

// Payloads in the shapes of docs/api.md, "Teams".
const STATS = {
  team: { id: 'tm_1', name: 'Platform' },
  range: { start: '2026-11-30', end: '2026-12-01' },
  total_seconds: 9000,
  days: [
    { date: '2026-11-30', total_seconds: 5400 },
    { date: '2026-12-01', total_seconds: 3600 },
  ],
  members: [
    {
      user: 'alice',
      name: 'Alice',
      share: 'breakdown',
      total_seconds: 7200,
      days: [
        { date: '2026-11-30', total_seconds: 3600 },
        { date: '2026-12-01', total_seconds: 3600 },
      ],
    },
    {
      user: 'bob',
      name: 'bob',
      share: 'totals',
      total_seconds: 1800,
      days: [
        { date: '2026-11-30', total_seconds: 1800 },
        { date: '2026-12-01', total_seconds: 0 },
      ],
    },
    { user: 'carol', name: 'carol', share: 'none' },
  ],
  projects: [{ name: 'api', total_seconds: 7200 }],
  languages: [
    { name: 'Java', total_seconds: 5000 },
    { name: 'TypeScript', total_seconds: 2200 },
  ],
  editors: [{ name: 'vscode', total_seconds: 7200 }],
  categories: [{ name: 'coding', total_seconds: 7200 }],
  ai: {
    members: [
      {
        user: 'alice',
        name: 'Alice',
        input_tokens: 100,
        output_tokens: 20,
        cache_read_tokens: 5000,
        cache_creation_tokens: 300,
        prompts: 4,
      },
    ],
    models: [
      { name: 'gpt-5', input_tokens: 10, output_tokens: 2, cache_read_tokens: 0, cache_creation_tokens: 0, prompts: 1 },
      {
        name: 'claude-sonnet-4-5',
        input_tokens: 90,
        output_tokens: 18,
        cache_read_tokens: 5000,
        cache_creation_tokens: 300,
        prompts: 3,
      },
    ],
  },
  goals: [
    {
      user: 'alice',
      name: 'Alice',
      goals: [
        {
          id: 'g1',
          title: 'Code 1 hr per day',
          delta: 'day',
          seconds: 3600,
          is_enabled: true,
          progress: { actual_seconds: 3600, goal_seconds: 3600, percent: 100, streak: 2 },
        },
      ],
    },
  ],
};

const GOAL = {
  id: 'g1',
  title: 'Code 1 hr per day',
  custom_title: null,
  delta: 'day',
  seconds: 3600,
  is_enabled: true,
  ignore_days: [],
  projects: [],
  languages: [],
  editors: [],
  categories: [],
  status: 'success',
  progress: {
    actual_seconds: 3600,
    goal_seconds: 3600,
    percent: 100,
    streak: 2,
    period_start: '2026-12-01',
    period_end: '2026-12-01',
  },
};
STATS.goals[0].goals = [GOAL];

const TEAM = {
  id: 'tm_1',
  name: 'Platform',
  role: 'owner',
  member_count: 3,
  share: 'none',
  created_at: '2026-12-01T10:00:00Z',
};

describe('team payloads', () => {
  it('reads the team list', () => {
    expect(parseTeams({ data: [TEAM] }, true)).toEqual([
      { id: 'tm_1', name: 'Platform', role: 'owner', memberCount: 3, share: 'none', createdAt: '2026-12-01T10:00:00Z' },
    ]);
    expect(parseTeams({ data: [] }, true)).toEqual([]);
  });

  it('refuses a list that is not the documented shape, naming the field', () => {
    expect(() => parseTeams([])).toThrow(ContractError);
    expect(() => parseTeams({ teams: [] })).toThrow(/GET \/api\/teams\.data: missing/);
    expect(() => parseTeams({ data: [{ ...TEAM, role: 'boss' }] })).toThrow(
      /role: boss is not one of owner, admin, member/,
    );
    expect(() => parseTeams({ data: [{ ...TEAM, member_count: '1' }] })).toThrow(/member_count: expected a number/);
    expect(() => parseTeams({ data: [{ ...TEAM, share: 'all' }] })).toThrow(
      /share: all is not one of none, totals, breakdown/,
    );
    const { id: _id, ...noId } = TEAM;
    expect(() => parseTeams({ data: [noId] })).toThrow(/\.id: missing/);
    // Strictly (the contract tests), a field the parser does not name fails too.
    expect(() => parseTeams({ data: [{ ...TEAM, surprise: 1 }] }, true)).toThrow(/unknown field\(s\) surprise/);
    expect(parseTeams({ data: [{ ...TEAM, surprise: 1 }] })).toHaveLength(1);
  });

  it('reads a team with its members', () => {
    const t = parseTeamDetail(
      {
        ...TEAM,
        role: 'admin',
        members: [
          {
            user: 'alice',
            name: 'Alice',
            role: 'owner',
            share: 'breakdown',
            share_goals: true,
            joined_at: '2026-12-01T10:00:00Z',
          },
        ],
      },
      true,
    );
    expect(t).toEqual({
      id: 'tm_1',
      name: 'Platform',
      role: 'admin',
      createdAt: '2026-12-01T10:00:00Z',
      memberCount: 3,
      share: 'none',
      members: [
        {
          user: 'alice',
          name: 'Alice',
          role: 'owner',
          share: 'breakdown',
          shareGoals: true,
          joinedAt: '2026-12-01T10:00:00Z',
        },
      ],
    });
    expect(() =>
      parseTeamDetail({
        ...TEAM,
        members: [{ user: 'a', name: 'a', role: 'member', share: 'none', share_goals: 'no', joined_at: 'x' }],
      }),
    ).toThrow(/members\[0\]\.share_goals: expected true or false/);
    expect(() => parseTeamDetail(TEAM)).toThrow(/members: missing/);
  });

  it('reads the created and the joined team', () => {
    expect(parseTeamRef({ ...TEAM, role: 'member' }, true)).toMatchObject({
      id: 'tm_1',
      name: 'Platform',
      role: 'member',
    });
    expect(() => parseTeamRef(null)).toThrow(/team: expected an object/);
  });

  it('reads an invite and builds its link, and reads the code back from a pasted link', () => {
    const code = 'Zm9vYmFyYmF6cXV4cXV1eA_-12';
    expect(parseInvite({ code, expires_at: '2026-12-08T10:00:00Z' })).toEqual({
      code,
      expiresAt: '2026-12-08T10:00:00Z',
    });
    // A short code is not 128 bits; a code with '/' or '#' would break the link.
    expect(() => parseInvite({ code: 'abc', expires_at: 'x' })).toThrow(/invites\.code: not a URL-safe code/);
    expect(() => parseInvite({ code: 'Zm9vYmFyYmF6cXV4cXV1eA/12', expires_at: 'x' })).toThrow(/invites\.code/);
    const link = inviteLink('https://dash.example.com/#/teams/tm_1/members', code);
    expect(link).toBe(`https://dash.example.com/#/join/${code}`);
    expect(inviteCodeOf(link)).toBe(code);
    expect(inviteCodeOf(`  ${code} `)).toBe(code);
    expect(inviteCodeOf('not a code')).toBeNull();
    expect(inviteCodeOf('https://dash.example.com/#/join/short')).toBeNull();
  });

  it('reads the team view: members who share nothing have no figures', () => {
    const s = parseTeamStats(STATS, true);
    expect(s.seconds).toBe(9000);
    expect(s.days).toEqual([
      { date: '2026-11-30', seconds: 5400 },
      { date: '2026-12-01', seconds: 3600 },
    ]);
    expect(s.members.map((m) => [m.user, m.share, m.seconds])).toEqual([
      ['alice', 'breakdown', 7200],
      ['bob', 'totals', 1800],
      ['carol', 'none', null],
    ]);
    expect(s.members[2].days).toBeNull();
    expect(totalsMap(s.languages)).toEqual({ Java: 5000, TypeScript: 2200 });
    expect(s.ai.members[0]).toMatchObject({
      user: 'alice',
      name: 'Alice',
      inputTokens: 100,
      cacheReadTokens: 5000,
      prompts: 4,
    });
    expect(s.goals[0].goals[0]).toMatchObject({ id: 'g1', delta: 'day', actualSeconds: 3600, streak: 2 });
  });

  it('refuses a team view with a member who shares a breakdown but has no figures, or a bad day', () => {
    const noFigures = { ...STATS, members: [{ user: 'alice', name: 'Alice', share: 'breakdown' }] };
    expect(() => parseTeamStats(noFigures)).toThrow(/members\[0\]\.total_seconds: missing/);
    const noDays = { ...STATS, members: [{ user: 'bob', name: 'bob', share: 'totals', total_seconds: 5 }] };
    expect(() => parseTeamStats(noDays)).toThrow(/members\[0\]\.days: missing/);
    // Under a project or language filter, daily totals cannot be split: such a member comes without figures.
    const filtered = parseTeamStats({ ...STATS, members: [{ user: 'bob', name: 'bob', share: 'totals' }] }, true);
    expect(filtered.members[0]).toEqual({ user: 'bob', name: 'bob', share: 'totals', seconds: null, days: null });
    const badDay = { ...STATS, days: [{ date: '30.11.2026', total_seconds: 1 }] };
    expect(() => parseTeamStats(badDay)).toThrow(/days\[\]\.date: 30\.11\.2026 is not a YYYY-MM-DD date/);
    expect(() => parseTeamStats({ ...STATS, total_seconds: -1 })).toThrow(/total_seconds: expected 0 or more/);
    const badGoal = { ...STATS, goals: [{ user: 'a', name: 'a', goals: [{ title: 'no id' }] }] };
    expect(() => parseTeamStats(badGoal)).toThrow(/goals\[0\]\.goals\[0\]\.delta: missing/);
    const { ai: _ai, ...noAi } = STATS;
    expect(() => parseTeamStats(noAi)).toThrow(/stats\.ai: missing/);
  });

  it('stacks the days by member, skipping members without time, and folds the long tail', () => {
    const s = parseTeamStats(STATS);
    expect(memberDays(s)).toEqual({
      keys: ['Alice', 'bob'],
      days: [
        { date: '2026-11-30', Alice: 3600, bob: 1800 },
        { date: '2026-12-01', Alice: 3600, bob: 0 },
      ],
    });
    expect(memberDays(s, 1)).toEqual({
      keys: ['Other'],
      days: [
        { date: '2026-11-30', Other: 5400 },
        { date: '2026-12-01', Other: 3600 },
      ],
    });
  });

  it('gives AI rows the personal tables column names, most tokens first', () => {
    const rows = aiTableRows(parseTeamStats(STATS).ai.models);
    expect(rows.map((r) => r.name)).toEqual(['claude-sonnet-4-5', 'gpt-5']);
    expect(rows[0]).toEqual({
      name: 'claude-sonnet-4-5',
      tokens_in: 90,
      tokens_out: 18,
      cache_read_tokens: 5000,
      cache_creation_tokens: 300,
      prompts: 3,
    });
  });
});

describe('team ranges and roles', () => {
  it('turns a range choice into the first and last day', () => {
    const today = '2026-12-03'; // a Thursday
    expect(rangeDates({ kind: 'today' }, today)).toEqual({ start: today, end: today });
    expect(rangeDates({ kind: 'week' }, today)).toEqual({ start: '2026-11-27', end: today });
    expect(rangeDates({ kind: 'calendar_week' }, today)).toEqual({ start: '2026-11-30', end: today });
    expect(rangeDates({ kind: 'month' }, today)).toEqual({ start: '2026-11-04', end: today });
    expect(rangeDates({ kind: 'year' }, today)).toEqual({ start: '2025-12-04', end: today });
    expect(rangeDates({ kind: 'custom', start: '2026-01-01', end: '2026-01-31' }, today)).toEqual({
      start: '2026-01-01',
      end: '2026-01-31',
    });
    expect(teamStatsQuery({ kind: 'week' }, { language: 'C++', project: 'a b' }, today)).toBe(
      'start=2026-11-27&end=2026-12-03&project=a+b&language=C%2B%2B',
    );
    expect(teamStatsQuery({ kind: 'today' }, {}, today)).toBe('start=2026-12-03&end=2026-12-03');
  });

  it('offers the actions the server allows', () => {
    expect(canChangeRole('owner', 'admin')).toBe(true);
    expect(canChangeRole('owner', 'owner')).toBe(false);
    expect(canChangeRole('admin', 'member')).toBe(false);
    expect(canRemove('owner', 'admin')).toBe(true);
    expect(canRemove('admin', 'member')).toBe(true);
    expect(canRemove('admin', 'admin')).toBe(false);
    expect(canRemove('admin', 'owner')).toBe(false);
    expect(canRemove('member', 'member')).toBe(false);
  });
});

describe('leaderboards', () => {
  const LEADERS = {
    data: [
      {
        rank: 1,
        running_total: {
          total_seconds: 7200,
          human_readable_total: '2 hrs',
          daily_average: 1028.57,
          human_readable_daily_average: '17 mins',
          languages: [{ name: 'Java', total_seconds: 7200 }],
        },
        user: {
          id: 'alice',
          username: 'alice',
          display_name: 'Alice',
          full_name: 'Alice',
          photo_public: false,
          is_email_public: false,
          email: null,
          photo: null,
          city: null,
        },
      },
      {
        rank: 2,
        running_total: {
          total_seconds: 1800,
          human_readable_total: '30 mins',
          daily_average: 257.1,
          human_readable_daily_average: '4 mins',
          languages: [],
        },
        user: {
          id: 'bob',
          username: 'bob',
          display_name: null,
          full_name: null,
          photo_public: false,
          is_email_public: false,
        },
      },
    ],
    page: 1,
    total_pages: 1,
    language: null,
    range: { start_date: '2026-11-27', end_date: '2026-12-03', name: 'last_7_days', text: 'Last 7 Days' },
    current_user: { rank: 2, page: 1, user: { id: 'bob', username: 'bob', display_name: null } },
  };

  it("reads WakaTime's leaders shape", () => {
    const l = parseLeaders(LEADERS, true);
    expect(l.leaders.map((x) => [x.rank, x.user, x.name, x.seconds])).toEqual([
      [1, 'alice', 'Alice', 7200],
      [2, 'bob', 'bob', 1800],
    ]);
    expect(l.leaders[0].languages).toEqual([{ name: 'Java', seconds: 7200 }]);
    expect(l.range).toEqual({ start: '2026-11-27', end: '2026-12-03', text: 'Last 7 Days' });
    expect(l.current).toEqual({ user: 'bob', rank: 2, page: 1 });
    expect(l.language).toBeNull();
    expect(parseLeaders({ ...LEADERS, language: 'Java', current_user: null }, true)).toMatchObject({
      language: 'Java',
      current: null,
    });
  });

  it("reads a later page and where the caller's page is", () => {
    const later = parseLeaders(
      { ...LEADERS, page: 2, total_pages: 3, current_user: { ...LEADERS.current_user, rank: 250, page: 3 } },
      true,
    );
    expect([later.page, later.totalPages, later.current]).toEqual([2, 3, { user: 'bob', rank: 250, page: 3 }]);
    expect(() => parseLeaders({ ...LEADERS, current_user: { rank: 2, user: { id: 'bob' } } })).toThrow(
      /leaders\.current_user\.page: missing/,
    );
  });

  it("asks for a board's page and language", () => {
    expect(leadersQuery('', 1)).toBe('');
    expect(leadersQuery('', 2)).toBe('?page=2');
    expect(leadersQuery('C++', 3)).toBe('?language=C%2B%2B&page=3');
  });

  it('refuses a board without running totals or users', () => {
    expect(() => parseLeaders({ ...LEADERS, data: [{ rank: 1, user: { id: 'a', username: 'a' } }] })).toThrow(
      /leaders\.data\[0\]\.running_total: missing/,
    );
    expect(() => parseLeaders({ ...LEADERS, range: {} })).toThrow(/leaders\.range\.start_date: missing/);
  });
});

describe('team routes', () => {
  it('reads the team routes from the hash', async () => {
    const { parseRoute } = await import('./App');
    expect(parseRoute('#/teams', 'x')).toEqual({ view: 'teams' });
    expect(parseRoute(`#/teams/${encodeURIComponent('tm/1')}`, 'x')).toEqual({
      view: 'teams',
      team: 'tm/1',
      members: false,
    });
    expect(parseRoute('#/teams/tm_1/members', 'x')).toEqual({ view: 'teams', team: 'tm_1', members: true });
    expect(parseRoute('#/join/Zm9vYmFyYmF6cXV4cXV1eA_-12', 'x')).toEqual({
      view: 'join',
      code: 'Zm9vYmFyYmF6cXV4cXV1eA_-12',
    });
    expect(parseRoute('#/join', 'x')).toEqual({ view: 'overview' });
    expect(parseRoute('#/teams/%E0%A4%A', 'x')).toEqual({ view: 'overview' });
  });
});
