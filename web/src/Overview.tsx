import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Api } from './api';
import {
  DIMENSION_LABELS,
  DIMENSIONS,
  breakdownRows,
  formatDuration,
  hours,
  isValidRange,
  normalizeStats,
  statsQuery,
  toolName,
  topRows,
  type Dimension,
  type Filters,
  type RangeSelection,
  type Stats,
} from './shape';
import { Empty, Show, useAsync } from './ui';
import { Goals } from './Goals';

const RANGE_LABELS: Record<Exclude<RangeSelection['kind'], 'custom'>, string> = {
  today: 'Today',
  week: 'This week',
  month: 'This month',
  year: 'This year',
  all: 'All time',
};

export function rangeLabel(r: RangeSelection): string {
  return r.kind === 'custom' ? `${r.start} to ${r.end}` : RANGE_LABELS[r.kind];
}

export function useStats(api: Api, range: RangeSelection, filters: Filters) {
  const q = statsQuery(range, filters);
  return useAsync(async () => normalizeStats(await api.get(`/api/stats?${q}`)), q);
}

export function RangePicker({ range, onChange }: { range: RangeSelection; onChange: (r: RangeSelection) => void }) {
  const [start, setStart] = useState(range.kind === 'custom' ? range.start : '');
  const [end, setEnd] = useState(range.kind === 'custom' ? range.end : '');
  const valid = isValidRange(start, end);
  return (
    <div className="range">
      <div className="segmented" role="group" aria-label="Date range">
        {(Object.keys(RANGE_LABELS) as (keyof typeof RANGE_LABELS)[]).map((k) => (
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
const BAR_ACTIVE = '#17398f';

function Summary({ stats }: { stats: Stats }) {
  const days = stats.by_day.length || 1;
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
        <dd>{formatDuration(stats.total_seconds / days)}</dd>
      </div>
      <div className="card">
        <dt>Top project</dt>
        <dd title={topProject?.name}>{topProject ? topProject.name : '–'}</dd>
      </div>
      <div className="card">
        <dt>Top tool</dt>
        <dd>{topTool ? toolName(topTool.name) : '–'}</dd>
      </div>
    </dl>
  );
}

function DailyChart({ stats, onDay }: { stats: Stats; onDay: (date: string) => void }) {
  const data = stats.by_day.map((d) => ({ date: d.date, label: d.date.slice(5), hours: hours(d.seconds), seconds: d.seconds }));
  return (
    <section className="panel" aria-labelledby="daily-h">
      <h2 id="daily-h">Daily activity</h2>
      <p className="hint">Select a day to open its timeline.</p>
      <div className="chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
            <YAxis tick={{ fontSize: 12 }} width={48} tickFormatter={(h: number) => `${Number(h.toFixed(1))} h`} />
            <Tooltip formatter={(_v, _n, item) => [formatDuration((item.payload as { seconds: number }).seconds), 'Time']} />
            <Bar isAnimationActive={false} dataKey="hours" fill={BAR} radius={[3, 3, 0, 0]} cursor="pointer" onClick={(d) => onDay((d.payload as { date: string }).date)} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details className="day-list">
        <summary>Daily totals as a list</summary>
        <ul>
          {stats.by_day.map((d) => (
            <li key={d.date}>
              <a href={`#/timeline/${d.date}`}>{d.date}</a>: <span data-seconds={d.seconds}>{formatDuration(d.seconds)}</span>
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}

function Breakdown({
  dim,
  map,
  filters,
  onFilter,
}: {
  dim: Dimension;
  map: Record<string, number>;
  filters: Filters;
  onFilter: (d: Dimension, v: string) => void;
}) {
  const rows = breakdownRows(map);
  const chart = topRows(rows, 6).map((r) => ({ ...r, label: dim === 'tool' ? toolName(r.name) : r.name, hours: hours(r.seconds) }));
  const id = `bd-${dim}`;
  return (
    <section className="panel breakdown" aria-labelledby={id} data-testid={`breakdown-${dim}`}>
      <h2 id={id}>{DIMENSION_LABELS[dim]}</h2>
      {rows.length === 0 ? (
        <Empty>No {DIMENSION_LABELS[dim].toLowerCase()} in this range.</Empty>
      ) : (
        <>
          <div className="chart" aria-hidden="true">
            <ResponsiveContainer width="100%" height={Math.max(60, chart.length * 28)}>
              <BarChart accessibilityLayer={false} data={chart} layout="vertical" margin={{ top: 0, right: 8, bottom: 0, left: 0 }}>
                <XAxis type="number" hide />
                <YAxis type="category" dataKey="label" width={110} tick={{ fontSize: 12 }} tickFormatter={shortLabel} />
                <Bar isAnimationActive={false} dataKey="hours" radius={[0, 3, 3, 0]}>
                  {chart.map((r) => (
                    <Cell key={r.name} fill={filters[dim] === r.name ? BAR_ACTIVE : BAR} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
          <table>
            <caption className="sr-only">Time by {dim}; select a name to filter every view by it</caption>
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
                    <button
                      type="button"
                      className="link"
                      aria-pressed={filters[dim] === r.name}
                      aria-label={`Filter by ${dim} ${r.name}`}
                      onClick={() => onFilter(dim, r.name)}
                    >
                      {dim === 'tool' ? toolName(r.name) : r.name}
                    </button>
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

export function Overview({ api, range, filters, onRange, onFilters, onDay }: StatsViewProps & { onDay: (date: string) => void }) {
  const [stats, reload] = useStats(api, range, filters);
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
                  Once an editor or AI tool sends heartbeats, time shows up here within seconds. See <a href="#/keys">API keys and
                  setup</a> to connect VS Code, Claude Code, Codex, Zed or any WakaTime plugin.
                </p>
              </Empty>
            </>
          ) : (
            <>
              <p className="range-note">
                {s.range.start} to {s.range.end} ({s.range.timezone})
              </p>
              <Summary stats={s} />
              <DailyChart stats={s} onDay={onDay} />
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
      <Goals api={api} />
    </>
  );
}
