// Goals as GET /api/goals answers them (WakaTime's goal shape plus `progress`; docs/wakatime.md), and
// the body POST/PUT /api/goals take.
import { ContractError, Fields } from './contract';

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

/** WakaTime's goal fields the dashboard does not show: it renders its own progress and chart. */
const WAKATIME_ONLY = [
  'chart_data',
  'type',
  'ignore_zero_days',
  'improve_by_percent',
  'is_inverse',
  'is_snoozed',
  'snooze_until',
  'is_tweeting',
  'is_current_user_owner',
  'status_percent_calculated',
  'average_status',
  'cumulative_status',
  'range_text',
  'created_at',
  'modified_at',
  'shared_with',
  'subscribers',
  'owner',
];

/** One goal of the list, as `GET /api/goals` and the team view's shared goals hold it. */
export function goalOf(o: Fields): Goal {
  const delta = o.string('delta');
  if (delta !== 'day' && delta !== 'week')
    throw new ContractError(`GET /api/goals: delta ${delta} is neither day nor week`);
  const p = o.object('progress').ignore('period_start', 'period_end');
  o.ignore(...WAKATIME_ONLY);
  return {
    id: o.string('id'),
    title: o.string('title'),
    customTitle: o.stringOrNull('custom_title'),
    delta,
    seconds: o.number('seconds'),
    enabled: o.boolean('is_enabled'),
    ignoreDays: o.strings('ignore_days'),
    projects: o.strings('projects'),
    languages: o.strings('languages'),
    editors: o.strings('editors'),
    categories: o.strings('categories'),
    status: o.string('status'),
    actualSeconds: p.number('actual_seconds'),
    goalSeconds: p.number('goal_seconds'),
    percent: p.number('percent'),
    streak: p.number('streak'),
  };
}

/** `GET /api/goals`: `{"data": [...], "total", "total_pages"}`, all of the user's goals on one page. */
export function parseGoals(raw: unknown, strict = false): Goal[] {
  const f = Fields.of(raw, 'GET /api/goals').ignore('total', 'total_pages');
  return f.end(f.items('data').map(goalOf), strict);
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
