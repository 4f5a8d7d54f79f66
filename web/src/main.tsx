import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { User, UserManager } from 'oidc-client-ts';
import { Dashboard, SignInScreen } from './App';
import { completeSignIn, createUserManager, isCallback } from './auth';
import { loadConfig, type RuntimeConfig } from './config';
import './styles.css';

type Boot =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | { phase: 'signed-out'; cfg: RuntimeConfig; um: UserManager; message?: string }
  | { phase: 'signed-in'; cfg: RuntimeConfig; um: UserManager; user: User };

async function boot(): Promise<Boot> {
  const cfg = await loadConfig();
  const um = createUserManager(cfg);
  if (isCallback(window.location.search)) {
    try {
      const { user, hash } = await completeSignIn(um);
      window.history.replaceState(null, '', `/${hash}`);
      return { phase: 'signed-in', cfg, um, user };
    } catch (e) {
      window.history.replaceState(null, '', '/');
      return { phase: 'signed-out', cfg, um, message: `Sign-in failed: ${(e as Error).message}` };
    }
  }
  const user = await um.getUser();
  if (user && !user.expired) return { phase: 'signed-in', cfg, um, user };
  return { phase: 'signed-out', cfg, um, message: user ? 'Your session expired. Sign in again.' : undefined };
}

function Root() {
  const [state, setState] = useState<Boot>({ phase: 'loading' });
  useEffect(() => {
    boot().then(setState, (e: Error) => setState({ phase: 'failed', message: e.message }));
  }, []);
  const onExpired = useCallback(() => {
    setState((s) => {
      if (s.phase !== 'signed-in') return s;
      void s.um.removeUser();
      return { phase: 'signed-out', cfg: s.cfg, um: s.um, message: 'Your session expired. Sign in again.' };
    });
  }, []);
  switch (state.phase) {
    case 'loading':
      return (
        <div className="signin" role="status" aria-live="polite">
          <p>
            <span className="spinner" aria-hidden="true" /> Loading DevTime…
          </p>
        </div>
      );
    case 'failed':
      return (
        <div className="signin">
          <main className="signin-card">
            <h1>DevTime</h1>
            <p className="state state-error" role="alert">
              The dashboard could not start: {state.message}
            </p>
            <button type="button" onClick={() => window.location.reload()}>
              Reload
            </button>
          </main>
        </div>
      );
    case 'signed-out':
      return <SignInScreen um={state.um} message={state.message} />;
    case 'signed-in':
      return <Dashboard cfg={state.cfg} um={state.um} user={state.user} onExpired={onExpired} />;
  }
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
