import { useState } from 'react';
import type { Api } from './api';
import {
  parseMe,
  parseSavedSettings,
  parseSettings,
  settingsBody,
  timeZones,
  type AccountSettings,
  type SettingsForm,
} from './account';
import { CSV_TABLES, exportCsv, exportJson } from './exporter';
import { importParts, sendParts, sumCounts } from './importer';
import { isoDate } from './shape';
import { CopyButton, ErrorBox, Show, useAsync } from './ui';

function SettingsEditor({ api, original }: { api: Api; original: AccountSettings }) {
  const [form, setForm] = useState<SettingsForm>(original);
  const [excluded, setExcluded] = useState(form.excludedProjects.join('\n'));
  const [status, setStatus] = useState<'' | 'saving' | 'saved'>('');
  const [error, setError] = useState<Error | null>(null);
  const set = <K extends keyof SettingsForm>(k: K, v: SettingsForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const save = async () => {
    setStatus('saving');
    setError(null);
    const next = {
      ...form,
      excludedProjects: excluded
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
    };
    try {
      // Sharing has its own switch below, which saves at once; the body leaves it out, so a stale copy cannot undo it.
      await api.send('PUT', '/api/settings', settingsBody(next));
      setStatus('saved');
    } catch (e) {
      setStatus('');
      setError(e as Error);
    }
  };
  return (
    <form
      className="settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Time zone
        <select value={form.timezone} onChange={(e) => set('timezone', e.target.value)}>
          {[...new Set([form.timezone, ...timeZones()])].map((tz) => (
            <option key={tz}>{tz}</option>
          ))}
        </select>
        <span className="hint">Days start at midnight here; changing it recomputes your totals.</span>
      </label>
      <label>
        Timeout (minutes)
        <input
          type="number"
          min={1}
          max={120}
          value={form.timeoutMinutes}
          onChange={(e) => set('timeoutMinutes', Number(e.target.value))}
        />
        <span className="hint">Gaps between heartbeats up to this long count as activity.</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={form.hideFileNames} onChange={(e) => set('hideFileNames', e.target.checked)} />{' '}
        Hide file names (the server stores a hash instead)
      </label>
      <label>
        Excluded projects (one per line)
        <textarea rows={3} value={excluded} onChange={(e) => setExcluded(e.target.value)} />
      </label>
      <label>
        Keep raw heartbeats for (days, empty for ever)
        <input
          type="number"
          min={1}
          value={form.retentionDays ?? ''}
          onChange={(e) => set('retentionDays', e.target.value === '' ? null : Number(e.target.value))}
        />
      </label>
      <div>
        <button type="submit" disabled={status === 'saving'}>
          Save settings
        </button>{' '}
        <span role="status" aria-live="polite">
          {status === 'saved' ? 'Saved' : status === 'saving' ? 'Saving…' : ''}
        </span>
      </div>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

/** The public profile and badge switch, with the badge's Markdown and a preview of it. */
function Sharing({ api, apiBase, original }: { api: Api; apiBase: string; original: AccountSettings }) {
  const [on, setOn] = useState(original.public);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  // Cache-busting for the preview: the server lets badges be cached for 10 minutes.
  const [version, setVersion] = useState(0);
  const [me] = useAsync(async () => parseMe(await api.get('/api/me')), 'me');
  const toggle = async (next: boolean) => {
    setBusy(true);
    setError(null);
    setOn(next);
    try {
      setOn(parseSavedSettings(await api.send('PUT', '/api/settings', { public: next })).public);
      setVersion((v) => v + 1);
    } catch (e) {
      setOn(!next);
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const user = me.status === 'ok' ? me.data : '';
  const badge = `${apiBase}/api/badge/${encodeURIComponent(user)}/svg`;
  const markdown = `[![Coding time](${badge})](${apiBase}/api/v1/users/${encodeURIComponent(user)}/stats/last_7_days)`;
  return (
    <div className="sharing">
      <label className="check">
        <input type="checkbox" checked={on} disabled={busy || !user} onChange={(e) => void toggle(e.target.checked)} />{' '}
        Share my stats publicly (a badge and WakaTime-style public stats)
      </label>
      <p className="hint" role="status" aria-live="polite" data-testid="sharing-status">
        {busy
          ? 'Saving…'
          : on
            ? 'Sharing is on: anyone with the link sees your stats.'
            : 'Sharing is off: the badge and public stats answer 404.'}
      </p>
      {error && <ErrorBox error={error} />}
      {on && user && (
        <>
          <p>Markdown for a README:</p>
          <pre className="snippet" data-testid="badge-markdown">
            {markdown}
          </pre>
          <CopyButton text={markdown} label="Copy the badge Markdown" />
          <p>Preview:</p>
          <img
            className="badge-preview"
            src={`${badge}?v=${version}`}
            alt="Your coding-time badge, as others see it"
            data-testid="badge-preview"
          />
        </>
      )}
    </div>
  );
}

function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ExportImport({ api }: { api: Api }) {
  const [status, setStatus] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [table, setTable] = useState<string>(CSV_TABLES[0].id);
  const [busy, setBusy] = useState(false);
  const run = async (what: string, f: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setStatus(`${what}…`);
    try {
      setStatus(await f());
    } catch (e) {
      setStatus('');
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const progress = (what: string) => (n: number) => setStatus(`${what}… ${n} ${n === 1 ? 'page' : 'pages'} so far`);
  const cursorParam = (c: string | null) => (c ? `&cursor=${encodeURIComponent(c)}` : '');
  const exportJsonFile = () =>
    run('Exporting JSON', async () => {
      const doc = await exportJson(
        (c) => api.page(`/api/export?format=json${cursorParam(c)}`),
        progress('Exporting JSON'),
      );
      const blob = new Blob([JSON.stringify(doc)], { type: 'application/json' });
      saveBlob(blob, `devtime-export-${isoDate(new Date())}.json`);
      const n = doc.heartbeats.length;
      return `Export downloaded (JSON, ${new Intl.NumberFormat('en').format(n)} heartbeats).`;
    });
  const exportCsvFile = () =>
    run('Exporting CSV', async () => {
      const text = await exportCsv(
        (c) => api.page(`/api/export?format=csv&table=${table}${cursorParam(c)}`),
        progress('Exporting CSV'),
      );
      saveBlob(new Blob([text], { type: 'text/csv' }), `devtime-${table}-${isoDate(new Date())}.csv`);
      const rows = Math.max(0, text.split('\n').filter(Boolean).length - 1);
      return `Export downloaded (CSV ${table}, ${new Intl.NumberFormat('en').format(rows)} rows).`;
    });
  const importFile = () =>
    run(`Importing ${file?.name ?? ''}`, async () => {
      // The server takes at most 20,000 heartbeats per request: send the file in parts it accepts.
      const parts = importParts(JSON.parse(await file!.text()));
      const answers = await sendParts(
        parts,
        (part) => api.upload('/api/import', new Blob([part], { type: 'application/json' })),
        (i, wait) =>
          setStatus(
            `Importing… part ${i + 1} of ${parts.length}${wait ? ` (the server paces imports: next try in ${wait} s)` : ''}`,
          ),
      );
      const { accepted, refused } = sumCounts(answers);
      const last = answers[answers.length - 1];
      return `Import finished (accepted: ${accepted}, refused: ${refused}).${last ? ` ${last.message}` : ''}`;
    });
  return (
    <>
      <div className="button-row">
        <button type="button" disabled={busy} onClick={() => void exportJsonFile()}>
          Export JSON
        </button>
        <label>
          CSV table{' '}
          <select value={table} onChange={(e) => setTable(e.target.value)}>
            {CSV_TABLES.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy} onClick={() => void exportCsvFile()}>
          Export CSV
        </button>
      </div>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (file) void importFile();
        }}
      >
        <label>
          Import a WakaTime or DevTime JSON export{' '}
          <input type="file" accept="application/json,.json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <button type="submit" disabled={!file || busy}>
          Import
        </button>
      </form>
      <p role="status" aria-live="polite" data-testid="data-status">
        {status}
      </p>
      {error && <ErrorBox error={error} />}
    </>
  );
}

const CONFIRM_PHRASE = 'delete my account';

function DeleteAccount({ api, onDeleted }: { api: Api; onDeleted: () => void }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await api.send('DELETE', '/api/account');
          onDeleted();
        } catch (err) {
          setError(err as Error);
          setBusy(false);
        }
      }}
    >
      <p>
        Deletes every heartbeat, session, total, setting and key of your account. This cannot be undone; export first if
        you want a copy.
      </p>
      <label>
        Type <strong>{CONFIRM_PHRASE}</strong> to confirm{' '}
        <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
      </label>{' '}
      <button type="submit" className="danger" disabled={busy || typed.trim().toLowerCase() !== CONFIRM_PHRASE}>
        Delete my account
      </button>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

export function Settings({ api, apiBase, onDeleted }: { api: Api; apiBase: string; onDeleted: () => void }) {
  const [settings, reload] = useAsync(async () => parseSettings(await api.get('/api/settings')), 'settings');
  return (
    <>
      <h1 className="view-title">Settings</h1>
      <section className="panel" aria-labelledby="settings-h">
        <h2 id="settings-h">Tracking and privacy</h2>
        <Show state={settings} what="settings" retry={reload}>
          {(s) => <SettingsEditor api={api} original={s} />}
        </Show>
      </section>
      <section className="panel" aria-labelledby="sharing-h">
        <h2 id="sharing-h">Sharing</h2>
        <Show state={settings} what="sharing" retry={reload}>
          {(s) => <Sharing api={api} apiBase={apiBase} original={s} />}
        </Show>
      </section>
      <section className="panel" aria-labelledby="data-h">
        <h2 id="data-h">Your data</h2>
        <ExportImport api={api} />
      </section>
      <section className="panel danger-zone" aria-labelledby="delete-h">
        <h2 id="delete-h">Delete account</h2>
        <DeleteAccount api={api} onDeleted={onDeleted} />
      </section>
    </>
  );
}
