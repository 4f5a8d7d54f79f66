import { useContext } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { FilterChips, RangePicker, rangeLabel, useStats, type StatsViewProps } from './Overview';
import {
  PRICE_TABLE,
  aiRows,
  breakdownRows,
  costByModel,
  costOf,
  formatCount,
  formatDuration,
  formatUsd,
  normalizeStats,
  statsQuery,
  toolName,
  type AiRow,
  type AiTotals,
} from './shape';
import { Empty, Show, UserTimeZone, useAsync } from './ui';

/** The four token counts, in the order the cards and the tables show them. */
const TOKEN_COUNTS: { key: keyof AiTotals; label: string; testId: string }[] = [
  { key: 'tokens_in', label: 'Tokens in', testId: 'tokens-in' },
  { key: 'tokens_out', label: 'Tokens out', testId: 'tokens-out' },
  { key: 'cache_read_tokens', label: 'Cache read', testId: 'cache-read' },
  { key: 'cache_creation_tokens', label: 'Cache creation', testId: 'cache-creation' },
];

// The daily table and the by-tool and by-model tables show the same counts per row; cost where known.
export function TokensTable({
  first,
  rows,
  testId,
  cost,
}: {
  first: string;
  rows: AiRow[];
  testId?: string;
  cost?: (r: AiRow) => number | undefined;
}) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={`AI usage by ${first.toLowerCase()}`}>
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            {TOKEN_COUNTS.map((c) => (
              <th key={c.key} scope="col" className="num">
                {c.label}
              </th>
            ))}
            <th scope="col" className="num">
              Prompts
            </th>
            {cost && (
              <th scope="col" className="num">
                Est. cost
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const usd = cost?.(r);
            return (
              <tr key={r.name} data-name={r.name}>
                <th scope="row">{r.name}</th>
                {TOKEN_COUNTS.map((c) => (
                  <td key={c.key} className="num">
                    {formatCount(r[c.key])}
                  </td>
                ))}
                <td className="num">{formatCount(r.prompts)}</td>
                {cost && (
                  <td className="num" data-usd={usd ?? ''}>
                    {usd === undefined ? 'no price' : formatUsd(usd)}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Cost per tool or per project: the server splits tokens by model only for the whole selection, so each
 * row is the by-model split of one more stats read filtered by that name (at most `limit` rows).
 */
function CostBy({
  api,
  range,
  filters,
  dim,
  names,
  title,
}: StatsViewProps & { dim: 'tool' | 'project'; names: string[]; title: string }) {
  const zone = useContext(UserTimeZone) ?? undefined;
  const key = `${dim} ${names.join('|')} ${statsQuery(range, filters, zone)}`;
  const [state, reload] = useAsync(
    () =>
      Promise.all(
        names.map(async (n) => {
          const s = normalizeStats(await api.get(`/api/stats?${statsQuery(range, { ...filters, [dim]: n }, zone)}`));
          return {
            name: n,
            ...costByModel(s.ai.by_model),
            tokens: s.ai.tokens_in + s.ai.tokens_out + s.ai.cache_read_tokens + s.ai.cache_creation_tokens,
          };
        }),
      ),
    key,
  );
  const id = `cost-${dim}-h`;
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <Show state={state} what="costs" retry={reload}>
        {(rows) => {
          const used = rows.filter((r) => r.tokens > 0).sort((a, b) => b.usd - a.usd || a.name.localeCompare(b.name));
          return used.length === 0 ? (
            <Empty>No tokens recorded.</Empty>
          ) : (
            <table data-testid={`cost-by-${dim}`}>
              <thead>
                <tr>
                  <th scope="col">{dim === 'tool' ? 'Tool' : 'Project'}</th>
                  <th scope="col" className="num">
                    Est. cost
                  </th>
                </tr>
              </thead>
              <tbody>
                {used.map((r) => (
                  <tr key={r.name} data-name={r.name}>
                    <th scope="row">{dim === 'tool' ? toolName(r.name) : r.name}</th>
                    <td className="num" data-usd={r.usd}>
                      {formatUsd(r.usd)}
                      {r.unpriced.length > 0 && <span className="muted"> + unpriced {r.unpriced.join(', ')}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Show>
    </section>
  );
}

function AiTable({
  title,
  rows,
  id,
  cost,
  testId,
}: {
  title: string;
  rows: AiRow[];
  id: string;
  cost?: (r: AiRow) => number | undefined;
  testId?: string;
}) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <Empty>Nothing recorded.</Empty>
      ) : (
        <TokensTable first="Name" rows={rows} cost={cost} testId={testId} />
      )}
    </section>
  );
}

export function AiUsage(props: StatsViewProps) {
  const { api, range, filters, onRange, onFilters } = props;
  const [stats, reload] = useStats(api, range, filters);
  return (
    <>
      <h1 className="view-title">AI usage</h1>
      <RangePicker range={range} onChange={onRange} />
      <FilterChips filters={filters} onChange={onFilters} />
      <Show state={stats} what="AI usage" retry={reload}>
        {(s) => {
          const ai = s.ai;
          if (
            ai.tokens_in +
              ai.tokens_out +
              ai.cache_read_tokens +
              ai.cache_creation_tokens +
              ai.prompts +
              ai.ai_line_changes ===
            0
          ) {
            return (
              <Empty>
                <p>
                  <strong>No AI usage for {rangeLabel(range).toLowerCase()}.</strong>
                </p>
                <p>
                  Claude Code and Codex report tokens and prompts once their DevTime hooks are installed (see API keys
                  and setup).
                </p>
              </Empty>
            );
          }
          const days = ai.by_day.map((d) => ({ ...d, label: d.date.slice(5) }));
          const cost = costByModel(ai.by_model);
          const aiSeconds = s.breakdowns.category['ai coding'] ?? 0;
          const aiTools = Object.keys(ai.by_tool);
          const projects = breakdownRows(s.breakdowns.project)
            .slice(0, 8)
            .map((r) => r.name);
          return (
            <>
              <dl className="cards">
                {TOKEN_COUNTS.map((c) => (
                  <div key={c.key} className="card">
                    <dt>{c.label}</dt>
                    <dd data-testid={c.testId}>{formatCount(ai[c.key])}</dd>
                  </div>
                ))}
                <div className="card">
                  <dt>Estimated API cost</dt>
                  <dd data-testid="cost" data-usd={cost.usd}>
                    {formatUsd(cost.usd)}
                  </dd>
                  <dd className="card-note">
                    {cost.unpriced.length > 0 ? `without ${cost.unpriced.join(', ')} (no price); ` : ''}prices of{' '}
                    {PRICE_TABLE.as_of}
                  </dd>
                </div>
                <div className="card">
                  <dt>AI time / human time</dt>
                  <dd data-testid="ai-time" data-seconds={aiSeconds}>
                    {formatDuration(aiSeconds)} / {formatDuration(s.total_seconds - aiSeconds)}
                  </dd>
                </div>
                <div className="card">
                  <dt>Prompts</dt>
                  <dd data-testid="prompts">{formatCount(ai.prompts)}</dd>
                </div>
                <div className="card">
                  <dt>Lines changed, AI / human</dt>
                  <dd data-testid="line-changes">
                    {formatCount(ai.ai_line_changes)} / {formatCount(ai.human_line_changes)}
                  </dd>
                </div>
              </dl>
              <section className="panel" aria-labelledby="ai-day-h">
                <h2 id="ai-day-h">By day</h2>
                <div className="chart" aria-hidden="true">
                  <ResponsiveContainer width="100%" height={220}>
                    <BarChart accessibilityLayer={false} data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                      <CartesianGrid strokeDasharray="3 3" vertical={false} />
                      <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
                      <YAxis
                        tick={{ fontSize: 12 }}
                        tickFormatter={(v: number) => new Intl.NumberFormat('en', { notation: 'compact' }).format(v)}
                      />
                      <Tooltip formatter={(v) => formatCount(Number(v))} />
                      <Legend />
                      <Bar isAnimationActive={false} dataKey="tokens_in" name="Tokens in" stackId="t" fill="#3d6ee0" />
                      <Bar
                        isAnimationActive={false}
                        dataKey="tokens_out"
                        name="Tokens out"
                        stackId="t"
                        fill="#e0873d"
                      />
                      <Bar
                        isAnimationActive={false}
                        dataKey="cache_read_tokens"
                        name="Cache read"
                        stackId="t"
                        fill="#2e9e6a"
                      />
                      <Bar
                        isAnimationActive={false}
                        dataKey="cache_creation_tokens"
                        name="Cache creation"
                        stackId="t"
                        fill="#b5489a"
                      />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
                <details className="day-list">
                  <summary>Daily AI usage as a table</summary>
                  <TokensTable first="Day" rows={ai.by_day.map((d) => ({ ...d, name: d.date }))} testId="ai-days" />
                </details>
              </section>
              <AiTable id="ai-tool-h" title="By tool" rows={aiRows(ai.by_tool, toolName)} />
              <AiTable
                id="ai-model-h"
                title="By model"
                rows={aiRows(ai.by_model)}
                cost={(r) => costOf(r.name, r)}
                testId="ai-models"
              />
              <div className="grid">
                <CostBy {...props} dim="tool" names={aiTools} title="Estimated cost by tool" />
                <CostBy
                  {...props}
                  dim="project"
                  names={projects}
                  title="Estimated cost by project (the 8 with most time)"
                />
              </div>
            </>
          );
        }}
      </Show>
    </>
  );
}
