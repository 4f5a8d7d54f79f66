import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { User, UserManager } from 'oidc-client-ts';
import { createApi } from './api';
import { signIn, signOut } from './auth';
import type { RuntimeConfig } from './config';
import { AiUsage } from './AiUsage';
import { Keys } from './Keys';
import { Overview } from './Overview';
import { Settings } from './Settings';
import { Timeline } from './Timeline';
import { isoDate, type Filters, type RangeSelection } from './shape';
import { apiBase } from './setup';

type Route = { view: 'overview' | 'ai' | 'keys' | 'settings' } | { view: 'timeline'; date: string };

export function parseRoute(hash: string, today: string): Route {
  const [view, arg] = hash.replace(/^#\/?/, '').split('/');
  if (view === 'timeline') return { view, date: /^\d{4}-\d{2}-\d{2}$/.test(arg ?? '') ? arg! : today };
  if (view === 'ai' || view === 'keys' || view === 'settings') return { view };
  return { view: 'overview' };
}

const NAV: { view: Route['view']; label: string }[] = [
  { view: 'overview', label: 'Overview' },
  { view: 'timeline', label: 'Timeline' },
  { view: 'ai', label: 'AI usage' },
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

export function SignInScreen({ um, message }: { um: UserManager; message?: string }) {
  const [error, setError] = useState('');
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
        <button type="button" className="primary" onClick={() => signIn(um).catch((e: Error) => setError(`Sign-in could not start: ${e.message}`))}>
          Sign in
        </button>
        {error && (
          <p className="state state-error" role="alert">
            {error}
          </p>
        )}
      </main>
    </div>
  );
}

export function Dashboard({ cfg, um, user, onExpired }: { cfg: RuntimeConfig; um: UserManager; user: User; onExpired: () => void }) {
  const hash = useHash();
  const today = isoDate(new Date());
  const route = parseRoute(hash, today);
  const [range, setRange] = useState<RangeSelection>({ kind: 'week' });
  const [filters, setFilters] = useState<Filters>({});
  const token = useRef(user.access_token);
  token.current = user.access_token;
  const api = useMemo(() => createApi(cfg.apiUrl, () => token.current, onExpired), [cfg.apiUrl, onExpired]);
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
  const who = (user.profile.email as string | undefined) ?? user.profile.preferred_username ?? user.profile.sub;

  return (
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
        <button type="button" className="link" onClick={() => void signOut(um)}>
          Sign out
        </button>
      </header>
      <nav className="tabs" aria-label="Sections">
        <ul>
          {NAV.map((n) => (
            <li key={n.view}>
              <a href={n.view === 'timeline' ? `#/timeline/${today}` : `#/${n.view}`} aria-current={route.view === n.view ? 'page' : undefined}>
                {n.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {route.view === 'overview' && (
          <Overview api={api} range={range} filters={filters} onRange={setRange} onFilters={setFilters} onDay={(d) => go(`#/timeline/${d}`)} />
        )}
        {route.view === 'timeline' && <Timeline api={api} date={route.date} onDate={(d) => go(`#/timeline/${d}`)} />}
        {route.view === 'ai' && <AiUsage api={api} range={range} filters={filters} onRange={setRange} onFilters={setFilters} />}
        {route.view === 'keys' && <Keys api={api} apiBase={apiBase(cfg.apiUrl, window.location.origin)} />}
        {route.view === 'settings' && <Settings api={api} onDeleted={() => void signOut(um)} />}
      </main>
      <footer className="foot">
        DevTime, open source and self-hosted. API: <code>{apiBase(cfg.apiUrl, window.location.origin)}</code>
      </footer>
    </div>
  );
}
