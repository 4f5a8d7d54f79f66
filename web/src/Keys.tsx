import { useState } from 'react';
import type { Api } from './api';
import { parseCreatedKey, parseKeys, type ApiKeyInfo } from './account';
import { setupSnippets } from './setup';
import { CopyButton, Empty, ErrorBox, Show, useAsync } from './ui';

function KeyRow({ k, api, onChanged }: { k: ApiKeyInfo; api: Api; onChanged: () => void }) {
  const [mode, setMode] = useState<'view' | 'rename' | 'revoke'>('view');
  const [label, setLabel] = useState(k.label);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
      setMode('view');
      onChanged();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const name = k.label || k.id;
  return (
    <tr data-key-id={k.id}>
      <th scope="row">
        {mode === 'rename' ? (
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => api.send('PATCH', `/api/keys/${encodeURIComponent(k.id)}`, { label }));
            }}
          >
            <label>
              <span className="sr-only">New label for {name}</span>
              <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={100} autoFocus />
            </label>
            <button type="submit" disabled={busy}>
              Save
            </button>
            <button type="button" onClick={() => setMode('view')}>
              Cancel
            </button>
          </form>
        ) : (
          <>
            {k.label || <em>no label</em>}
            {k.readOnly && <span className="badge">read-only</span>}
          </>
        )}
        {error && <ErrorBox error={error} />}
      </th>
      <td className="wide-col">{k.createdAt || '–'}</td>
      <td>{k.lastUsedAt || 'never'}</td>
      <td className="actions">
        {mode === 'revoke' ? (
          <span role="group" aria-label={`Confirm revoking ${name}`}>
            <span className="warn">Revoke? Plugins using it stop sending.</span>{' '}
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void run(() => api.send('DELETE', `/api/keys/${encodeURIComponent(k.id)}`))}
            >
              Yes, revoke
            </button>{' '}
            <button type="button" onClick={() => setMode('view')}>
              Cancel
            </button>
          </span>
        ) : (
          mode === 'view' && (
            <>
              <button type="button" onClick={() => setMode('rename')} aria-label={`Rename ${name}`}>
                Rename
              </button>{' '}
              <button type="button" className="danger" onClick={() => setMode('revoke')} aria-label={`Revoke ${name}`}>
                Revoke
              </button>
            </>
          )
        )}
      </td>
    </tr>
  );
}

/** `manage` is false when signed in with an API key: the key routes need an OIDC sign-in. */
export function Keys({ api, apiBase, manage }: { api: Api; apiBase: string; manage: boolean }) {
  const [keys, reload] = useAsync(async () => (manage ? parseKeys(await api.get('/api/keys')) : []), `keys-${manage}`);
  const [label, setLabel] = useState('');
  const [readOnly, setReadOnly] = useState(false);
  const [created, setCreated] = useState<{ key: string; label: string } | null>(null);
  const [createError, setCreateError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    setCreateError(null);
    try {
      const res = await api.send('POST', '/api/auth/token', { label: label.trim(), read_only: readOnly });
      const k = parseCreatedKey(res);
      setCreated({ key: k.key, label: label.trim() });
      setLabel('');
      setReadOnly(false);
      reload();
    } catch (e) {
      setCreateError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 className="view-title">API keys and setup</h1>
      {manage ? (
        <>
          <section className="panel" aria-labelledby="new-key-h">
            <h2 id="new-key-h">Create a key</h2>
            <p className="hint">One key per machine or tool makes it easy to revoke just one. The key is shown once.</p>
            <form
              className="inline"
              onSubmit={(e) => {
                e.preventDefault();
                void create();
              }}
            >
              <label>
                Label{' '}
                <input
                  name="label"
                  value={label}
                  onChange={(e) => setLabel(e.target.value)}
                  placeholder="laptop, VS Code"
                  maxLength={100}
                />
              </label>
              <label className="check">
                <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} />
                <span>Read-only (reads stats, cannot send heartbeats)</span>
              </label>
              <button type="submit" disabled={busy}>
                Create key
              </button>
            </form>
            {createError && <ErrorBox error={createError} />}
            {created && (
              <div className="new-key" role="status" aria-live="polite">
                <p>
                  <strong>New key{created.label ? ` "${created.label}"` : ''}.</strong> Copy it now: it is not shown
                  again. The setup snippets below now contain it.
                </p>
                <code data-testid="new-key">{created.key}</code>{' '}
                <CopyButton text={created.key} label="Copy the new API key" />
              </div>
            )}
          </section>
          <section className="panel" aria-labelledby="keys-h">
            <h2 id="keys-h">Your keys</h2>
            <Show state={keys} what="keys" retry={reload}>
              {(list) =>
                list.length === 0 ? (
                  <Empty>No keys yet. Create one above.</Empty>
                ) : (
                  <div className="table-scroll">
                    <table data-testid="keys">
                      <thead>
                        <tr>
                          <th scope="col">Label</th>
                          <th scope="col" className="wide-col">
                            Created
                          </th>
                          <th scope="col">Last used</th>
                          <th scope="col">
                            <span className="sr-only">Actions</span>
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {list.map((k) => (
                          <KeyRow key={k.id} k={k} api={api} onChanged={reload} />
                        ))}
                      </tbody>
                    </table>
                    <p className="hint">
                      A key's use is recorded at most once an hour, so "Last used" is the hour it fell in.
                    </p>
                  </div>
                )
              }
            </Show>
          </section>
        </>
      ) : (
        <Empty>
          Creating and revoking keys needs a sign-in; this server has no sign-in configured. Use the key you signed in
          with below.
        </Empty>
      )}
      <section className="panel" aria-labelledby="setup-h">
        <h2 id="setup-h">Connect your tools</h2>
        <p className="hint">
          Server: <code>{apiBase}</code>
        </p>
        <div className="snippets">
          {setupSnippets(apiBase, created?.key).map((s) => (
            <article key={s.id} className="snippet" data-snippet={s.id} aria-labelledby={`snip-${s.id}`}>
              <h3 id={`snip-${s.id}`}>{s.title}</h3>
              <p>{s.intro}</p>
              {s.file && (
                <p className="file">
                  <code>{s.file}</code>
                </p>
              )}
              <pre tabIndex={0} aria-label={`${s.title} snippet`}>
                <code>{s.code}</code>
              </pre>
              <CopyButton text={s.code} label={`Copy the ${s.title} snippet`} />
            </article>
          ))}
        </div>
      </section>
    </>
  );
}
