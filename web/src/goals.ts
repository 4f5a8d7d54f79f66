// Goals as GET /api/goals answers them (WakaTime's goal shape plus `progress`; docs/wakatime.md), and
// the body POST/PUT /api/goals take.

export type Delta = 'day' | 'week';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export interface Goal {
  id: string;
  title: string;
  customTitle: string | null;
  delta: Delta;
  seconds: number;
  enabled: boolean;
  ignoreDays: string[];
  projects: string[];
  languages: string[];
  editors: string[];
  categories: string[];
  status: string;
  /** The running day or week. */
  actualSeconds: number;
  goalSeconds: number;
  percent: number;
  /** Periods met in a row. */
  streak: number;
}

/** What the goal form edits. */
export interface GoalForm {
  title: string;
  delta: Delta;
  hours: number;
  minutes: number;
  projects: string;
  languages: string;
  ignoreDays: string[];
  enabled: boolean;
}

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function parseGoal(raw: unknown): Goal | undefined {
  const o = obj(raw);
  if (typeof o.id !== 'string') return undefined;
  const p = obj(o.progress);
  return {
    id: o.id,
    title: typeof o.title === 'string' ? o.title : '',
    customTitle: typeof o.custom_title === 'string' ? o.custom_title : null,
    delta: o.delta === 'week' ? 'week' : 'day',
    seconds: num(o.seconds),
    enabled: o.is_enabled !== false,
    ignoreDays: strings(o.ignore_days),
    projects: strings(o.projects),
    languages: strings(o.languages),
    editors: strings(o.editors),
    categories: strings(o.categories),
    status: typeof o.status === 'string' ? o.status : '',
    actualSeconds: num(p.actual_seconds),
    goalSeconds: num(p.goal_seconds) || num(o.seconds),
    percent: num(p.percent),
    streak: num(p.streak),
  };
}

/** `GET /api/goals`: `{"data": [...]}`. */
export function parseGoals(raw: unknown): Goal[] {
  const data = obj(raw).data;
  return Array.isArray(data) ? data.map(parseGoal).filter((g): g is Goal => g !== undefined) : [];
}

const list = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

export function emptyForm(): GoalForm {
  return { title: '', delta: 'day', hours: 1, minutes: 0, projects: '', languages: '', ignoreDays: [], enabled: true };
}

export function formOf(g: Goal): GoalForm {
  return {
    title: g.customTitle ?? '',
    delta: g.delta,
    hours: Math.floor(g.seconds / 3600),
    minutes: Math.floor((g.seconds % 3600) / 60),
    projects: g.projects.join(', '),
    languages: g.languages.join(', '),
    ignoreDays: g.ignoreDays,
    enabled: g.enabled,
  };
}

/** The body of POST /api/goals and PUT /api/goals/{id}; a goal keeps its editor and category filters. */
export function goalBody(f: GoalForm, keep?: Goal): Record<string, unknown> {
  return {
    delta: f.delta,
    seconds: Math.round(f.hours) * 3600 + Math.round(f.minutes) * 60,
    ...(f.title.trim() ? { title: f.title.trim() } : {}),
    projects: list(f.projects),
    languages: list(f.languages),
    editors: keep?.editors ?? [],
    categories: keep?.categories ?? [],
    ignore_days: f.delta === 'day' ? f.ignoreDays : [],
    is_enabled: f.enabled,
  };
}

/** The same goal with only `is_enabled` changed (pause or resume). */
export function toggledBody(g: Goal): Record<string, unknown> {
  return { ...goalBody(formOf(g), g), is_enabled: !g.enabled };
}
