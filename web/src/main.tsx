import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Dashboard, SignInScreen } from './App';
import { createAuth, type Auth, type Session } from './auth';
import { loadConfig, type RuntimeConfig } from './config';
import './styles.css';

type State =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | { phase: 'signed-out'; cfg: RuntimeConfig; auth: Auth; message?: string }
  | { phase: 'signed-in'; cfg: RuntimeConfig; auth: Auth; session: Session };

async function boot(): Promise<State> {
  const cfg = await loadConfig();
  const auth = createAuth(cfg);
  const b = await auth.restore();
  return b.state === 'signed-in'
    ? { phase: 'signed-in', cfg, auth, session: b.session }
    : { phase: 'signed-out', cfg, auth, message: b.message };
}

function Root() {
  const [state, setState] = useState<State>({ phase: 'loading' });
  useEffect(() => {
    boot().then(setState, (e: Error) => setState({ phase: 'failed', message: e.message }));
  }, []);
  const onExpired = useCallback(() => {
    setState((s) => {
      if (s.phase !== 'signed-in') return s;
      void s.auth.forget();
      const message =
        s.session.kind === 'oidc' ? 'Your session expired. Sign in again.' : 'The server refused this API key.';
      return { phase: 'signed-out', cfg: s.cfg, auth: s.auth, message };
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
      return (
        <SignInScreen
          cfg={state.cfg}
          auth={state.auth}
          message={state.message}
          onSession={(session) => setState({ phase: 'signed-in', cfg: state.cfg, auth: state.auth, session })}
        />
      );
    case 'signed-in':
      return (
        <Dashboard
          cfg={state.cfg}
          session={state.session}
          onSignOut={() => void state.auth.signOut()}
          onExpired={onExpired}
        />
      );
  }
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
