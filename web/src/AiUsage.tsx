import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { FilterChips, RangePicker, rangeLabel, useStats, type StatsViewProps } from './Overview';
import { aiRows, formatCount, toolName, type AiRow } from './shape';
import { Empty, Show } from './ui';

// The daily table and the by-tool and by-model tables show the same three counts per row.
function TokensTable({ first, rows, testId }: { first: string; rows: AiRow[]; testId?: string }) {
  return (
    <div className="table-scroll">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col" className="num">
              Tokens in
            </th>
            <th scope="col" className="num">
              Tokens out
            </th>
            <th scope="col" className="num">
              Prompts
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <th scope="row">{r.name}</th>
              <td className="num">{formatCount(r.tokens_in)}</td>
              <td className="num">{formatCount(r.tokens_out)}</td>
              <td className="num">{formatCount(r.prompts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AiTable({ title, rows, id }: { title: string; rows: AiRow[]; id: string }) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <Empty>Nothing recorded.</Empty>
      ) : (
        <TokensTable first="Name" rows={rows} />
      )}
    </section>
  );
}

export function AiUsage({ api, range, filters, onRange, onFilters }: StatsViewProps) {
  const [stats, reload] = useStats(api, range, filters);
  return (
    <>
      <h1 className="view-title">AI usage</h1>
      <RangePicker range={range} onChange={onRange} />
      <FilterChips filters={filters} onChange={onFilters} />
      <Show state={stats} what="AI usage" retry={reload}>
        {(s) => {
          const ai = s.ai;
          if (ai.tokens_in + ai.tokens_out + ai.prompts + ai.ai_line_changes === 0) {
            return (
              <Empty>
                <p>
                  <strong>No AI usage for {rangeLabel(range).toLowerCase()}.</strong>
                </p>
                <p>Claude Code and Codex report tokens and prompts once their DevTime hooks are installed (see API keys and setup).</p>
              </Empty>
            );
          }
          const days = ai.by_day.map((d) => ({ ...d, label: d.date.slice(5) }));
          return (
            <>
              <dl className="cards">
                <div className="card">
                  <dt>Tokens in</dt>
                  <dd data-testid="tokens-in">{formatCount(ai.tokens_in)}</dd>
                </div>
                <div className="card">
                  <dt>Tokens out</dt>
                  <dd data-testid="tokens-out">{formatCount(ai.tokens_out)}</dd>
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
                      <YAxis tick={{ fontSize: 12 }} tickFormatter={(v: number) => new Intl.NumberFormat('en', { notation: 'compact' }).format(v)} />
                      <Tooltip formatter={(v) => formatCount(Number(v))} />
                      <Legend />
                      <Bar isAnimationActive={false} dataKey="tokens_in" name="Tokens in" stackId="t" fill="#3d6ee0" />
                      <Bar isAnimationActive={false} dataKey="tokens_out" name="Tokens out" stackId="t" fill="#e0873d" />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
                <details className="day-list">
                  <summary>Daily AI usage as a table</summary>
                  <TokensTable first="Day" rows={ai.by_day.map((d) => ({ ...d, name: d.date }))} testId="ai-days" />
                </details>
              </section>
              <div className="grid">
                <AiTable id="ai-tool-h" title="By tool" rows={aiRows(ai.by_tool, toolName)} />
                <AiTable id="ai-model-h" title="By model" rows={aiRows(ai.by_model)} />
              </div>
            </>
          );
        }}
      </Show>
    </>
  );
}
