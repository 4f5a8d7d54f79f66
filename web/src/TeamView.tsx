// The team view: the team's time by day, member, project and language over a range, AI usage by member
// and model, the goals members share, and the team's leaderboard. Each member counts only as far as
// they chose to share (the server applies the choice; the page shows who shares what).
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Api } from './api';
import { TokensTable } from './AiUsage';
import { LeaderBoard } from './Leaders';
import { Breakdown, FilterChips, RangePicker, SERIES_COLORS, SeriesLegend, rangeLabel } from './Overview';
import {
  aiTableRows,
  memberDays,
  parseTeamStats,
  teamStatsQuery,
  totalsMap,
  type TeamFilters,
  type TeamStats,
} from './teams';
import {
  costOf,
  formatDuration,
  formatHm,
  formatUsd,
  hours,
  timeTicks,
  type Filters,
  type RangeSelection,
} from './shape';
import { teamError, teamHref } from './Teams';
import { Empty, Show, useAsync } from './ui';

const SHARE_NOTE = { none: 'shares nothing', totals: 'daily totals', breakdown: 'breakdown' } as const;

function TeamCards({ stats }: { stats: TeamStats }) {
  const active = stats.days.filter((d) => d.seconds > 0).length;
  const sharing = stats.members.filter((m) => m.share !== 'none').length;
  const top = [...stats.projects].sort((a, b) => b.seconds - a.seconds)[0];
  return (
    <dl className="cards">
      <div className="card">
        <dt>Team total</dt>
        <dd data-testid="team-total" data-seconds={stats.seconds}>
          {formatDuration(stats.seconds)}
        </dd>
      </div>
      <div className="card">
        <dt>Daily average</dt>
        <dd data-seconds={active > 0 ? stats.seconds / active : 0}>
          {formatDuration(active > 0 ? stats.seconds / active : 0)}
        </dd>
        <dd className="card-note">
          over {active} {active === 1 ? 'day' : 'days'} with activity (of {stats.days.length})
        </dd>
      </div>
      <div className="card">
        <dt>Members sharing</dt>
        <dd data-testid="members-sharing">
          {sharing} of {stats.members.length}
        </dd>
      </div>
      <div className="card">
        <dt>Top project</dt>
        <dd title={top?.name}>{top ? top.name : '–'}</dd>
      </div>
    </dl>
  );
}

/** The team's days, stacked by member, with the legend that hides one and the same numbers as a table. */
function TeamDaily({ stats }: { stats: TeamStats }) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const { keys, days } = memberDays(stats);
  const visible = keys.filter((k) => !hidden.has(k));
  const total = (date: string) => stats.days.find((d) => d.date === date)?.seconds ?? 0;
  const data = days.map((d) => ({ ...d, label: d.date.slice(5), seconds: total(d.date) }));
  const ticks = timeTicks(stats.days.reduce((m, d) => Math.max(m, d.seconds), 0));
  const toggle = (k: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(k)) next.add(k);
      return next;
    });
  return (
    <section className="panel" aria-labelledby="team-daily-h">
      <h2 id="team-daily-h">Daily activity by member</h2>
      {keys.length > 0 && (
        <SeriesLegend keys={keys} hidden={hidden} toggle={toggle} label="Show or hide a member" testId="team-legend" />
      )}
      <div className="chart" aria-hidden="true" data-testid="team-daily-chart">
        <ResponsiveContainer width="100%" height={240}>
          <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
            <YAxis
              tick={{ fontSize: 12 }}
              width={48}
              ticks={ticks}
              domain={[0, ticks[ticks.length - 1]]}
              tickFormatter={(v: number) => formatHm(v)}
            />
            <Tooltip formatter={(v, name) => [formatDuration(Number(v)), name === 'seconds' ? 'Team' : String(name)]} />
            {keys.length > 0 ? (
              keys.map((k, i) =>
                hidden.has(k) ? null : (
                  <Bar
                    key={k}
                    isAnimationActive={false}
                    dataKey={k}
                    stackId="day"
                    fill={SERIES_COLORS[i % SERIES_COLORS.length]}
                  />
                ),
              )
            ) : (
              <Bar isAnimationActive={false} dataKey="seconds" fill={SERIES_COLORS[0]} radius={[3, 3, 0, 0]} />
            )}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details className="day-list">
        <summary>Daily totals as a table</summary>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Team daily totals">
          <table data-testid="team-daily-table">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" className="num">
                  Team
                </th>
                {visible.map((k) => (
                  <th key={k} scope="col" className="num">
                    {k}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date} data-date={d.date}>
                  <th scope="row">{d.date}</th>
                  <td className="num" data-seconds={total(d.date)}>
                    {formatDuration(total(d.date))}
                  </td>
                  {visible.map((k) => (
                    <td key={k} className="num" data-key={k} data-seconds={d[k]}>
                      {formatDuration(Number(d[k]))}
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

function MembersPanel({ stats }: { stats: TeamStats }) {
  const rows = [...stats.members].sort((a, b) => (b.seconds ?? -1) - (a.seconds ?? -1) || a.name.localeCompare(b.name));
  const chart = rows.filter((m) => (m.seconds ?? 0) > 0).map((m) => ({ name: m.name, hours: hours(m.seconds ?? 0) }));
  const active = (m: (typeof rows)[number]) => m.days?.filter((d) => d.seconds > 0).length ?? 0;
  return (
    <section className="panel" aria-labelledby="team-members-h" data-testid="team-members">
      <h2 id="team-members-h">Members</h2>
      {chart.length > 0 && <NameBars data={chart} dataKey="hours" color={SERIES_COLORS[0]} />}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Time by member">
        <table>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Shares</th>
              <th scope="col" className="num">
                Time
              </th>
              <th scope="col" className="num">
                Daily average
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.user} data-user={m.user} data-share={m.share}>
                <th scope="row">{m.name}</th>
                <td>{SHARE_NOTE[m.share]}</td>
                {m.seconds === null ? (
                  <>
                    <td className="num muted">–</td>
                    <td className="num muted">–</td>
                  </>
                ) : (
                  <>
                    <td className="num" data-seconds={m.seconds}>
                      {formatDuration(m.seconds)}
                    </td>
                    <td className="num">{formatDuration(active(m) > 0 ? m.seconds / active(m) : 0)}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TeamAiPanels({ stats }: { stats: TeamStats }) {
  const byMember = aiTableRows(stats.ai.members);
  const byModel = aiTableRows(stats.ai.models);
  const chart = byMember.map((r) => ({
    name: r.name,
    tokens: r.tokens_in + r.tokens_out + r.cache_read_tokens + r.cache_creation_tokens,
  }));
  const cost = byModel.reduce((a, r) => a + (costOf(r.name, r) ?? 0), 0);
  return (
    <>
      <section className="panel" aria-labelledby="team-ai-member-h" data-testid="team-ai-members">
        <h2 id="team-ai-member-h">AI usage by member</h2>
        {byMember.length === 0 ? (
          <Empty>No AI usage from members who share their breakdown.</Empty>
        ) : (
          <>
            <NameBars data={chart} dataKey="tokens" color={SERIES_COLORS[1]} />
            <TokensTable first="Member" rows={byMember} />
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="team-ai-model-h" data-testid="team-ai-models">
        <h2 id="team-ai-model-h">AI usage by model</h2>
        {byModel.length === 0 ? (
          <Empty>No AI usage from members who share their breakdown.</Empty>
        ) : (
          <>
            <p className="hint">
              Estimated API cost: <span data-usd={cost}>{formatUsd(cost)}</span> (models without a price are left out).
            </p>
            <TokensTable first="Model" rows={byModel} cost={(r) => costOf(r.name, r)} />
          </>
        )}
      </section>
    </>
  );
}

function TeamGoals({ stats }: { stats: TeamStats }) {
  return (
    <section className="panel" aria-labelledby="team-goals-h" data-testid="team-goals">
      <h2 id="team-goals-h">Goals members share</h2>
      {stats.goals.every((g) => g.goals.length === 0) ? (
        <Empty>No member shares goals.</Empty>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Shared goals">
          <table>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Goal</th>
                <th scope="col" className="num">
                  Progress
                </th>
                <th scope="col" className="num">
                  Streak
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.goals.flatMap((m) =>
                m.goals.map((g) => (
                  <tr key={`${m.user} ${g.id}`} data-user={m.user} data-goal={g.id}>
                    <th scope="row">{m.name}</th>
                    <td>
                      {g.title}
                      {!g.enabled && <span className="tag"> Paused</span>}
                    </td>
                    <td className="num" data-seconds={g.actualSeconds}>
                      {formatDuration(g.actualSeconds)} of {formatDuration(g.goalSeconds)}{' '}
                      {g.delta === 'day' ? 'today' : 'this week'} ({g.percent} %)
                    </td>
                    <td className="num">
                      {g.streak}{' '}
                      {g.delta === 'day' ? (g.streak === 1 ? 'day' : 'days') : g.streak === 1 ? 'week' : 'weeks'}
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function TeamView({ api, teamId }: { api: Api; teamId: string }) {
  const [range, setRange] = useState<RangeSelection>({ kind: 'week' });
  const [filters, setFilters] = useState<TeamFilters>({});
  const q = teamStatsQuery(range, filters);
  const [state, reload] = useAsync(async () => {
    try {
      return parseTeamStats(await api.get(`/api/teams/${encodeURIComponent(teamId)}/stats?${q}`));
    } catch (e) {
      throw teamError(e as Error);
    }
  }, `${teamId} ${q}`);
  const toggle = (dim: 'project' | 'language', v: string) =>
    setFilters({ ...filters, [dim]: filters[dim] === v ? undefined : v });
  const onFilter = (dim: string, v: string) => (dim === 'project' || dim === 'language' ? toggle(dim, v) : undefined);
  return (
    <>
      <h1 className="view-title">{state.status === 'ok' ? state.data.team.name : 'Team'}</h1>
      <p className="view-links">
        <a href={teamHref(teamId, true)}>Members &amp; sharing</a> · <a href="#/teams">All teams</a>
      </p>
      <RangePicker range={range} onChange={setRange} without={['all']} />
      <FilterChips
        filters={filters as Filters}
        onChange={(f) => setFilters({ project: f.project, language: f.language })}
      />
      <Show state={state} what="the team's stats" retry={reload}>
        {(s) => (
          <>
            <p className="range-note">
              {s.range.start} to {s.range.end}
              {(filters.project || filters.language) && ': with a filter, only members who share their breakdown count'}
            </p>
            <TeamCards stats={s} />
            {s.members.every((m) => m.share === 'none') && (
              <Empty>
                Nobody in this team shares their time yet. Each member chooses under{' '}
                <a href={teamHref(teamId, true)}>Members &amp; sharing</a>.
              </Empty>
            )}
            {s.seconds === 0 && s.members.some((m) => m.share !== 'none') && (
              <Empty>No activity for {rangeLabel(range).toLowerCase()}.</Empty>
            )}
            <TeamDaily stats={s} />
            <MembersPanel stats={s} />
            <div className="grid">
              <Breakdown
                dim="project"
                map={totalsMap(s.projects)}
                filters={filters}
                onFilter={onFilter}
                projectPages={false}
              />
              <Breakdown dim="language" map={totalsMap(s.languages)} filters={filters} onFilter={onFilter} />
              <Breakdown dim="editor" map={totalsMap(s.editors)} filters={filters} />
              <Breakdown dim="category" map={totalsMap(s.categories)} filters={filters} />
            </div>
            <TeamAiPanels stats={s} />
            <TeamGoals stats={s} />
            <LeaderBoard
              api={api}
              path={`/api/teams/${encodeURIComponent(teamId)}/leaderboard`}
              id="leaderboard"
              title="Leaderboard, last 7 days"
              who="member"
              languages={s.languages.map((l) => l.name)}
              hint="Members who share at least their daily totals; by language, only those who share their breakdown."
            />
          </>
        )}
      </Show>
    </>
  );
}

/** One horizontal bar per name (a member's hours or tokens); the table beside it carries the figures. */
function NameBars({ data, dataKey, color }: { data: { name: string }[]; dataKey: string; color: string }) {
  return (
    <div className="chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={Math.max(60, data.length * 28)}>
        <BarChart
          accessibilityLayer={false}
          data={data}
          layout="vertical"
          margin={{ top: 0, right: 8, bottom: 0, left: 0 }}
        >
          <XAxis type="number" hide />
          <YAxis type="category" dataKey="name" width={110} tick={{ fontSize: 12 }} />
          <Bar isAnimationActive={false} dataKey={dataKey} fill={color} radius={[0, 3, 3, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
