// Teams as the account and query routes answer them (docs/api.md, "Teams"), read with the contract's
// field readers: a missing or mistyped field is an error the page shows, never a half-filled view.
import { ContractError, Fields } from './contract';
import { goalOf, type Goal } from './goals';
import { isoDate, mondayOf, type AiRow, type DayTotal, type RangeSelection } from './shape';

export const ROLES = ['owner', 'admin', 'member'] as const;
export type Role = (typeof ROLES)[number];
export const SHARES = ['none', 'totals', 'breakdown'] as const;
export type Share = (typeof SHARES)[number];

export const SHARE_LABELS: Record<Share, string> = {
  none: 'Nothing',
  totals: 'Daily totals only',
  breakdown: 'Totals by project, language, editor and category, and AI usage by model',
};

function oneOf<T extends string>(f: Fields, name: string, values: readonly T[], where: string): T {
  const v = f.string(name);
  if (!(values as readonly string[]).includes(v))
    throw new ContractError(`${where}.${name}: ${v} is not one of ${values.join(', ')}`);
  return v as T;
}

/** A count or a number of seconds: never negative. */
function nonNegative(f: Fields, name: string, where: string): number {
  const v = f.number(name);
  if (v < 0) throw new ContractError(`${where}.${name}: expected 0 or more`);
  return v;
}

function date(f: Fields, name: string, where: string): string {
  const v = f.string(name);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new ContractError(`${where}.${name}: ${v} is not a YYYY-MM-DD date`);
  return v;
}

export interface TeamRef {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  memberCount: number;
  /** What the caller shares in this team. */
  share: Share;
}

function teamRef(f: Fields, where: string): TeamRef {
  return {
    id: f.string('id'),
    name: f.string('name'),
    role: oneOf(f, 'role', ROLES, where),
    createdAt: f.string('created_at'),
    memberCount: nonNegative(f, 'member_count', where),
    share: oneOf(f, 'share', SHARES, where),
  };
}

/** `GET /api/teams`: `{"data": [team]}`, the caller's teams. */
export function parseTeams(raw: unknown, strict = false): TeamRef[] {
  const f = Fields.of(raw, 'GET /api/teams');
  return f.end(
    f.items('data').map((t) => teamRef(t, 'GET /api/teams.data[]')),
    strict,
  );
}

/** The team as `POST /api/teams`, `PATCH /api/teams/{team}` and `POST /api/teams/join` answer it. */
export function parseTeamRef(raw: unknown, strict = false): TeamRef {
  const f = Fields.of(raw, 'team');
  return f.end(teamRef(f, 'team'), strict);
}

export interface Member {
  user: string;
  name: string;
  role: Role;
  share: Share;
  shareGoals: boolean;
  joinedAt: string;
}

export interface TeamDetail extends TeamRef {
  members: Member[];
}

/** `GET /api/teams/{team}`: the team with its members. */
export function parseTeamDetail(raw: unknown, strict = false): TeamDetail {
  const where = 'GET /api/teams/{team}';
  const f = Fields.of(raw, where);
  return f.end(
    {
      ...teamRef(f, where),
      members: f.items('members').map((m) => ({
        user: m.string('user'),
        name: m.string('name'),
        role: oneOf(m, 'role', ROLES, `${where}.members[]`),
        share: oneOf(m, 'share', SHARES, `${where}.members[]`),
        shareGoals: m.boolean('share_goals'),
        joinedAt: m.string('joined_at'),
      })),
    },
    strict,
  );
}

export interface Invite {
  code: string;
  expiresAt: string;
}

const INVITE_CODE = /^[A-Za-z0-9_-]{22,}$/;

/** `POST /api/teams/{team}/invites`: `{"code", "expires_at"}`; the code goes into a URL as it is. */
export function parseInvite(raw: unknown, strict = false): Invite {
  const f = Fields.of(raw, 'POST /api/teams/{team}/invites');
  const code = f.string('code');
  if (!INVITE_CODE.test(code))
    throw new ContractError('POST /api/teams/{team}/invites.code: not a URL-safe code of 128 bits or more');
  return f.end({ code, expiresAt: f.string('expires_at') }, strict);
}

/** The link a new member opens: this dashboard's address with the join route. */
export function inviteLink(dashboard: string, code: string): string {
  return `${dashboard.replace(/#.*$/, '')}#/join/${encodeURIComponent(code)}`;
}

/** The code of a pasted invite: the whole link or the bare code. */
export function inviteCodeOf(input: string): string | null {
  const s = input.trim();
  const m = s.match(/#\/join\/([^/?#\s]+)$/);
  const code = m ? decodeURIComponent(m[1]) : s;
  return INVITE_CODE.test(code) ? code : null;
}

/** What a member may do to another in the team, as the server allows it. */
export function canManage(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

/** Only the owner changes roles; admins and the owner can remove members but not the owner. */
export function canChangeRole(caller: Role, target: Role): boolean {
  return caller === 'owner' && target !== 'owner';
}

export function canRemove(caller: Role, target: Role): boolean {
  if (target === 'owner') return false;
  if (caller === 'owner') return true;
  return caller === 'admin' && target === 'member';
}

export interface TeamTotals {
  name: string;
  seconds: number;
}

export interface TeamAi {
  name: string;
  /** The member's user id for rows by member. */
  user?: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  prompts: number;
}

export interface MemberFigures {
  user: string;
  name: string;
  share: Share;
  /** Null for a member who shares nothing (the team sees only that they are there), or who does not count under a filter. */
  seconds: number | null;
  days: DayTotal[] | null;
}

export interface TeamStats {
  team: { id: string; name: string };
  range: { start: string; end: string };
  seconds: number;
  days: DayTotal[];
  members: MemberFigures[];
  projects: TeamTotals[];
  languages: TeamTotals[];
  editors: TeamTotals[];
  categories: TeamTotals[];
  ai: { members: TeamAi[]; models: TeamAi[] };
  goals: { user: string; name: string; goals: Goal[] }[];
}

function days(f: Fields, name: string, where: string): DayTotal[] {
  return f
    .items(name)
    .map((d) => ({ date: date(d, 'date', `${where}[]`), seconds: nonNegative(d, 'total_seconds', `${where}[]`) }));
}

function totals(f: Fields, name: string, where: string): TeamTotals[] {
  return f.items(name).map((d) => ({ name: d.string('name'), seconds: nonNegative(d, 'total_seconds', `${where}[]`) }));
}

function tokens(f: Fields, where: string): Omit<TeamAi, 'name' | 'user'> {
  return {
    inputTokens: nonNegative(f, 'input_tokens', where),
    outputTokens: nonNegative(f, 'output_tokens', where),
    cacheReadTokens: nonNegative(f, 'cache_read_tokens', where),
    cacheCreationTokens: nonNegative(f, 'cache_creation_tokens', where),
    prompts: nonNegative(f, 'prompts', where),
  };
}

/** `GET /api/teams/{team}/stats`. */
export function parseTeamStats(raw: unknown, strict = false): TeamStats {
  const where = 'GET /api/teams/{team}/stats';
  const f = Fields.of(raw, where);
  const team = f.object('team');
  const range = f.object('range');
  const ai = f.object('ai');
  return f.end(
    {
      team: { id: team.string('id'), name: team.string('name') },
      range: { start: date(range, 'start', `${where}.range`), end: date(range, 'end', `${where}.range`) },
      seconds: nonNegative(f, 'total_seconds', where),
      days: days(f, 'days', `${where}.days`),
      members: f.items('members').map((m) => {
        const w = `${where}.members[]`;
        const share = oneOf(m, 'share', SHARES, w);
        // A member who shares nothing comes without figures, and so does one who shares daily totals when a
        // project or language filter is on (their time cannot be split); one who shares a breakdown always has them.
        const figures = share === 'breakdown' || (share === 'totals' && m.has('total_seconds'));
        return {
          user: m.string('user'),
          name: m.string('name'),
          share,
          seconds: figures ? nonNegative(m, 'total_seconds', w) : null,
          days: figures ? days(m, 'days', `${w}.days`) : null,
        };
      }),
      projects: totals(f, 'projects', `${where}.projects`),
      languages: totals(f, 'languages', `${where}.languages`),
      editors: totals(f, 'editors', `${where}.editors`),
      categories: totals(f, 'categories', `${where}.categories`),
      ai: {
        members: ai
          .items('members')
          .map((m) => ({ user: m.string('user'), name: m.string('name'), ...tokens(m, `${where}.ai.members[]`) })),
        models: ai.items('models').map((m) => ({ name: m.string('name'), ...tokens(m, `${where}.ai.models[]`) })),
      },
      goals: f
        .items('goals')
        .map((g) => ({ user: g.string('user'), name: g.string('name'), goals: g.items('goals').map(goalOf) })),
    },
    strict,
  );
}

/** A list of `{name, total_seconds}` as the map the breakdown panels take. */
export function totalsMap(rows: TeamTotals[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.name] = (out[r.name] ?? 0) + r.seconds;
  return out;
}

/** Team AI rows in the shape of the personal AI tables (their column names differ on the wire). */
export function aiTableRows(rows: TeamAi[]): AiRow[] {
  return rows
    .map((r) => ({
      name: r.name,
      tokens_in: r.inputTokens,
      tokens_out: r.outputTokens,
      cache_read_tokens: r.cacheReadTokens,
      cache_creation_tokens: r.cacheCreationTokens,
      prompts: r.prompts,
    }))
    .sort((a, b) => b.tokens_in + b.tokens_out - (a.tokens_in + a.tokens_out) || a.name.localeCompare(b.name));
}

export interface MemberDays {
  /** Members who share time, most time first; the last is "Other" when the long tail was folded. */
  keys: string[];
  days: ({ date: string } & Record<string, number | string>)[];
}

/**
 * One row per day of the team's range with a column per member who shares time (their display name),
 * for the daily bars stacked by member. Members beyond the `limit - 1` with most time fold into "Other".
 */
export function memberDays(stats: TeamStats, limit = 8): MemberDays {
  const sharing = stats.members
    .filter(
      (m): m is MemberFigures & { seconds: number; days: DayTotal[] } =>
        m.seconds !== null && m.days !== null && m.seconds > 0,
    )
    .sort((a, b) => b.seconds - a.seconds || a.name.localeCompare(b.name));
  const own = sharing.length <= limit ? sharing : sharing.slice(0, limit - 1);
  const keys = [...own.map((m) => m.name), ...(sharing.length > own.length ? ['Other'] : [])];
  const rows = stats.days.map((d) => {
    const row: { date: string } & Record<string, number | string> = { date: d.date };
    for (const k of keys) row[k] = 0;
    sharing.forEach((m, i) => {
      const key = i < own.length ? m.name : 'Other';
      row[key] = (row[key] as number) + (m.days.find((x) => x.date === d.date)?.seconds ?? 0);
    });
    return row;
  });
  return { keys, days: rows };
}

/** The first and last day of a range choice, as the team routes take them (they have no `range=`). */
export function rangeDates(range: RangeSelection, today: string = isoDate(new Date())): { start: string; end: string } {
  const back = (n: number) => {
    const d = new Date(`${today}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() - n);
    return d.toISOString().slice(0, 10);
  };
  switch (range.kind) {
    case 'custom':
      return { start: range.start, end: range.end };
    case 'today':
      return { start: today, end: today };
    case 'calendar_week':
      return { start: mondayOf(today), end: today };
    case 'week':
      return { start: back(6), end: today };
    case 'month':
      return { start: back(29), end: today };
    case 'year':
    case 'all':
      return { start: back(364), end: today };
  }
}

export type TeamFilters = { project?: string; language?: string };

/** Query string of `GET /api/teams/{team}/stats`. */
export function teamStatsQuery(range: RangeSelection, filters: TeamFilters = {}, today?: string): string {
  const { start, end } = rangeDates(range, today);
  const p = new URLSearchParams({ start, end });
  if (filters.project) p.set('project', filters.project);
  if (filters.language) p.set('language', filters.language);
  return p.toString();
}

export interface Leader {
  rank: number;
  user: string;
  name: string;
  seconds: number;
  dailyAverage: number;
  languages: TeamTotals[];
}

export interface Leaders {
  leaders: Leader[];
  language: string | null;
  range: { start: string; end: string; text: string };
  page: number;
  totalPages: number;
  /** The caller's place, when they are on the board: their user id, rank and the page that lists them. */
  current: { user: string; rank: number; page: number } | null;
}

/** Query string of a leaderboard's page, with the language filter if any. */
export function leadersQuery(language: string, page: number): string {
  const p = new URLSearchParams();
  if (language) p.set('language', language);
  if (page > 1) p.set('page', String(page));
  const q = p.toString();
  return q ? `?${q}` : '';
}

/** WakaTime's leaders shape (`GET /api/teams/{team}/leaderboard`, `/leaders`, `/users/current/leaderboards/{board}`). */
export function parseLeaders(raw: unknown, strict = false): Leaders {
  const where = 'leaders';
  const f = Fields.of(raw, where);
  const range = f.object('range').ignore('name');
  // WakaTime's user fields the board does not show (DevTime sends no photos, e-mail addresses or cities).
  const user = (u: Fields) => u.ignore('full_name', 'photo_public', 'is_email_public', 'email', 'photo', 'city');
  let current: Leaders['current'] = null;
  if ((raw as Record<string, unknown>).current_user === null) f.ignore('current_user');
  else {
    const c = f.object('current_user');
    current = {
      user: user(c.object('user')).ignore('username', 'display_name').string('id'),
      rank: nonNegative(c, 'rank', `${where}.current_user`),
      page: nonNegative(c, 'page', `${where}.current_user`),
    };
  }
  return f.end(
    {
      leaders: f.items('data').map((d) => {
        const total = d.object('running_total').ignore('human_readable_total', 'human_readable_daily_average');
        const u = user(d.object('user'));
        const display = u.stringOrNull('display_name');
        const username = u.string('username');
        return {
          rank: nonNegative(d, 'rank', `${where}.data[]`),
          user: u.string('id'),
          name: display || username,
          seconds: nonNegative(total, 'total_seconds', `${where}.data[].running_total`),
          dailyAverage: nonNegative(total, 'daily_average', `${where}.data[].running_total`),
          languages: totals(total, 'languages', `${where}.data[].running_total.languages`),
        };
      }),
      language: f.stringOrNull('language') || null,
      range: {
        start: date(range, 'start_date', `${where}.range`),
        end: date(range, 'end_date', `${where}.range`),
        text: range.string('text'),
      },
      page: nonNegative(f, 'page', where),
      totalPages: nonNegative(f, 'total_pages', where),
      current,
    },
    strict,
  );
}
