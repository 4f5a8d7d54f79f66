import type { Api } from './api';
import { formatDuration, heatLevels, monthRows, normalizeStats, statsQuery, type Filters } from './shape';
import { Show, useAsync } from './ui';

const WEEKDAYS = ['Mon', '', 'Wed', '', 'Fri', '', ''];

/**
 * The last 365 days as a heat map of days (columns are weeks, Monday on top); a day opens its timeline.
 * The map is hidden from screen readers: the table of months next to it holds the same totals and
 * links each month's best day.
 */
export function YearCalendar({ api, filters, onDay }: { api: Api; filters: Filters; onDay: (date: string) => void }) {
  const q = statsQuery({ kind: 'year' }, filters);
  const [state, reload] = useAsync(async () => normalizeStats(await api.get(`/api/stats?${q}`)), q);
  return (
    <section className="panel" aria-labelledby="year-h">
      <h2 id="year-h">Last 365 days</h2>
      <Show state={state} what="the year" retry={reload}>
        {(s) => {
          const { weeks, max } = heatLevels(s.by_day);
          const months = monthRows(s.by_day);
          return (
            <>
              <p className="hint">
                Darker days have more time (the darkest: {formatDuration(max)} or close). Select a day to open its
                timeline.
              </p>
              <div className="heatmap-scroll">
                <div className="heatmap" aria-hidden="true" data-testid="heatmap">
                  <div className="heat-week heat-labels">
                    {WEEKDAYS.map((d, i) => (
                      <span key={i} className="heat-label">
                        {d}
                      </span>
                    ))}
                  </div>
                  {weeks.map((w, i) => (
                    <div className="heat-week" key={i}>
                      {w.map((c, j) =>
                        c ? (
                          <span
                            key={c.date}
                            className={`heat-day heat-${c.level}`}
                            data-date={c.date}
                            data-seconds={c.seconds}
                            title={`${c.date}: ${formatDuration(c.seconds)}`}
                            onClick={() => onDay(c.date)}
                          />
                        ) : (
                          <span key={`e${j}`} className="heat-day heat-none" />
                        ),
                      )}
                    </div>
                  ))}
                </div>
              </div>
              <details className="day-list">
                <summary>Months as a table</summary>
                <div className="table-scroll" tabIndex={0} role="region" aria-label="Months">
                  <table data-testid="months">
                    <thead>
                      <tr>
                        <th scope="col">Month</th>
                        <th scope="col" className="num">
                          Total
                        </th>
                        <th scope="col" className="num">
                          Days with activity
                        </th>
                        <th scope="col">Best day</th>
                      </tr>
                    </thead>
                    <tbody>
                      {months.map((m) => (
                        <tr key={m.month} data-month={m.month}>
                          <th scope="row">{m.month}</th>
                          <td className="num" data-seconds={m.seconds}>
                            {formatDuration(m.seconds)}
                          </td>
                          <td className="num">{m.activeDays}</td>
                          <td>
                            {m.best ? (
                              <>
                                <a href={`#/timeline/${m.best.date}`}>{m.best.date}</a> (
                                {formatDuration(m.best.seconds)})
                              </>
                            ) : (
                              '–'
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </>
          );
        }}
      </Show>
    </section>
  );
}
