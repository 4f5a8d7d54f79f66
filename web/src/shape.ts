// Data shaping for the dashboard: pure functions from API payloads to what the views render.
// Kept free of React so Vitest can check them against the exact shapes of docs/api.md.
import { Fields } from './contract';
import PRICES from './prices.json';
import TOOL_NAMES from '../../shared-model/src/main/resources/dev/devtime/model/wire/tools.json';

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
  /** WakaTime's calendar week: Monday to today. */
  | { kind: 'calendar_week' }
  | { kind: 'custom'; start: string; end: string };

export interface DayTotal {
  date: string;
  seconds: number;
}

export interface AiTotals {
  tokens_in: number;
  tokens_out: number;
  cache_creation_tokens: number;
  cache_read_tokens: number;
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

function aiTotals(f: Fields): AiTotals {
  return {
    tokens_in: f.number('tokens_in'),
    tokens_out: f.number('tokens_out'),
    cache_creation_tokens: f.number('cache_creation_tokens'),
    cache_read_tokens: f.number('cache_read_tokens'),
    prompts: f.number('prompts'),
  };
}

function aiMap(f: Fields, name: string): Record<string, AiTotals> {
  return Object.fromEntries(f.entries(name).map(([k, v]) => [k, aiTotals(v)]));
}

/** `GET /api/stats` (docs/api.md). */
export function normalizeStats(raw: unknown, strict = false): Stats {
  const f = Fields.of(raw, 'GET /api/stats');
  const range = f.object('range');
  const ai = f.object('ai');
  const breakdowns = {} as Record<Dimension, Record<string, number>>;
  for (const d of DIMENSIONS) breakdowns[d] = f.numbers(`by_${d}`);
  return f.end(
    {
      range: { start: range.string('start'), end: range.string('end'), timezone: range.string('timezone') },
      total_seconds: f.number('total_seconds'),
      breakdowns,
      by_day: f.items('by_day').map((d) => ({ date: d.string('date'), seconds: d.number('seconds') })),
      ai: {
        ...aiTotals(ai),
        ai_line_changes: ai.number('ai_line_changes'),
        human_line_changes: ai.number('human_line_changes'),
        by_tool: aiMap(ai, 'by_tool'),
        by_model: aiMap(ai, 'by_model'),
        by_day: ai.items('by_day').map((d) => ({ date: d.string('date'), ...aiTotals(d) })),
      },
    },
    strict,
  );
}

/** `GET /api/sessions`: a page of sessions in time order, and the cursor of the next page (null on the last). */
export function normalizeSessions(raw: unknown, strict = false): Session[] {
  const f = Fields.of(raw, 'GET /api/sessions');
  const sessions = f.items('sessions').map((o) => ({
    id: o.string('id'),
    date: o.string('date'),
    tool: o.string('tool'),
    project: o.string('project'),
    start_time: o.number('start_time'),
    end_time: o.number('end_time'),
    duration: o.number('duration'),
    heartbeat_count: o.number('heartbeat_count'),
  }));
  // One page holds about 5 MB of sessions, years of them: the dashboard asks for a day or a week.
  f.ignore('next_cursor');
  return f.end(sessions, strict);
}

/** Today (YYYY-MM-DD) in a time zone: days are the user's, in the zone of their settings, not the browser's. */
export function todayIn(timeZone: string, nowMs: number = Date.now()): string {
  return localDate(nowMs, timeZone);
}

/**
 * Query string for `/api/stats` (and `/api/sessions`): the range plus the active exact filters. The
 * calendar week runs from Monday to today in the user's time zone, so it needs that zone.
 */
export function statsQuery(range: RangeSelection, filters: Filters = {}, timeZone?: string): string {
  const p = new URLSearchParams();
  if (range.kind === 'custom') {
    p.set('start', range.start);
    p.set('end', range.end);
  } else if (range.kind === 'calendar_week') {
    if (!timeZone) throw new Error("the calendar week needs the user's time zone");
    const today = todayIn(timeZone);
    p.set('start', mondayOf(today));
    p.set('end', today);
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

/** Display name of a tool id from the table the server uses too (`intellij` -> `IntelliJ IDEA`); other ids capitalised. */
export function toolName(tool: string): string {
  const known = (TOOL_NAMES as Record<string, string>)[tool.toLowerCase()];
  if (known) return known;
  return tool ? tool.charAt(0).toUpperCase() + tool.slice(1) : tool;
}

/** `1:05` for 65 minutes: the axis ticks of the time charts. */
export function formatHm(seconds: number): string {
  const m = Math.round(Math.max(0, seconds) / 60);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
}

/** Days of `by_day` with any activity: the "Daily average" divides by these, not by the range's length. */
export function activeDays(days: DayTotal[]): number {
  return days.filter((d) => d.seconds > 0).length;
}

/** Monday of the calendar week of a YYYY-MM-DD date (WakaTime's "This week" runs Monday to today). */
export function mondayOf(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

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
 * One lane per tool used that day, in the order of first use. Blocks sit at their wall-clock position in
 * the user's time zone; the server already splits sessions at local midnight, so an end that falls on
 * the next day is the end of this day.
 */
export function timelineLanes(sessions: Session[], date: string, timeZone: string): TimelineLane[] {
  const day = 86400;
  const lanes = new Map<string, TimelineLane>();
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

/** What the daily bars can be stacked by: the per-day lists of WakaTime's `summaries`. */
export const STACKS = {
  project: 'projects',
  language: 'languages',
  editor: 'editors',
  category: 'categories',
} as const;
export type StackBy = keyof typeof STACKS;

export interface StackedDays {
  /** Series names, largest first; the last is "Other" when the long tail was folded. */
  keys: string[];
  days: ({ date: string } & Record<string, number | string>)[];
}

/**
 * WakaTime `summaries` to one row per day with a column per name (seconds). The `limit - 1` largest
 * names over the range keep their own series and the rest fold into "Other", so a chart stays legible.
 */
export function stackedDays(raw: unknown, by: StackBy, limit = 8): StackedDays {
  const list = STACKS[by];
  const data = Array.isArray(obj(raw).data) ? (obj(raw).data as unknown[]) : [];
  const perDay = data.map((d) => {
    const o = obj(d);
    const items = Array.isArray(o[list]) ? (o[list] as unknown[]) : [];
    const m: Record<string, number> = {};
    for (const it of items) {
      const name = str(obj(it).name);
      if (name) m[name] = (m[name] ?? 0) + num(obj(it).total_seconds);
    }
    return { date: str(obj(o.range).date), m };
  });
  return foldSeries(
    perDay.map(({ date, m }) => ({ label: date, m })),
    limit,
  );
}

export interface FileRow {
  name: string;
  seconds: number;
  /** Stored as a keyed hash ("hide file names" was on). */
  hidden: boolean;
}

/**
 * A project's files over a range: the `entities` of WakaTime `summaries` asked for one project, summed
 * over the days, most time first (ties by name).
 */
export function projectFiles(raw: unknown): FileRow[] {
  const data = Array.isArray(obj(raw).data) ? (obj(raw).data as unknown[]) : [];
  const totals: Record<string, number> = {};
  for (const d of data) {
    const items = obj(d).entities;
    for (const it of Array.isArray(items) ? items : []) {
      const name = str(obj(it).name);
      if (name) totals[name] = (totals[name] ?? 0) + num(obj(it).total_seconds);
    }
  }
  return breakdownRows(totals).map((r) => ({
    name: r.name,
    seconds: r.seconds,
    hidden: /^(hmac-)?sha256:/.test(r.name),
  }));
}

/** Folds names beyond the `limit - 1` largest into "Other": the series a stacked chart draws. */
function foldSeries(rows: { label: string; m: Record<string, number> }[], limit: number): StackedDays {
  const totals: Record<string, number> = {};
  for (const { m } of rows) for (const [k, v] of Object.entries(m)) totals[k] = (totals[k] ?? 0) + v;
  const ranked = breakdownRows(totals).map((r) => r.name);
  const own = ranked.length <= limit ? ranked : ranked.slice(0, limit - 1);
  const keys = ranked.length > own.length ? [...own, 'Other'] : own;
  const days = rows.map(({ label, m }) => {
    const row: { date: string } & Record<string, number | string> = { date: label };
    for (const k of keys) row[k] = 0;
    for (const [k, v] of Object.entries(m)) {
      const key = own.includes(k) ? k : 'Other';
      row[key] = (row[key] as number) + v;
    }
    return row;
  });
  return { keys, days };
}

/**
 * WakaTime `durations` of one day to 24 hourly rows (`00:00` ... `23:00`) stacked by the slice: each
 * duration is cut at the hour boundaries of the user's time zone, so the hours sum to the day's total.
 */
export function hourlyStacks(raw: unknown, by: StackBy, timeZone: string, limit = 8): StackedDays {
  const field = by === 'project' ? 'project' : by;
  const hoursOfDay = Array.from({ length: 24 }, (_, h) => ({
    label: `${String(h).padStart(2, '0')}:00`,
    m: {} as Record<string, number>,
  }));
  const list = Array.isArray(obj(raw).data) ? (obj(raw).data as unknown[]) : [];
  for (const d of list) {
    const o = obj(d);
    const name = str(o[field]) || 'unknown';
    let at = num(o.time) * 1000;
    let left = num(o.duration);
    while (left > 0) {
      const into = secondsIntoDay(at, timeZone);
      const hour = Math.min(23, Math.floor(into / 3600));
      const part = Math.min(left, 3600 - (into % 3600));
      const m = hoursOfDay[hour].m;
      m[name] = (m[name] ?? 0) + part;
      left -= part;
      at += part * 1000;
    }
  }
  return foldSeries(hoursOfDay, limit);
}

export interface HeatCell extends DayTotal {
  /** 0 (nothing) to 4 (a quarter of the busiest day's time or less away from it). */
  level: number;
}

/**
 * Days as weeks of seven cells, Monday first; the first week is padded with nulls before the range's
 * first day. Levels are quarters of the busiest day, so one long day does not hide the others' shape
 * less than a log scale would; any activity is at least level 1.
 */
export function heatLevels(days: DayTotal[]): { weeks: (HeatCell | null)[][]; max: number } {
  const max = days.reduce((m, d) => Math.max(m, d.seconds), 0);
  const weeks: (HeatCell | null)[][] = [];
  let week: (HeatCell | null)[] = [];
  days.forEach((d, i) => {
    const weekday = (new Date(`${d.date}T12:00:00Z`).getUTCDay() + 6) % 7;
    if (i === 0) week = Array.from({ length: weekday }, () => null);
    else if (weekday === 0) {
      weeks.push(week);
      week = [];
    }
    const level = d.seconds <= 0 || max <= 0 ? 0 : Math.max(1, Math.ceil((d.seconds / max) * 4));
    week.push({ ...d, level });
  });
  if (week.length) weeks.push(week);
  return { weeks, max };
}

export interface MonthRow {
  month: string;
  seconds: number;
  activeDays: number;
  best: DayTotal | null;
}

/** Days summed by calendar month (YYYY-MM), oldest first, with each month's busiest day. */
export function monthRows(days: DayTotal[]): MonthRow[] {
  const out = new Map<string, MonthRow>();
  for (const d of days) {
    const key = d.date.slice(0, 7);
    const m = out.get(key) ?? { month: key, seconds: 0, activeDays: 0, best: null };
    m.seconds += d.seconds;
    if (d.seconds > 0) {
      m.activeDays += 1;
      if (!m.best || d.seconds > m.best.seconds) m.best = d;
    }
    out.set(key, m);
  }
  return [...out.values()];
}

const TICK_STEPS = [300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 43200];

/** Axis ticks on whole minutes or hours (0:15, 0:30 ... or 1:00, 2:00 ...): at most five steps up to `max`. */
export function timeTicks(max: number): number[] {
  const step = TICK_STEPS.find((s) => max / s <= 5) ?? TICK_STEPS[TICK_STEPS.length - 1];
  const top = Math.max(step, Math.ceil(max / step) * step);
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

export interface Price {
  input: number;
  output: number;
  cache_creation: number;
  cache_read: number;
}

export const PRICE_TABLE = PRICES as { as_of: string; source: string; models: Record<string, Price> };

/** The price of a model: the longest key of the table its name starts with (dated names included). */
export function priceOf(model: string): Price | undefined {
  const m = model.toLowerCase().replace(/^(anthropic|openai)[/.]/, '');
  const key = Object.keys(PRICE_TABLE.models)
    .filter((k) => m.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return key ? PRICE_TABLE.models[key] : undefined;
}

/** Estimated API cost in USD of a model's usage; undefined for a model the table does not price. */
export function costOf(model: string, t: AiTotals): number | undefined {
  const p = priceOf(model);
  if (!p) return undefined;
  return (
    (t.tokens_in * p.input +
      t.tokens_out * p.output +
      t.cache_creation_tokens * p.cache_creation +
      t.cache_read_tokens * p.cache_read) /
    1e6
  );
}

/** The cost of usage split by model (an `ai.by_model` map): the priced sum and the models left out. */
export function costByModel(byModel: Record<string, AiTotals>): { usd: number; unpriced: string[] } {
  let usd = 0;
  const unpriced: string[] = [];
  for (const [model, t] of Object.entries(byModel)) {
    const c = costOf(model, t);
    if (c === undefined) {
      if (t.tokens_in + t.tokens_out + t.cache_creation_tokens + t.cache_read_tokens > 0) unpriced.push(model);
    } else usd += c;
  }
  return { usd, unpriced };
}

export function formatUsd(usd: number): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: usd < 1 ? 4 : 2,
  }).format(usd);
}
