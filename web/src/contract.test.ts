import { describe, expect, it } from 'vitest';
import { parseCreatedKey, parseKeys, parseMe, parseSavedSettings, parseSettings } from './account';
import { ContractError, parseError } from './contract';
import { parseExportPage } from './exporter';
import { parseGoals } from './goals';
import { parseImportResult } from './importer';
import { normalizeSessions, normalizeStats } from './shape';
import { parseInvite, parseLeaders, parseTeamDetail, parseTeamRef, parseTeamStats, parseTeams } from './teams';

// The answers of the real handlers, written by the server's ApiContractTest (functions module); each is read
// here by the parser the dashboard reads it with, strictly: a field missing, mistyped or unknown fails.
const fixtures = import.meta.glob<unknown>('./contract/*.json', { eager: true, import: 'default' });
const fixture = (name: string): unknown => fixtures[`./contract/${name}.json`];

const PARSERS: Record<string, (raw: unknown, strict: boolean) => unknown> = {
  me: parseMe,
  keys: parseKeys,
  'key-created': parseCreatedKey,
  settings: parseSettings,
  'settings-saved': parseSavedSettings,
  stats: normalizeStats,
  sessions: normalizeSessions,
  goals: parseGoals,
  'export-page': parseExportPage,
  'import-result': parseImportResult,
  error: parseError,
  teams: parseTeams,
  team: parseTeamDetail,
  'team-created': parseTeamRef,
  'team-joined': parseTeamRef,
  'team-invite': parseInvite,
  'team-stats': parseTeamStats,
  'team-leaderboard': parseLeaders,
  leaders: parseLeaders,
};

describe('API contract', () => {
  it('has a parser for every fixture and a fixture for every parser', () => {
    const names = Object.keys(fixtures).map((p) => p.replace('./contract/', '').replace('.json', ''));
    expect(names.sort()).toEqual(Object.keys(PARSERS).sort());
  });

  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`reads ${name}.json strictly`, () => {
      expect(() => parse(fixture(name), true)).not.toThrow();
    });
    it(`refuses ${name}.json with a field more`, () => {
      expect(() => parse({ ...(fixture(name) as object), surprise: 1 }, true)).toThrow(ContractError);
    });
  }

  it('reads the values the views show', () => {
    expect(parseMe(fixture('me'), true)).toBe('contract-user');
    const [used, unused] = parseKeys(fixture('keys'), true);
    expect(used).toEqual({
      id: 'key-1',
      label: 'laptop',
      readOnly: false,
      createdAt: '2026-06-15 15:00 UTC',
      lastUsedAt: '2026-06-15 15:05–16:05 UTC',
    });
    expect(unused.lastUsedAt).toBe('');
    expect(unused.readOnly).toBe(true);
    expect(parseCreatedKey(fixture('key-created'), true).key).toMatch(/^waka_[0-9a-f-]{36}$/);
    expect(parseSettings(fixture('settings'), true)).toEqual({
      timezone: 'UTC',
      timeoutMinutes: 15,
      hideFileNames: false,
      excludedProjects: [],
      retentionDays: null,
      public: false,
    });
    expect(parseSavedSettings(fixture('settings-saved'), true).excludedProjects).toEqual(['private']);
    const stats = normalizeStats(fixture('stats'), true);
    expect(stats.total_seconds).toBe(Object.values(stats.breakdowns.project).reduce((a, b) => a + b, 0));
    expect(stats.ai.by_model['claude-sonnet-4-5'].cache_read_tokens).toBeGreaterThan(0);
    const sessions = normalizeSessions(fixture('sessions'), true);
    expect(sessions.map((s) => s.tool)).toEqual(['vscode', 'claude-code']);
    const [goal] = parseGoals(fixture('goals'), true);
    expect(goal).toMatchObject({
      id: 'goal-1',
      delta: 'day',
      seconds: 3600,
      ignoreDays: ['saturday', 'sunday'],
      actualSeconds: 1800,
      percent: 50,
    });
    const page = parseExportPage(fixture('export-page'), true);
    expect(page.next).toBeNull();
    expect(page.heartbeats.length).toBeGreaterThan(0);
    expect(page.days.length).toBeGreaterThan(0);
    expect(parseImportResult(fixture('import-result'), true)).toMatchObject({
      accepted: 1,
      refused: 1,
      errors: [{ index: 1 }],
    });
    expect(parseError(fixture('error'), true)).toMatch(/timezone/);
  });

  it('reads the team answers the team pages show', () => {
    expect(parseTeamRef(fixture('team-created'), true)).toMatchObject({
      id: 'team-1',
      role: 'owner',
      share: 'none',
      memberCount: 1,
    });
    expect(parseTeamRef(fixture('team-joined'), true)).toMatchObject({ id: 'team-1', role: 'member', memberCount: 2 });
    expect(parseInvite(fixture('team-invite'), true).code).toHaveLength(43);
    expect(parseTeams(fixture('teams'), true)).toEqual([
      expect.objectContaining({ id: 'team-1', share: 'breakdown', memberCount: 2 }),
    ]);
    const team = parseTeamDetail(fixture('team'), true);
    expect(team.members.map((m) => [m.name, m.role, m.share, m.shareGoals])).toEqual([
      ['Ada', 'owner', 'breakdown', true],
      ['contract-colleague', 'member', 'totals', false],
    ]);
    const stats = parseTeamStats(fixture('team-stats'), true);
    expect(stats.seconds).toBe(stats.members.reduce((a, m) => a + (m.seconds ?? 0), 0));
    expect(stats.seconds).toBe(stats.days.reduce((a, d) => a + d.seconds, 0));
    // Breakdowns come from the member who shares one; the colleague shares daily totals only.
    const ada = stats.members.find((m) => m.name === 'Ada')!;
    expect(stats.projects.reduce((a, p) => a + p.seconds, 0)).toBe(ada.seconds);
    expect(stats.ai.members.map((m) => m.user)).toEqual(['contract-user']);
    expect(stats.ai.models[0]).toMatchObject({ name: 'claude-sonnet-4-5' });
    expect(stats.goals.map((g) => [g.name, g.goals.map((x) => x.title)])).toEqual([['Ada', ['An hour a day']]]);
    const board = parseLeaders(fixture('team-leaderboard'), true);
    expect(board.leaders.map((l) => [l.rank, l.name])).toEqual([
      [1, 'Ada'],
      [2, 'contract-colleague'],
    ]);
    expect(board.current).toEqual({ user: 'contract-user', rank: 1, page: 1 });
    expect(board.range.text).toBe('Last 7 Days');
    // The instance's board: only the user, who opted into public sharing; the colleague did not.
    const open = parseLeaders(fixture('leaders'), true);
    expect(open.leaders.map((l) => [l.rank, l.user, l.seconds])).toEqual([[1, 'contract-user', ada.seconds]]);
    expect(open.current).toEqual({ user: 'contract-user', rank: 1, page: 1 });
  });
});
