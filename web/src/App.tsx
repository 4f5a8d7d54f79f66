import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createApi } from './api';
import type { Auth, Session } from './auth';
import type { RuntimeConfig } from './config';
import { Overview } from './Overview';
import { isoDate, todayIn, type Filters, type RangeSelection } from './shape';
import { apiBase } from './setup';
import { Empty, Loading, UserTimeZone, useAsync } from './ui';

// The Overview is the first view; the others load when first opened, so the first chart comes sooner.
const AiUsage = lazy(() => import('./AiUsage').then((m) => ({ default: m.AiUsage })));
const Keys = lazy(() => import('./Keys').then((m) => ({ default: m.Keys })));
const Settings = lazy(() => import('./Settings').then((m) => ({ default: m.Settings })));
const Project = lazy(() => import('./Project').then((m) => ({ default: m.Project })));
const Timeline = lazy(() => import('./Timeline').then((m) => ({ default: m.Timeline })));
const TeamsList = lazy(() => import('./Teams').then((m) => ({ default: m.TeamsList })));
const TeamMembers = lazy(() => import('./Teams').then((m) => ({ default: m.TeamMembers })));
const JoinTeam = lazy(() => import('./Teams').then((m) => ({ default: m.JoinTeam })));
const TeamView = lazy(() => import('./TeamView').then((m) => ({ default: m.TeamView })));
const PublicLeaders = lazy(() => import('./Leaders').then((m) => ({ default: m.PublicLeaders })));

type Route =
  | { view: 'overview' | 'ai' | 'leaders' | 'keys' | 'settings' }
  | { view: 'timeline'; date: string }
  | { view: 'project'; name: string }
  /** The list (no team), a team's view, or its members and sharing. */
  | { view: 'teams'; team?: string; members?: boolean }
  | { view: 'join'; code: string };

export function parseRoute(hash: string, today: string): Route {
  const [view, arg, sub] = hash.replace(/^#\/?/, '').split('/');
  if (view === 'timeline') return { view, date: /^\d{4}-\d{2}-\d{2}$/.test(arg ?? '') ? arg! : today };
  try {
    if (view === 'project' && arg) return { view, name: decodeURIComponent(arg) };
    if (view === 'teams') return arg ? { view, team: decodeURIComponent(arg), members: sub === 'members' } : { view };
    if (view === 'join' && arg) return { view, code: decodeURIComponent(arg) };
  } catch {
    return { view: 'overview' };
  }
  if (view === 'ai' || view === 'leaders' || view === 'keys' || view === 'settings') return { view };
  return { view: 'overview' };
}

const NAV: { view: Route['view']; label: string }[] = [
  { view: 'overview', label: 'Overview' },
  { view: 'timeline', label: 'Timeline' },
  { view: 'ai', label: 'AI usage' },
  { view: 'teams', label: 'Teams' },
  { view: 'leaders', label: 'Leaderboard' },
  { view: 'keys', label: 'API keys & setup' },
  { view: 'settings', label: 'Settings' },
];

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export function SignInScreen({
  cfg,
  auth,
  message,
  onSession,
}: {
  cfg: RuntimeConfig;
  auth: Auth;
  message?: string;
  onSession: (s: Session) => void;
}) {
  const [error, setError] = useState('');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const useKey = async () => {
    setBusy(true);
    setError('');
    // Check the key against a read route before keeping it.
    try {
      await createApi(
        cfg.apiUrl,
        () => key.trim(),
        () => {},
      ).get('/api/stats?range=today');
      const s = await auth.signIn(key);
      if (s) onSession(s);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="signin">
      <main className="signin-card">
        <h1>
          <span className="logo" aria-hidden="true">
            ◷
          </span>{' '}
          DevTime
        </h1>
        <p>Your coding and AI-tool time, on your own server.</p>
        {message && (
          <p className="state state-error" role="alert">
            {message}
          </p>
        )}
        {auth.kind === 'oidc' ? (
          <button
            type="button"
            className="primary"
            onClick={() => auth.signIn().catch((e: Error) => setError(`Sign-in could not start: ${e.message}`))}
          >
            Sign in
          </button>
        ) : (
          <form
            className="key-signin"
            onSubmit={(e) => {
              e.preventDefault();
              void useKey();
            }}
          >
            <p className="hint">
              This server has no sign-in configured. Enter your API key (the one in <code>~/.wakatime.cfg</code> or
              printed by <code>devtime-local</code>) to see your stats. Key management needs a sign-in.
            </p>
            <label>
              API key{' '}
              <input
                type="password"
                value={key}
                onChange={(e) => setKey(e.target.value)}
                autoComplete="off"
                required
                spellCheck={false}
              />
            </label>
            <button type="submit" className="primary" disabled={busy || key.trim() === ''}>
              Open dashboard
            </button>
          </form>
        )}
        {error && (
          <p className="state state-error" role="alert">
            {error}
          </p>
        )}
      </main>
    </div>
  );
}

export function Dashboard({
  cfg,
  session,
  onSignOut,
  onExpired,
}: {
  cfg: RuntimeConfig;
  session: Session;
  onSignOut: () => void;
  onExpired: () => void;
}) {
  const hash = useHash();
  const [range, setRange] = useState<RangeSelection>({ kind: 'week' });
  const [filters, setFilters] = useState<Filters>({});
  const api = useMemo(
    () => createApi(cfg.apiUrl, session.token, onExpired, { renew: session.renew }),
    [cfg.apiUrl, session, onExpired],
  );
  // Days are the user's, in the time zone of their settings; the browser's date stands in only until it is known.
  const [user] = useAsync(async () => {
    const zone = ((await api.get('/api/v1/users/current')) as { data?: { timezone?: unknown } }).data?.timezone;
    if (typeof zone !== 'string' || zone === '') throw new Error('the server named no time zone');
    return zone;
  }, 'user');
  // Should the server not say, the browser's zone is the best guess left.
  const zone =
    user.status === 'ok'
      ? user.data
      : user.status === 'error'
        ? Intl.DateTimeFormat().resolvedOptions().timeZone
        : null;
  const today = zone ? todayIn(zone) : isoDate(new Date());
  const route = parseRoute(hash, today);
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  // Move focus to the new view so screen readers announce it (not on the first render).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [route.view]);

  const go = useCallback((h: string) => {
    window.location.hash = h;
  }, []);
  const who = session.who;

  return (
    <UserTimeZone.Provider value={zone}>
      <div className="app">
        <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
          Skip to content
        </a>
        <header className="top">
          <a className="brand" href="#/overview">
            <span className="logo" aria-hidden="true">
              ◷
            </span>{' '}
            DevTime
          </a>
          <span className="who" title={who}>
            {who}
          </span>
          <button type="button" className="link" onClick={onSignOut}>
            Sign out
          </button>
        </header>
        <nav className="tabs" aria-label="Sections">
          <ul>
            {NAV.map((n) => (
              <li key={n.view}>
                <a
                  href={n.view === 'timeline' ? `#/timeline/${today}` : `#/${n.view}`}
                  aria-current={route.view === n.view ? 'page' : undefined}
                >
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1}>
          <Suspense fallback={<Loading what="the view" />}>
            {route.view === 'overview' && (
              <Overview
                api={api}
                range={range}
                filters={filters}
                onRange={setRange}
                onFilters={setFilters}
                onDay={(d) => go(`#/timeline/${d}`)}
              />
            )}
            {route.view === 'timeline' && (
              <Timeline api={api} date={route.date} onDate={(d) => go(`#/timeline/${d}`)} />
            )}
            {route.view === 'project' && (
              <Project
                api={api}
                name={route.name}
                range={range}
                onRange={setRange}
                onFilters={(f) => (setFilters(f), go('#/overview'))}
                onDay={(d) => go(`#/timeline/${d}`)}
              />
            )}
            {route.view === 'ai' && (
              <AiUsage api={api} range={range} filters={filters} onRange={setRange} onFilters={setFilters} />
            )}
            {(route.view === 'teams' || route.view === 'join') &&
              (session.kind !== 'oidc' ? (
                <>
                  <h1 className="view-title">Teams</h1>
                  <Empty>Teams need a sign-in; this server has no sign-in configured.</Empty>
                </>
              ) : route.view === 'join' ? (
                <JoinTeam api={api} code={route.code} />
              ) : !route.team ? (
                <TeamsList api={api} go={go} />
              ) : route.members ? (
                <TeamMembers key={route.team} api={api} teamId={route.team} go={go} />
              ) : (
                <TeamView key={route.team} api={api} teamId={route.team} />
              ))}
            {route.view === 'leaders' && <PublicLeaders api={api} />}
            {route.view === 'keys' && (
              <Keys api={api} apiBase={apiBase(cfg.apiUrl, window.location.origin)} manage={session.kind === 'oidc'} />
            )}
            {route.view === 'settings' &&
              (session.kind === 'oidc' ? (
                <Settings api={api} apiBase={apiBase(cfg.apiUrl, window.location.origin)} onDeleted={onSignOut} />
              ) : (
                <>
                  <h1 className="view-title">Settings</h1>
                  <Empty>
                    Settings, export, import and account deletion need a sign-in; this server has no sign-in configured.
                  </Empty>
                </>
              ))}
          </Suspense>
        </main>
        <footer className="foot">
          DevTime, open source and self-hosted. API: <code>{apiBase(cfg.apiUrl, window.location.origin)}</code>
        </footer>
      </div>
    </UserTimeZone.Provider>
  );
}
