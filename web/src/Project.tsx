import { Breakdown, DailyChart, RangePicker, Summary, rangeLabel, useStats } from './Overview';
import type { Api } from './api';
import { formatCount, formatDuration, type Dimension, type Filters, type RangeSelection } from './shape';
import { Empty, Show } from './ui';

const DIMS: Dimension[] = ['language', 'branch', 'tool', 'category', 'machine'];

/**
 * One project over the chosen range: its time by day, languages, branches, tools and editors, and how
 * much of it was AI work. A name in a table filters the Overview by this project and that name.
 */
export function Project({
  api,
  name,
  range,
  onRange,
  onFilters,
  onDay,
}: {
  api: Api;
  name: string;
  range: RangeSelection;
  onRange: (r: RangeSelection) => void;
  onFilters: (f: Filters) => void;
  onDay: (date: string) => void;
}) {
  const filters: Filters = { project: name };
  const [stats, reload] = useStats(api, range, filters);
  return (
    <>
      <h1 className="view-title">
        Project <span data-testid="project-name">{name}</span>
      </h1>
      <p>
        <a href="#/overview">Back to the overview</a>
      </p>
      <RangePicker range={range} onChange={onRange} />
      <Show state={stats} what="the project" retry={reload}>
        {(s) => {
          if (s.total_seconds === 0) return <Empty>No time on {name} for {rangeLabel(range).toLowerCase()}.</Empty>;
          const aiSeconds = s.breakdowns.category['ai coding'] ?? 0;
          const lines = s.ai.ai_line_changes + s.ai.human_line_changes;
          return (
            <>
              <p className="range-note">
                {s.range.start} to {s.range.end} ({s.range.timezone})
              </p>
              <Summary stats={s} />
              <section className="panel" aria-labelledby="project-ai-h">
                <h2 id="project-ai-h">AI share</h2>
                <dl className="cards">
                  <div className="card">
                    <dt>AI coding time</dt>
                    <dd data-testid="project-ai-seconds" data-seconds={aiSeconds}>
                      {formatDuration(aiSeconds)} ({((aiSeconds * 100) / s.total_seconds).toFixed(1)} %)
                    </dd>
                  </div>
                  <div className="card">
                    <dt>Lines changed by AI</dt>
                    <dd data-testid="project-ai-lines">
                      {formatCount(s.ai.ai_line_changes)} of {formatCount(lines)}
                      {lines > 0 ? ` (${((s.ai.ai_line_changes * 100) / lines).toFixed(1)} %)` : ''}
                    </dd>
                  </div>
                  <div className="card">
                    <dt>Tokens in / out</dt>
                    <dd>
                      {formatCount(s.ai.tokens_in)} / {formatCount(s.ai.tokens_out)}
                    </dd>
                  </div>
                </dl>
              </section>
              <DailyChart api={api} stats={s} filters={filters} onDay={onDay} />
              <div className="grid">
                {DIMS.map((d) => (
                  <Breakdown key={d} dim={d} map={s.breakdowns[d]} filters={filters} onFilter={(dim, v) => onFilters({ project: name, [dim]: v })} />
                ))}
              </div>
            </>
          );
        }}
      </Show>
    </>
  );
}
