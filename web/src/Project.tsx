import { Breakdown, DailyChart, RangePicker, Summary, rangeLabel, useStats } from './Overview';
import type { Api } from './api';
import {
  formatCount,
  formatDuration,
  projectFiles,
  type Dimension,
  type Filters,
  type RangeSelection,
  type Stats,
} from './shape';
import { Empty, Show, useAsync } from './ui';

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
          if (s.total_seconds === 0)
            return (
              <Empty>
                No time on {name} for {rangeLabel(range).toLowerCase()}.
              </Empty>
            );
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
              <Files api={api} name={name} stats={s} />
              <div className="grid">
                {DIMS.map((d) => (
                  <Breakdown
                    key={d}
                    dim={d}
                    map={s.breakdowns[d]}
                    filters={filters}
                    onFilter={(dim, v) => onFilters({ project: name, [dim]: v })}
                  />
                ))}
              </div>
            </>
          );
        }}
      </Show>
    </>
  );
}

/**
 * The project's files (WakaTime's entities) with their time. Each day keeps the files with most time
 * of each project, and days stored before files were kept have none, so the files may sum to less than
 * the project's time: the panel says so.
 */
function Files({ api, name, stats }: { api: Api; name: string; stats: Stats }) {
  const q = new URLSearchParams({ start: stats.range.start, end: stats.range.end, project: name }).toString();
  const [state, reload] = useAsync(async () => projectFiles(await api.get(`/api/v1/users/current/summaries?${q}`)), q);
  return (
    <section className="panel" aria-labelledby="files-h" data-testid="files">
      <h2 id="files-h">Files</h2>
      <Show state={state} what="the files" retry={reload}>
        {(files) => {
          const sum = files.reduce((a, f) => a + f.seconds, 0);
          return (
            <>
              {files.length === 0 ? (
                <Empty>No files in this range.</Empty>
              ) : (
                <div className="table-scroll" tabIndex={0} role="region" aria-label="Files">
                  <table data-testid="files-table">
                    <thead>
                      <tr>
                        <th scope="col">File</th>
                        <th scope="col" className="num">
                          Time
                        </th>
                        <th scope="col" className="num">
                          Share
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {files.map((f) => (
                        <tr key={f.name} data-name={f.name}>
                          <th scope="row" className="file-name" title={f.name}>
                            {f.hidden ? <span className="muted">hidden name ({f.name.slice(-8)})</span> : f.name}
                          </th>
                          <td className="num" data-seconds={f.seconds}>
                            {formatDuration(f.seconds)}
                          </td>
                          <td className="num">
                            {stats.total_seconds > 0 ? ((f.seconds * 100) / stats.total_seconds).toFixed(1) : '0.0'} %
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {sum < stats.total_seconds - 1 && (
                <p className="hint" data-testid="files-note">
                  The files add up to {formatDuration(sum)} of the project's {formatDuration(stats.total_seconds)}: each
                  day keeps the 25 files with most time, and days stored before files were kept have none.
                </p>
              )}
            </>
          );
        }}
      </Show>
    </section>
  );
}
