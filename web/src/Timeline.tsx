import type { Api } from './api';
import { formatClock, formatDuration, normalizeSessions, normalizeStats, timelineLanes, toolName } from './shape';
import { projectHref } from './Overview';
import { Empty, Show, useAsync } from './ui';

function shiftDay(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const TICKS = [0, 3, 6, 9, 12, 15, 18, 21, 24];

export function Timeline({ api, date, onDate }: { api: Api; date: string; onDate: (d: string) => void }) {
  const [state, reload] = useAsync(async () => {
    // The one-day stats give the user's time zone (to place sessions) and the day's total.
    const [sessions, stats] = await Promise.all([
      api.get(`/api/sessions?date=${date}`),
      api.get(`/api/stats?start=${date}&end=${date}`),
    ]);
    return { sessions: normalizeSessions(sessions), stats: normalizeStats(stats) };
  }, date);

  return (
    <>
      <h1 className="view-title">Timeline</h1>
      <div className="day-nav" role="group" aria-label="Day">
        <button type="button" onClick={() => onDate(shiftDay(date, -1))} aria-label="Previous day">
          ‹ <span className="wide-only">Previous</span>
        </button>
        <label>
          <span className="sr-only">Date</span>
          <input type="date" value={date} onChange={(e) => e.target.value && onDate(e.target.value)} />
        </label>
        <button type="button" onClick={() => onDate(shiftDay(date, 1))} aria-label="Next day">
          <span className="wide-only">Next</span> ›
        </button>
      </div>
      <Show state={state} what="sessions" retry={reload}>
        {({ sessions, stats }) => {
          const tz = stats.range.timezone;
          const lanes = timelineLanes(sessions, date, tz);
          const ofDay = sessions.filter((s) => s.date === date).sort((a, b) => a.start_time - b.start_time);
          const sessionSeconds = ofDay.reduce((a, s) => a + s.duration, 0);
          return (
            <>
              <p className="range-note">
                {date} ({tz}):{' '}
                <span data-testid="day-total" data-seconds={stats.total_seconds}>
                  {formatDuration(stats.total_seconds)}
                </span>{' '}
                in {ofDay.length} {ofDay.length === 1 ? 'session' : 'sessions'} totalling{' '}
                <span data-testid="session-total" data-seconds={sessionSeconds}>
                  {formatDuration(sessionSeconds)}
                </span>
              </p>
              <section className="panel" aria-labelledby="lanes-h">
                <h2 id="lanes-h">Sessions by tool</h2>
                <p className="hint" data-testid="totals-note">
                  Why the sessions add up to a different time than the day: a session is one tool on one project, from
                  its first heartbeat to its last, and it ends after a pause longer than your timeout. The day's total
                  follows WakaTime's rule: one timeline across every tool, where each gap up to the timeout counts once,
                  for the heartbeat before it. Sessions that overlap (an editor and an AI tool at once) count twice in
                  the sessions' sum but once in the day, and the moments of switching tool or project count in the day
                  but in no session.
                </p>
                <div className="timeline" data-testid="timeline">
                  {lanes.map((lane) => (
                    <div className="lane" key={lane.tool} data-tool={lane.tool}>
                      <div className="lane-name">
                        {lane.name}
                        <span className="lane-total">{lane.seconds > 0 ? formatDuration(lane.seconds) : ''}</span>
                      </div>
                      <ul className="lane-track" aria-label={`${lane.name} sessions`}>
                        {lane.blocks.map((b) => (
                          <li
                            key={b.session.id || b.session.start_time}
                            className={`block tool-${lane.tool.replace(/[^a-z0-9-]/g, '-')}`}
                            style={{ left: `${b.left}%`, width: `${b.width}%` }}
                            title={b.label}
                          >
                            <span className="sr-only">{b.label}</span>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
                  <div className="lane ticks" aria-hidden="true">
                    <div className="lane-name" />
                    <div className="lane-track">
                      {TICKS.map((h) => (
                        <span key={h} className="tick" style={{ left: `${(h / 24) * 100}%` }}>
                          {h}:00
                        </span>
                      ))}
                    </div>
                  </div>
                </div>
              </section>
              {ofDay.length === 0 ? (
                <Empty>No sessions on {date}.</Empty>
              ) : (
                <section className="panel" aria-labelledby="sess-h">
                  <h2 id="sess-h">Sessions</h2>
                  <div className="table-scroll">
                    <table data-testid="sessions">
                      <thead>
                        <tr>
                          <th scope="col">Time</th>
                          <th scope="col">Tool</th>
                          <th scope="col">Project</th>
                          <th scope="col" className="num">
                            Duration
                          </th>
                          <th scope="col" className="num wide-col">
                            Heartbeats
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {ofDay.map((s) => (
                          <tr key={s.id || s.start_time}>
                            <td className="nowrap">
                              {formatClock(s.start_time, tz)}–{formatClock(s.end_time, tz)}
                            </td>
                            <td>{toolName(s.tool)}</td>
                            <td>{s.project ? <a href={projectHref(s.project)}>{s.project}</a> : '–'}</td>
                            <td className="num" data-seconds={s.duration}>
                              {formatDuration(s.duration)}
                            </td>
                            <td className="num wide-col">{s.heartbeat_count}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </section>
              )}
            </>
          );
        }}
      </Show>
    </>
  );
}
