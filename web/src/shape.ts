// Data shaping for the dashboard: pure functions from API payloads to what the views render.
// Kept free of React so Vitest can check them against the exact shapes of docs/api.md.

export const DIMENSIONS = ['tool', 'project', 'language', 'category', 'editor', 'machine', 'branch', 'os'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Filters = Partial<Record<Dimension, string>>;

export const DIMENSION_LABELS: Record<Dimension, string> = {
  tool: 'Tools',
  project: 'Projects',
  language: 'Languages',
  category: 'Categories',
  editor: 'Editors',
  machine: 'Machines',
  branch: 'Branches',
  os: 'Operating systems',
};

export type RangeSelection =
  | { kind: 'today' | 'week' | 'month' | 'year' | 'all' }
  | { kind: 'custom'; start: string; end: string };

export interface DayTotal {
  date: string;
  seconds: number;
}

export interface AiTotals {
  tokens_in: number;
  tokens_out: number;
  prompts: number;
}

export interface AiDay extends AiTotals {
  date: string;
}

export interface Stats {
  range: { start: string; end: string; timezone: string };
  total_seconds: number;
  breakdowns: Record<Dimension, Record<string, number>>;
  by_day: DayTotal[];
  ai: AiTotals & {
    ai_line_changes: number;
    human_line_changes: number;
    by_tool: Record<string, AiTotals>;
    by_model: Record<string, AiTotals>;
    by_day: AiDay[];
  };
}

export interface Session {
  id: string;
  date: string;
  tool: string;
  project: string;
  start_time: number;
  end_time: number;
  duration: number;
  heartbeat_count: number;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function numberMap(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(obj(v))) out[k] = num(x);
  return out;
}

function aiTotals(v: unknown): AiTotals {
  const o = obj(v);
  return { tokens_in: num(o.tokens_in), tokens_out: num(o.tokens_out), prompts: num(o.prompts) };
}

function aiMap(v: unknown): Record<string, AiTotals> {
  const out: Record<string, AiTotals> = {};
  for (const [k, x] of Object.entries(obj(v))) out[k] = aiTotals(x);
  return out;
}

/** `/api/stats` payload to a fully populated Stats: missing maps become empty, never undefined. */
export function normalizeStats(raw: unknown): Stats {
  const o = obj(raw);
  const range = obj(o.range);
  const ai = obj(o.ai);
  const breakdowns = {} as Record<Dimension, Record<string, number>>;
  for (const d of DIMENSIONS) breakdowns[d] = numberMap(o[`by_${d}`]);
  return {
    range: { start: str(range.start), end: str(range.end), timezone: str(range.timezone) || 'UTC' },
    total_seconds: num(o.total_seconds),
    breakdowns,
    by_day: (Array.isArray(o.by_day) ? o.by_day : []).map((d) => ({ date: str(obj(d).date), seconds: num(obj(d).seconds) })),
    ai: {
      ...aiTotals(ai),
      ai_line_changes: num(ai.ai_line_changes),
      human_line_changes: num(ai.human_line_changes),
      by_tool: aiMap(ai.by_tool),
      by_model: aiMap(ai.by_model),
      by_day: (Array.isArray(ai.by_day) ? ai.by_day : []).map((d) => ({ date: str(obj(d).date), ...aiTotals(d) })),
    },
  };
}

export function normalizeSessions(raw: unknown): Session[] {
  const list = obj(raw).sessions;
  if (!Array.isArray(list)) return [];
  return list.map((s) => {
    const o = obj(s);
    return {
      id: str(o.id),
      date: str(o.date),
      tool: str(o.tool) || 'unknown',
      project: str(o.project),
      start_time: num(o.start_time),
      end_time: num(o.end_time),
      duration: num(o.duration),
      heartbeat_count: num(o.heartbeat_count),
    };
  });
}

/** Query string for `/api/stats` (and `/api/sessions`): the range plus the active exact filters. */
export function statsQuery(range: RangeSelection, filters: Filters = {}): string {
  const p = new URLSearchParams();
  if (range.kind === 'custom') {
    p.set('start', range.start);
    p.set('end', range.end);
  } else {
    p.set('range', range.kind);
  }
  for (const d of DIMENSIONS) {
    const v = filters[d];
    if (v !== undefined && v !== '') p.set(d, v);
  }
  return p.toString();
}

export interface BreakdownRow {
  name: string;
  seconds: number;
  /** Share of the breakdown's own sum, 0..100. */
  percent: number;
}

/** A `by_*` map as rows, largest first (ties by name so the order is stable). */
export function breakdownRows(map: Record<string, number>): BreakdownRow[] {
  const entries = Object.entries(map).filter(([, s]) => s > 0);
  const sum = entries.reduce((a, [, s]) => a + s, 0);
  return entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, seconds]) => ({ name, seconds, percent: sum > 0 ? (seconds * 100) / sum : 0 }));
}

/** Long breakdowns keep their top rows and fold the rest into one "Other" row for the chart. */
export function topRows(rows: BreakdownRow[], limit: number): BreakdownRow[] {
  if (rows.length <= limit) return rows;
  const head = rows.slice(0, limit - 1);
  const rest = rows.slice(limit - 1);
  return [
    ...head,
    {
      name: `Other (${rest.length})`,
      seconds: rest.reduce((a, r) => a + r.seconds, 0),
      percent: rest.reduce((a, r) => a + r.percent, 0),
    },
  ];
}

/** `2 h 05 min`, `12 min`, `40 s`, `0 min`: what the totals and tables show. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min`;
  if (s > 0) return `${s} s`;
  return '0 min';
}

/** Hours with one decimal, for chart axes. */
export function hours(seconds: number): number {
  return Math.round((seconds / 3600) * 10) / 10;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en-US').format(Math.round(n));
}

const TOOL_NAMES: Record<string, string> = {
  vscode: 'VS Code',
  'claude-code': 'Claude Code',
  codex: 'Codex',
  zed: 'Zed',
};

/** Display name of a tool id (`claude-code` -> `Claude Code`); WakaTime editor names pass through. */
export function toolName(tool: string): string {
  return TOOL_NAMES[tool] ?? tool;
}

export const KNOWN_TOOLS = Object.keys(TOOL_NAMES);

/** Seconds since local midnight of an instant in a time zone (wall-clock time). */
export function secondsIntoDay(epochMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(epochMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') * 3600 + get('minute') * 60 + get('second') + (epochMs % 1000) / 1000;
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(epochMs),
  );
}

export function formatClock(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(epochMs),
  );
}

export interface TimelineBlock {
  session: Session;
  /** Position and width as a share of the day, 0..100. */
  left: number;
  width: number;
  label: string;
}

export interface TimelineLane {
  tool: string;
  name: string;
  blocks: TimelineBlock[];
  seconds: number;
}

/**
 * One lane per tool for a day: VS Code, Claude Code, Codex and Zed always (an empty lane says "nothing
 * from this tool"), then every other plugin seen that day in its own lane. Blocks sit at their
 * wall-clock position in the user's time zone; the server already splits sessions at local midnight,
 * so an end that falls on the next day is the end of this day.
 */
export function timelineLanes(sessions: Session[], date: string, timeZone: string): TimelineLane[] {
  const day = 86400;
  const lanes = new Map<string, TimelineLane>();
  for (const t of KNOWN_TOOLS) lanes.set(t, { tool: t, name: toolName(t), blocks: [], seconds: 0 });
  const ofDay = sessions.filter((s) => s.date === date).sort((a, b) => a.start_time - b.start_time);
  for (const s of ofDay) {
    let lane = lanes.get(s.tool);
    if (!lane) {
      lane = { tool: s.tool, name: toolName(s.tool), blocks: [], seconds: 0 };
      lanes.set(s.tool, lane);
    }
    const start = localDate(s.start_time, timeZone) === date ? secondsIntoDay(s.start_time, timeZone) : 0;
    const end = localDate(s.end_time, timeZone) === date ? secondsIntoDay(s.end_time, timeZone) : day;
    const left = (start / day) * 100;
    // A single-heartbeat session lasts 0 s; keep it visible as a thin mark.
    const width = Math.max(((Math.max(end, start) - start) / day) * 100, 0.4);
    const label = `${toolName(s.tool)}${s.project ? `, ${s.project}` : ''}: ${formatClock(s.start_time, timeZone)} to ${formatClock(
      s.end_time,
      timeZone,
    )}, ${formatDuration(s.duration)}`;
    lane.blocks.push({ session: s, left, width: Math.min(width, 100 - left), label });
    lane.seconds += s.duration;
  }
  return [...lanes.values()];
}

export interface AiRow extends AiTotals {
  name: string;
}

/** AI usage map (by tool or by model) as rows, most tokens first. */
export function aiRows(map: Record<string, AiTotals>, nameOf: (k: string) => string = (k) => k): AiRow[] {
  return Object.entries(map)
    .map(([k, v]) => ({ name: nameOf(k), ...v }))
    .sort((a, b) => b.tokens_in + b.tokens_out - (a.tokens_in + a.tokens_out) || a.name.localeCompare(b.name));
}

/** Monday-based calendar helpers for the custom range picker's defaults. */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function isValidRange(start: string, end: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(start) && /^\d{4}-\d{2}-\d{2}$/.test(end) && start <= end;
}
