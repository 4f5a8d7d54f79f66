import { useState } from 'react';
import type { Api } from './api';
import { WEEKDAYS, emptyForm, formOf, goalBody, parseGoals, toggledBody, type Goal, type GoalForm } from './goals';
import { formatDuration } from './shape';
import { Empty, Show, useAsync } from './ui';

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function GoalEditor({
  initial,
  onSave,
  onCancel,
}: {
  initial: GoalForm;
  onSave: (f: GoalForm) => Promise<void>;
  onCancel: () => void;
}) {
  const [f, setF] = useState(initial);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<GoalForm>) => setF({ ...f, ...patch });
  return (
    <form
      className="goal-form"
      aria-label="Goal"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError('');
        try {
          await onSave(f);
        } catch (err) {
          setError((err as Error).message);
          setBusy(false);
        }
      }}
    >
      <label>
        Title (optional) <input value={f.title} maxLength={200} onChange={(e) => set({ title: e.target.value })} />
      </label>
      <label>
        Period{' '}
        <select value={f.delta} onChange={(e) => set({ delta: e.target.value === 'week' ? 'week' : 'day' })}>
          <option value="day">Every day</option>
          <option value="week">Every week</option>
        </select>
      </label>
      <label>
        Hours{' '}
        <input
          type="number"
          min={0}
          max={f.delta === 'day' ? 24 : 168}
          value={f.hours}
          onChange={(e) => set({ hours: Number(e.target.value) })}
        />
      </label>
      <label>
        Minutes{' '}
        <input
          type="number"
          min={0}
          max={59}
          value={f.minutes}
          onChange={(e) => set({ minutes: Number(e.target.value) })}
        />
      </label>
      <label>
        Only projects (comma-separated) <input value={f.projects} onChange={(e) => set({ projects: e.target.value })} />
      </label>
      <label>
        Only languages (comma-separated){' '}
        <input value={f.languages} onChange={(e) => set({ languages: e.target.value })} />
      </label>
      {f.delta === 'day' && (
        <fieldset>
          <legend>Skip these days</legend>
          {WEEKDAYS.map((d) => (
            <label key={d} className="inline">
              <input
                type="checkbox"
                checked={f.ignoreDays.includes(d)}
                onChange={(e) =>
                  set({ ignoreDays: e.target.checked ? [...f.ignoreDays, d] : f.ignoreDays.filter((x) => x !== d) })
                }
              />{' '}
              {capital(d)}
            </label>
          ))}
        </fieldset>
      )}
      <div className="goal-actions">
        <button type="submit" disabled={busy}>
          Save goal
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="state state-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/**
 * The Overview's goals: each goal's running day or week against its target, the streak of periods
 * met, and create, edit, pause and delete (docs/api.md, /api/goals).
 */
export function Goals({ api }: { api: Api }) {
  const [state, reload] = useAsync(async () => parseGoals(await api.get('/api/goals')), 'goals');
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const act = async (what: () => Promise<unknown>, done: string) => {
    setError('');
    try {
      await what();
      setMessage(done);
      setEditing(null);
      setConfirming(null);
      reload();
    } catch (e) {
      setError((e as Error).message);
      throw e;
    }
  };
  return (
    <section className="panel goals" aria-labelledby="goals-title" data-testid="goals">
      <h2 id="goals-title">Goals</h2>
      <Show state={state} what="goals" retry={reload}>
        {(goals: Goal[]) => (
          <>
            {goals.length === 0 && editing !== 'new' && (
              <Empty>No goals yet: set a daily or weekly target to see your progress and streak here.</Empty>
            )}
            <ul className="goal-list">
              {goals.map((g) => (
                <li key={g.id} data-testid="goal" data-goal={g.id} data-title={g.title}>
                  <p className="goal-head">
                    <strong>{g.title}</strong> {!g.enabled && <span className="tag">Paused</span>}
                  </p>
                  <progress
                    max={g.goalSeconds || 1}
                    value={Math.min(g.actualSeconds, g.goalSeconds)}
                    aria-label={`Progress of ${g.title}`}
                  />
                  <p className="goal-figures">
                    <span data-testid="goal-actual" data-seconds={g.actualSeconds}>
                      {formatDuration(g.actualSeconds)}
                    </span>{' '}
                    of {formatDuration(g.goalSeconds)} {g.delta === 'day' ? 'today' : 'this week'} ({g.percent} %),
                    streak <span data-testid="goal-streak">{g.streak}</span> {g.delta === 'day' ? 'days' : 'weeks'}
                  </p>
                  {editing === g.id ? (
                    <GoalEditor
                      initial={formOf(g)}
                      onCancel={() => setEditing(null)}
                      onSave={(f) =>
                        act(
                          () => api.send('PUT', `/api/goals/${encodeURIComponent(g.id)}`, goalBody(f, g)),
                          'Goal saved',
                        )
                      }
                    />
                  ) : (
                    <div className="goal-actions">
                      <button type="button" aria-label={`Edit ${g.title}`} onClick={() => setEditing(g.id)}>
                        Edit
                      </button>
                      <button
                        type="button"
                        aria-label={`${g.enabled ? 'Pause' : 'Resume'} ${g.title}`}
                        onClick={() =>
                          act(
                            () => api.send('PUT', `/api/goals/${encodeURIComponent(g.id)}`, toggledBody(g)),
                            g.enabled ? 'Goal paused' : 'Goal resumed',
                          ).catch(() => {})
                        }
                      >
                        {g.enabled ? 'Pause' : 'Resume'}
                      </button>
                      {confirming === g.id ? (
                        <button
                          type="button"
                          onClick={() =>
                            act(
                              () => api.send('DELETE', `/api/goals/${encodeURIComponent(g.id)}`),
                              'Goal deleted',
                            ).catch(() => {})
                          }
                        >
                          Yes, delete
                        </button>
                      ) : (
                        <button type="button" aria-label={`Delete ${g.title}`} onClick={() => setConfirming(g.id)}>
                          Delete
                        </button>
                      )}
                    </div>
                  )}
                </li>
              ))}
            </ul>
            {editing === 'new' ? (
              <GoalEditor
                initial={emptyForm()}
                onCancel={() => setEditing(null)}
                onSave={(f) => act(() => api.send('POST', '/api/goals', goalBody(f)), 'Goal created')}
              />
            ) : (
              <button type="button" onClick={() => setEditing('new')}>
                New goal
              </button>
            )}
          </>
        )}
      </Show>
      {error && !editing && (
        <p className="state state-error" role="alert">
          {error}
        </p>
      )}
      <p role="status" aria-live="polite" className="goal-status">
        {message}
      </p>
    </section>
  );
}
