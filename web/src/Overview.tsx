import { useContext, useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { Api } from './api';
import {
  DIMENSION_LABELS,
  DIMENSIONS,
  activeDays,
  breakdownRows,
  formatDuration,
  formatHm,
  hourlyStacks,
  stackedDays,
  timeTicks,
  isValidRange,
  normalizeStats,
  statsQuery,
  toolName,
  topRows,
  type Dimension,
  type Filters,
  type RangeSelection,
  type StackBy,
  type Stats,
} from './shape';
import { YearCalendar } from './Calendar';
import { Empty, Later, Show, UserTimeZone, useAsync, useLater, useWidth } from './ui';
import { Goals } from './Goals';

// The server's week, month and year are rolling (the last 7, 30 and 365 days including today); the
// calendar week is WakaTime's "This week", Monday to today.
const RANGE_LABELS: Record<Exclude<RangeSelection['kind'], 'custom'>, string> = {
  today: 'Today',
  calendar_week: 'This week',
  week: 'Last 7 days',
  month: 'Last 30 days',
  year: 'Last 365 days',
  all: 'All time',
};

/** The hash route of a project's own page. */
export function projectHref(name: string): string {
  return `#/project/${encodeURIComponent(name)}`;
}

export function rangeLabel(r: RangeSelection): string {
  return r.kind === 'custom' ? `${r.start} to ${r.end}` : RANGE_LABELS[r.kind];
}

/** The stats query of a range and filters; null while the calendar week waits for the user's time zone. */
export function useStatsQuery(range: RangeSelection, filters: Filters): string | null {
  const zone = useContext(UserTimeZone);
  return range.kind === 'calendar_week' && zone === null ? null : statsQuery(range, filters, zone ?? undefined);
}

export function useStats(api: Api, range: RangeSelection, filters: Filters) {
  const q = useStatsQuery(range, filters);
  return useAsync(async () => normalizeStats(await api.get(`/api/stats?${q}`)), q);
}

export function RangePicker({
  range,
  onChange,
  without = [],
}: {
  range: RangeSelection;
  onChange: (r: RangeSelection) => void;
  /** Choices a view does not offer (the team view has no "All time"). */
  without?: RangeSelection['kind'][];
}) {
  const [start, setStart] = useState(range.kind === 'custom' ? range.start : '');
  const [end, setEnd] = useState(range.kind === 'custom' ? range.end : '');
  const valid = isValidRange(start, end);
  return (
    <div className="range">
      <div className="segmented" role="group" aria-label="Date range">
        {(Object.keys(RANGE_LABELS) as (keyof typeof RANGE_LABELS)[])
          .filter((k) => !without.includes(k))
          .map((k) => (
            <button key={k} type="button" aria-pressed={range.kind === k} onClick={() => onChange({ kind: k })}>
              {RANGE_LABELS[k]}
            </button>
          ))}
      </div>
      <form
        className="custom-range"
        aria-label="Custom range"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) onChange({ kind: 'custom', start, end });
        }}
      >
        <label>
          From <input type="date" value={start} onChange={(e) => setStart(e.target.value)} required />
        </label>
        <label>
          To <input type="date" value={end} onChange={(e) => setEnd(e.target.value)} min={start} required />
        </label>
        <button type="submit" disabled={!valid} aria-pressed={range.kind === 'custom'}>
          Show range
        </button>
      </form>
    </div>
  );
}

export function FilterChips({ filters, onChange }: { filters: Filters; onChange: (f: Filters) => void }) {
  const active = DIMENSIONS.filter((d) => filters[d] !== undefined);
  if (active.length === 0) return null;
  return (
    <div className="chips" aria-label="Active filters" role="group">
      {active.map((d) => (
        <button
          key={d}
          type="button"
          className="chip"
          aria-label={`Remove filter ${d} ${filters[d]}`}
          onClick={() => {
            const next = { ...filters };
            delete next[d];
            onChange(next);
          }}
        >
          {d}: {d === 'tool' ? toolName(filters[d]!) : filters[d]} <span aria-hidden="true">✕</span>
        </button>
      ))}
      <button type="button" className="link" onClick={() => onChange({})}>
        Clear all filters
      </button>
    </div>
  );
}

const BAR = '#3d6ee0';

/** Chart labels are cut to fit the axis; the table beside the chart has the full names. */
function shortLabel(s: string): string {
  return s.length > 14 ? `${s.slice(0, 13)}…` : s;
}

export function Summary({ stats }: { stats: Stats }) {
  const active = activeDays(stats.by_day);
  const average = active > 0 ? stats.total_seconds / active : 0;
  const topProject = breakdownRows(stats.breakdowns.project)[0];
  const topTool = breakdownRows(stats.breakdowns.tool)[0];
  return (
    <dl className="cards">
      <div className="card">
        <dt>Total</dt>
        <dd data-testid="total" data-seconds={stats.total_seconds}>
          {formatDuration(stats.total_seconds)}
        </dd>
      </div>
      <div className="card">
        <dt>Daily average</dt>
        <dd data-testid="daily-average" data-seconds={average}>
          {formatDuration(average)}
        </dd>
        <dd className="card-note" data-testid="active-days">
          over {active} {active === 1 ? 'day' : 'days'} with activity (of {stats.by_day.length})
        </dd>
      </div>
      <div className="card">
        <dt>Top project</dt>
        <dd title={topProject?.name}>
          {topProject ? <a href={projectHref(topProject.name)}>{topProject.name}</a> : '–'}
        </dd>
      </div>
      <div className="card">
        <dt>Top tool</dt>
        <dd>{topTool ? toolName(topTool.name) : '–'}</dd>
      </div>
    </dl>
  );
}

// Distinct hues, each with at least 3:1 contrast against the light and the dark panel.
export const SERIES_COLORS = [
  '#3d6ee0',
  '#e0873d',
  '#2e9e6a',
  '#b5489a',
  '#8a6d1f',
  '#5b5bd6',
  '#c2473d',
  '#1f8a99',
  '#7a7a7a',
];

/** A stacked chart's series, in their colours, each a button that shows or hides it. */
export function SeriesLegend({
  keys,
  hidden,
  toggle,
  label,
  testId,
}: {
  keys: string[];
  hidden: ReadonlySet<string>;
  toggle: (key: string) => void;
  label: string;
  testId: string;
}) {
  return (
    <div className="legend" role="group" aria-label={label} data-testid={testId}>
      {keys.map((k, i) => (
        <button
          key={k}
          type="button"
          className="legend-item"
          aria-pressed={!hidden.has(k)}
          data-key={k}
          onClick={() => toggle(k)}
        >
          <span className="swatch" style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }} aria-hidden="true" />
          {k}
        </button>
      ))}
    </div>
  );
}

type Stack = StackBy | 'none';
const STACK_LABELS: Record<Stack, string> = {
  none: 'Total',
  project: 'Project',
  language: 'Language',
  editor: 'Editor',
  category: 'Category',
};

export function DailyChart({
  api,
  stats,
  filters,
  onDay,
}: {
  api: Api;
  stats: Stats;
  filters: Filters;
  onDay: (date: string) => void;
}) {
  // WakaTime's summaries have the per-day lists; they filter by project only, so other filters stack nothing.
  const stackable = DIMENSIONS.every((d) => d === 'project' || filters[d] === undefined);
  const [by, setBy] = useState<Stack>('project');
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const stack = stackable ? by : 'none';
  // One day (Today, or a one-day range) shows the hours of the day, from WakaTime's durations.
  const day = stats.by_day.length === 1 ? stats.by_day[0].date : null;
  const q = new URLSearchParams(day ? { date: day } : { start: stats.range.start, end: stats.range.end });
  if (filters.project) q.set('project', filters.project);
  if (day && stack !== 'none') q.set('slice_by', stack);
  // The first drawing uses the stats' daily totals; the stacks come after it.
  const later = useLater();
  const [chartRef, width] = useWidth<HTMLDivElement>();
  const [loaded] = useAsync(async () => {
    if (!later) return null;
    if (day)
      return hourlyStacks(
        await api.get(`/api/v1/users/current/durations?${q}`),
        stack === 'none' ? 'project' : stack,
        stats.range.timezone,
      );
    return stack === 'none' ? null : stackedDays(await api.get(`/api/v1/users/current/summaries?${q}`), stack);
  }, `${later} ${stack} ${q}`);
  const stacked = loaded.status === 'ok' ? loaded.data : null;
  // Unstacked, one series: the day's (or hour's) total.
  const keys = stack === 'none' ? [] : (stacked?.keys ?? []);
  const visible = keys.filter((k) => !hidden.has(k));
  const rows = stacked
    ? stacked.days.map((d) => {
        const values = Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'date')) as Record<string, number>;
        const total = day
          ? Object.values(values).reduce((a, v) => a + v, 0)
          : (stats.by_day.find((x) => x.date === d.date)?.seconds ?? 0);
        return { key: String(d.date), label: day ? String(d.date) : String(d.date).slice(5), total, values };
      })
    : stats.by_day.map((d) => ({
        key: d.date,
        label: d.date.slice(5),
        total: d.seconds,
        values: {} as Record<string, number>,
      }));
  const data = rows.map((r) => ({ ...r.values, date: r.key, label: r.label, seconds: r.total }));
  const ticks = timeTicks(rows.reduce((m, r) => Math.max(m, r.total), 0));
  const toggle = (k: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(k)) next.add(k);
      return next;
    });
  return (
    <section className="panel" aria-labelledby="daily-h">
      <div className="panel-head">
        <h2 id="daily-h">{day ? `Hours of ${day}` : 'Daily activity'}</h2>
        <label>
          Stack by{' '}
          <select
            value={stack}
            disabled={!stackable}
            onChange={(e) => {
              setBy(e.target.value as Stack);
              setHidden(new Set());
            }}
          >
            {(Object.keys(STACK_LABELS) as Stack[]).map((k) => (
              <option key={k} value={k}>
                {STACK_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="hint">
        {day ? 'Time in each hour of the day, in your time zone.' : 'Select a day to open its timeline.'}
        {!stackable && ' Stacking needs no filter other than a project.'}
      </p>
      {keys.length > 0 && (
        <SeriesLegend
          keys={keys}
          hidden={hidden}
          toggle={toggle}
          label={`Show or hide a ${STACK_LABELS[stack].toLowerCase()}`}
          testId="legend"
        />
      )}
      <div className="chart" aria-hidden="true" data-testid="daily-chart" ref={chartRef} style={{ height: 240 }}>
        {width > 0 && (
          <BarChart
            width={width}
            height={240}
            accessibilityLayer={false}
            data={data}
            margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
            <YAxis
              tick={{ fontSize: 12 }}
              width={48}
              ticks={ticks}
              domain={[0, ticks[ticks.length - 1]]}
              tickFormatter={(v: number) => formatHm(v)}
            />
            <Tooltip formatter={(v, name) => [formatDuration(Number(v)), name === 'seconds' ? 'Time' : String(name)]} />
            {keys.length > 0 ? (
              keys.map((k, i) =>
                hidden.has(k) ? null : (
                  <Bar
                    key={k}
                    isAnimationActive={false}
                    dataKey={k}
                    stackId="day"
                    fill={SERIES_COLORS[i % SERIES_COLORS.length]}
                    cursor={day ? undefined : 'pointer'}
                    onClick={day ? undefined : (d) => onDay((d.payload as { date: string }).date)}
                  />
                ),
              )
            ) : (
              <Bar
                isAnimationActive={false}
                dataKey="seconds"
                fill={BAR}
                radius={[3, 3, 0, 0]}
                cursor={day ? undefined : 'pointer'}
                onClick={day ? undefined : (d) => onDay((d.payload as { date: string }).date)}
              />
            )}
          </BarChart>
        )}
      </div>
      <details className="day-list">
        <summary>{day ? 'Hours as a table' : 'Daily totals as a table'}</summary>
        <div className="table-scroll" tabIndex={0} role="region" aria-label={day ? 'Hours' : 'Daily totals'}>
          <table data-testid="daily-table">
            <thead>
              <tr>
                <th scope="col">{day ? 'Hour' : 'Day'}</th>
                <th scope="col" className="num">
                  Total
                </th>
                {visible.map((k) => (
                  <th key={k} scope="col" className="num">
                    {k}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} data-date={r.key}>
                  <th scope="row">{day ? r.key : <a href={`#/timeline/${r.key}`}>{r.key}</a>}</th>
                  <td className="num" data-seconds={r.total}>
                    {formatDuration(r.total)}
                  </td>
                  {visible.map((k) => (
                    <td key={k} className="num" data-key={k} data-seconds={r.values[k] ?? 0}>
                      {formatDuration(r.values[k] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

export function Breakdown({
  dim,
  map,
  filters,
  onFilter,
  projectPages = true,
}: {
  dim: Dimension;
  map: Record<string, number>;
  filters: Filters;
  /** Without it the names are plain text: a view that cannot filter by this dimension. */
  onFilter?: (d: Dimension, v: string) => void;
  /** Links to the personal project pages, which only the personal views have. */
  projectPages?: boolean;
}) {
  const rows = breakdownRows(map);
  const chart = topRows(rows, 6).map((r) => ({ ...r, label: dim === 'tool' ? toolName(r.name) : r.name }));
  const max = chart.reduce((m, r) => Math.max(m, r.seconds), 0) || 1;
  const id = `bd-${dim}`;
  return (
    <section className="panel breakdown" aria-labelledby={id} data-testid={`breakdown-${dim}`}>
      <h2 id={id}>{DIMENSION_LABELS[dim]}</h2>
      {rows.length === 0 ? (
        <Empty>No {DIMENSION_LABELS[dim].toLowerCase()} in this range.</Empty>
      ) : (
        <>
          {/* Plain bars: eight charts of six rows each are cheaper as HTML than as SVG charts. */}
          <ol className="hbars" aria-hidden="true">
            {chart.map((r) => (
              <li key={r.name} className={filters[dim] === r.name ? 'active' : undefined}>
                <span className="hbar-label" title={r.label}>
                  {shortLabel(r.label)}
                </span>
                <span className="hbar-track">
                  <span className="hbar" style={{ width: `${(r.seconds * 100) / max}%` }} />
                </span>
              </li>
            ))}
          </ol>
          <table>
            <caption className="sr-only">
              Time by {dim}
              {onFilter ? '; select a name to filter every view by it' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Time
                </th>
                <th scope="col" className="num">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.name} data-name={r.name}>
                  <th scope="row">
                    {onFilter ? (
                      <button
                        type="button"
                        className="link"
                        aria-pressed={filters[dim] === r.name}
                        aria-label={`Filter by ${dim} ${r.name}`}
                        onClick={() => onFilter(dim, r.name)}
                      >
                        {dim === 'tool' ? toolName(r.name) : r.name}
                      </button>
                    ) : dim === 'tool' ? (
                      toolName(r.name)
                    ) : (
                      r.name
                    )}
                    {dim === 'project' && projectPages && (
                      <>
                        {' '}
                        <a
                          className="open-link"
                          href={projectHref(r.name)}
                          aria-label={`Open the page of project ${r.name}`}
                        >
                          page
                        </a>
                      </>
                    )}
                  </th>
                  <td className="num" data-seconds={r.seconds}>
                    {formatDuration(r.seconds)}
                  </td>
                  <td className="num">{r.percent.toFixed(1)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** What every view of `/api/stats` (Overview, AI usage) takes: the range and filters they share. */
export interface StatsViewProps {
  api: Api;
  range: RangeSelection;
  filters: Filters;
  onRange: (r: RangeSelection) => void;
  onFilters: (f: Filters) => void;
}

export function Overview({
  api,
  range,
  filters,
  onRange,
  onFilters,
  onDay,
}: StatsViewProps & { onDay: (date: string) => void }) {
  const [stats, reload] = useStats(api, range, filters);
  // Goals come after the first stats, and then stay (a goal being edited outlives a change of range).
  const [goalsShown, setGoalsShown] = useState(false);
  useEffect(() => {
    if (stats.status !== 'loading') setGoalsShown(true);
  }, [stats.status]);
  return (
    <>
      <h1 className="view-title">Overview</h1>
      <RangePicker range={range} onChange={onRange} />
      <FilterChips filters={filters} onChange={onFilters} />
      <Show state={stats} what="stats" retry={reload}>
        {(s) =>
          s.total_seconds === 0 && s.by_day.every((d) => d.seconds === 0) ? (
            <>
              <Summary stats={s} />
              <Empty>
                <p>
                  <strong>No activity for {rangeLabel(range).toLowerCase()}.</strong>
                </p>
                <p>
                  Once an editor or AI tool sends heartbeats, time shows up here within seconds. See{' '}
                  <a href="#/keys">API keys and setup</a> to connect VS Code, Claude Code, Codex, Zed or any WakaTime
                  plugin.
                </p>
              </Empty>
            </>
          ) : (
            <>
              <p className="range-note">
                {s.range.start} to {s.range.end} ({s.range.timezone})
              </p>
              <Summary stats={s} />
              <DailyChart api={api} stats={s} filters={filters} onDay={onDay} />
              <Later>
                <YearCalendar api={api} filters={filters} onDay={onDay} />
              </Later>
              <div className="grid">
                {DIMENSIONS.map((d) => (
                  <Breakdown
                    key={d}
                    dim={d}
                    map={s.breakdowns[d]}
                    filters={filters}
                    onFilter={(dim, v) => onFilters({ ...filters, [dim]: filters[dim] === v ? undefined : v })}
                  />
                ))}
              </div>
            </>
          )
        }
      </Show>
      {goalsShown && (
        <Later>
          <Goals api={api} />
        </Later>
      )}
    </>
  );
}
