// Leaderboards over the last 7 days: the instance's public board (users who turned on public sharing) and a
// team's board, both in WakaTime's leaders shape, a page of rows at a time, with a language filter.
import { useState, type ReactNode } from 'react';
import type { Api } from './api';
import { formatDuration } from './shape';
import { leadersQuery, parseLeaders, type Leaders } from './teams';
import { Empty, Show, useAsync } from './ui';

/** One board: the language filter, the table of the page shown, the caller's rank and the pager. */
export function LeaderBoard({
  api,
  path,
  id,
  title,
  who,
  languages,
  hint,
}: {
  api: Api;
  /** The board's route, without a query string. */
  path: string;
  /** Prefix of the element ids, unique on the page. */
  id: string;
  title: string;
  /** What a row is, for the table's column and the caller's line ("member", "developer"). */
  who: string;
  /** The languages to filter by; the board's own are added as pages arrive. */
  languages?: string[];
  hint: ReactNode;
}) {
  const [language, setLanguage] = useState('');
  const [page, setPage] = useState(1);
  const [seen, setSeen] = useState<string[]>([]);
  const url = path + leadersQuery(language, page);
  const [state, reload] = useAsync(async () => {
    const board = parseLeaders(await api.get(url));
    const names = board.leaders.flatMap((l) => l.languages.map((x) => x.name));
    setSeen((old) => (names.every((n) => old.includes(n)) ? old : [...new Set([...old, ...names])]));
    return board;
  }, url);
  const options = [...new Set([...(languages ?? []), ...seen, ...(language ? [language] : [])])].sort();
  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid={id}>
      <div className="panel-head">
        <h2 id={`${id}-h`}>{title}</h2>
        <label>
          Language{' '}
          <select
            value={language}
            onChange={(e) => {
              setLanguage(e.target.value);
              setPage(1);
            }}
          >
            <option value="">All languages</option>
            {options.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="hint">{hint}</p>
      <Show state={state} what="the leaderboard" retry={reload}>
        {(board) => (
          <>
            <Standing board={board} onPage={setPage} />
            {board.leaders.length === 0 ? (
              <Empty>Nobody on the board{board.language ? ` for ${board.language}` : ''} yet.</Empty>
            ) : (
              <BoardTable board={board} who={who} />
            )}
            {board.totalPages > 1 && <Pager board={board} onPage={setPage} id={id} />}
          </>
        )}
      </Show>
    </section>
  );
}

/** The caller's rank, with a way to the page that lists it. */
function Standing({ board, onPage }: { board: Leaders; onPage: (p: number) => void }) {
  const c = board.current;
  return (
    <p data-testid="my-rank">
      {c ? (
        <>
          You are <strong>#{c.rank}</strong>
          {board.language ? ` in ${board.language}` : ''}.{' '}
          {c.page !== board.page && (
            <button type="button" className="link" onClick={() => onPage(c.page)}>
              Show my rank (page {c.page})
            </button>
          )}
        </>
      ) : (
        `You are not on this board${board.language ? ` for ${board.language}` : ''}.`
      )}
    </p>
  );
}

function BoardTable({ board, who }: { board: Leaders; who: string }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Leaderboard">
      <table data-testid="leaders">
        <caption className="sr-only">
          {board.range.text}, {board.range.start} to {board.range.end}
          {board.language ? `, ${board.language}` : ''}, page {board.page} of {board.totalPages}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Rank
            </th>
            <th scope="col">{who[0].toUpperCase() + who.slice(1)}</th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col" className="num">
              Daily average
            </th>
            <th scope="col" className="wide-col">
              Languages
            </th>
          </tr>
        </thead>
        <tbody>
          {board.leaders.map((l) => {
            const mine = board.current?.user === l.user;
            return (
              <tr key={l.user} data-user={l.user} aria-current={mine ? 'true' : undefined}>
                <td className="num">{l.rank}</td>
                <th scope="row">
                  {l.name}
                  {mine && ' (you)'}
                </th>
                <td className="num" data-seconds={l.seconds}>
                  {formatDuration(l.seconds)}
                </td>
                <td className="num">{formatDuration(l.dailyAverage)}</td>
                <td className="wide-col">
                  {[...l.languages]
                    .sort((a, b) => b.seconds - a.seconds)
                    .slice(0, 3)
                    .map((x) => `${x.name} ${formatDuration(x.seconds)}`)
                    .join(', ')}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Pager({ board, onPage, id }: { board: Leaders; onPage: (p: number) => void; id: string }) {
  return (
    <nav className="pager" aria-label="Leaderboard pages" data-testid={`${id}-pager`}>
      <button type="button" disabled={board.page <= 1} onClick={() => onPage(board.page - 1)}>
        Previous page
      </button>
      <span aria-live="polite">
        Page {board.page} of {board.totalPages}
      </span>
      <button type="button" disabled={board.page >= board.totalPages} onClick={() => onPage(board.page + 1)}>
        Next page
      </button>
    </nav>
  );
}

/** The instance's public leaderboard. */
export function PublicLeaders({ api }: { api: Api }) {
  return (
    <>
      <h1 className="view-title">Leaderboard</h1>
      <LeaderBoard
        api={api}
        path="/api/v1/leaders"
        id="public-leaders"
        title="Everyone sharing publicly, last 7 days"
        who="developer"
        hint={
          <>
            Only users who turned on public sharing appear here, with their total and languages. To appear, or to leave
            the board, use the sharing switch in <a href="#/settings">Settings</a> (Sharing).
          </>
        }
      />
    </>
  );
}
