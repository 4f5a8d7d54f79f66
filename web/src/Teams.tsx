// Teams: the list with creation, the join page of an invite link, and one team's members and sharing.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, type Api } from './api';
import {
  SHARE_LABELS,
  SHARES,
  canChangeRole,
  canManage,
  canRemove,
  inviteCodeOf,
  inviteLink,
  parseInvite,
  parseTeamDetail,
  parseTeamRef,
  parseTeams,
  type Invite,
  type Member,
  type Share,
  type TeamDetail,
} from './teams';
import { CopyButton, Empty, Show, useAsync } from './ui';

const ROLE_LABELS = { owner: 'Owner', admin: 'Admin', member: 'Member' } as const;
const SHARE_SHORT: Record<Share, string> = { none: 'Nothing', totals: 'Daily totals', breakdown: 'Breakdown' };

export const teamHref = (id: string, members = false) =>
  `#/teams/${encodeURIComponent(id)}${members ? '/members' : ''}`;

/** A team the caller is not in answers 404, as an unknown one does (team ids do not leak). */
export function teamError(e: Error): Error {
  return e instanceof ApiError && e.status === 404
    ? new Error('There is no such team, or you are not a member of it.')
    : e;
}

function Status({ message, error, testId }: { message: string; error: string; testId?: string }) {
  return (
    <>
      {error && (
        <p className="state state-error" role="alert">
          {error}
        </p>
      )}
      <p role="status" aria-live="polite" className="form-status" data-testid={testId}>
        {message}
      </p>
    </>
  );
}

/** Runs a write, keeps its error for the page and reports whether it went through. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const run = async (what: () => Promise<unknown>, done: string): Promise<boolean> => {
    setBusy(true);
    setError('');
    setMessage('');
    try {
      await what();
      setMessage(done);
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, message, run };
}

export function TeamsList({ api, go }: { api: Api; go: (hash: string) => void }) {
  const [state, reload] = useAsync(async () => parseTeams(await api.get('/api/teams')), 'teams');
  const [name, setName] = useState('');
  const [invite, setInvite] = useState('');
  const create = useAction();
  const code = inviteCodeOf(invite);
  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    let id = '';
    const ok = await create.run(async () => {
      id = parseTeamRef(await api.send('POST', '/api/teams', { name: name.trim() })).id;
    }, 'Team created');
    if (ok) go(teamHref(id, true));
  };
  return (
    <>
      <h1 className="view-title">Teams</h1>
      <section className="panel" aria-labelledby="teams-h">
        <h2 id="teams-h">Your teams</h2>
        <Show state={state} what="your teams" retry={reload}>
          {(teams) =>
            teams.length === 0 ? (
              <Empty>You are not in a team yet. Create one below, or open an invite link a colleague sent you.</Empty>
            ) : (
              <div className="table-scroll" tabIndex={0} role="region" aria-label="Your teams">
                <table data-testid="teams">
                  <thead>
                    <tr>
                      <th scope="col">Team</th>
                      <th scope="col">Your role</th>
                      <th scope="col" className="num">
                        Members
                      </th>
                      <th scope="col">You share</th>
                      <th scope="col">
                        <span className="sr-only">Manage</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {teams.map((t) => (
                      <tr key={t.id} data-team={t.id} data-name={t.name}>
                        <th scope="row">
                          <a href={teamHref(t.id)}>{t.name}</a>
                        </th>
                        <td>{ROLE_LABELS[t.role]}</td>
                        <td className="num">{t.memberCount}</td>
                        <td data-share={t.share}>{SHARE_SHORT[t.share]}</td>
                        <td className="actions">
                          <a href={teamHref(t.id, true)} aria-label={`Members and sharing of ${t.name}`}>
                            Members &amp; sharing
                          </a>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Show>
      </section>
      <div className="grid grid-2">
        <section className="panel" aria-labelledby="create-team-h">
          <h2 id="create-team-h">Create a team</h2>
          <form className="stack-form" onSubmit={onCreate}>
            <label>
              Team name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
            </label>
            <p className="hint">You become its owner. Nobody sees anything of you until you choose what to share.</p>
            <button type="submit" disabled={create.busy || name.trim() === ''}>
              Create team
            </button>
          </form>
          <Status message={create.message} error={create.error} />
        </section>
        <section className="panel" aria-labelledby="join-team-h">
          <h2 id="join-team-h">Join a team</h2>
          <form
            className="stack-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (code) go(`#/join/${encodeURIComponent(code)}`);
            }}
          >
            <label>
              Invite link or code{' '}
              <input
                value={invite}
                onChange={(e) => setInvite(e.target.value)}
                spellCheck={false}
                autoComplete="off"
                required
              />
            </label>
            {invite.trim() !== '' && !code && <p className="hint warn">That is not an invite link or code.</p>}
            <button type="submit" disabled={!code}>
              Open invite
            </button>
          </form>
        </section>
      </div>
    </>
  );
}

const JOIN_ERRORS: Record<number, string> = {
  404: 'This invite is not known. Ask for a new link.',
  409: 'You are already a member of this team.',
  410: 'This invite was used already or has expired. Ask for a new link.',
};

export function JoinTeam({ api, code }: { api: Api; code: string }) {
  const [joined, setJoined] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const join = async () => {
    setBusy(true);
    setError('');
    try {
      setJoined(parseTeamRef(await api.send('POST', '/api/teams/join', { code })));
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      setError(JOIN_ERRORS[status] ?? (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1 className="view-title">Join a team</h1>
      <section className="panel" aria-labelledby="join-h">
        <h2 id="join-h">Invite</h2>
        {joined ? (
          <div data-testid="joined">
            <p>
              You are now a member of <strong>{joined.name}</strong>. The team sees nothing of you until you choose what
              to share.
            </p>
            <p>
              <a href={teamHref(joined.id, true)}>Choose what {joined.name} sees</a> ·{' '}
              <a href={teamHref(joined.id)}>Open the team view</a>
            </p>
          </div>
        ) : (
          <>
            <p>
              Someone invited you to a team. An invite works once. When you join, the team sees only your name until you
              choose to share your daily totals or your breakdown by project and language; you can change that or leave
              at any time.
            </p>
            <button type="button" className="primary" onClick={join} disabled={busy}>
              Join team
            </button>
          </>
        )}
        <Status message="" error={error} />
      </section>
    </>
  );
}

function SharingForm({
  api,
  team,
  me,
  onSaved,
}: {
  api: Api;
  team: TeamDetail;
  me: Member | undefined;
  onSaved: () => void;
}) {
  const [share, setShare] = useState<Share>(me?.share ?? 'none');
  const [goals, setGoals] = useState(me?.shareGoals ?? false);
  const [name, setName] = useState(me && me.name !== me.user ? me.name : '');
  const save = useAction();
  return (
    <section className="panel" aria-labelledby="share-h" data-testid="sharing">
      <h2 id="share-h">What {team.name} sees of you</h2>
      <form
        className="stack-form"
        onSubmit={async (e) => {
          e.preventDefault();
          // An empty name puts the user id back.
          const body = { share, share_goals: goals, name: name.trim() };
          if (
            await save.run(
              () => api.send('PUT', `/api/teams/${encodeURIComponent(team.id)}/sharing`, body),
              'Saved: every team view shows your choice from now on, for past days too.',
            )
          )
            onSaved();
        }}
      >
        <fieldset>
          <legend>Your time</legend>
          {SHARES.map((s) => (
            <label key={s} className="check">
              <input type="radio" name="share" value={s} checked={share === s} onChange={() => setShare(s)} />{' '}
              {SHARE_LABELS[s]}
            </label>
          ))}
          <p className="hint">Files, branches and machines are never shared.</p>
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={goals} onChange={(e) => setGoals(e.target.checked)} /> Show my goals and their
          progress to the team
        </label>
        <label>
          Display name in this team (optional){' '}
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder={me?.user ?? ''} />
        </label>
        <button type="submit" disabled={save.busy}>
          Save sharing
        </button>
      </form>
      <Status message={save.message} error={save.error} testId="sharing-status" />
    </section>
  );
}

function InvitePanel({ api, team }: { api: Api; team: TeamDetail }) {
  const [hours, setHours] = useState(168);
  const [invite, setInvite] = useState<Invite | null>(null);
  const act = useAction();
  const dashboard = `${window.location.origin}${window.location.pathname}`;
  return (
    <section className="panel" aria-labelledby="invite-h">
      <h2 id="invite-h">Invite someone</h2>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void act.run(async () => {
            setInvite(
              parseInvite(
                await api.send('POST', `/api/teams/${encodeURIComponent(team.id)}/invites`, {
                  expires_in_hours: hours,
                }),
              ),
            );
          }, 'Invite link created');
        }}
      >
        <label>
          Valid for{' '}
          <select value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            <option value={24}>1 day</option>
            <option value={168}>7 days</option>
            <option value={720}>30 days</option>
          </select>
        </label>
        <button type="submit" disabled={act.busy}>
          Create invite link
        </button>
      </form>
      {invite && (
        <div className="new-key" data-testid="invite">
          <p>Send this link to one person. It works once, until {new Date(invite.expiresAt).toLocaleString()}.</p>
          <p>
            <code data-testid="invite-link">{inviteLink(dashboard, invite.code)}</code>
          </p>
          <CopyButton text={inviteLink(dashboard, invite.code)} label="Copy the invite link" />
        </div>
      )}
      <Status message={act.message} error={act.error} />
    </section>
  );
}

function MembersTable({
  api,
  team,
  meId,
  onChanged,
}: {
  api: Api;
  team: TeamDetail;
  meId: string;
  onChanged: () => void;
}) {
  const [confirming, setConfirming] = useState<{ user: string; what: 'remove' | 'owner' } | null>(null);
  const act = useAction();
  const path = (rest: string) => `/api/teams/${encodeURIComponent(team.id)}${rest}`;
  const run = async (what: () => Promise<unknown>, done: string) => {
    setConfirming(null);
    if (await act.run(what, done)) onChanged();
  };
  return (
    <section className="panel" aria-labelledby="members-h">
      <h2 id="members-h">Members</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Members">
        <table data-testid="members">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Shares</th>
              <th scope="col">Goals</th>
              <th scope="col" className="wide-col">
                Joined
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {team.members.map((m) => (
              <tr key={m.user} data-user={m.user}>
                <th scope="row">
                  {m.name}
                  {m.user === meId && <span className="muted"> (you)</span>}
                  {m.name !== m.user && <span className="muted"> · {m.user}</span>}
                </th>
                <td data-role={m.role}>{ROLE_LABELS[m.role]}</td>
                <td data-share={m.share}>{SHARE_SHORT[m.share]}</td>
                <td>{m.shareGoals ? 'Shared' : 'Private'}</td>
                <td className="wide-col">{m.joinedAt.slice(0, 10)}</td>
                <td className="actions">
                  {m.user !== meId && canChangeRole(team.role, m.role) && (
                    <button
                      type="button"
                      disabled={act.busy}
                      aria-label={`${m.role === 'admin' ? 'Make member' : 'Make admin'}: ${m.name}`}
                      onClick={() =>
                        run(
                          () =>
                            api.send('PATCH', path(`/members/${encodeURIComponent(m.user)}`), {
                              role: m.role === 'admin' ? 'member' : 'admin',
                            }),
                          `${m.name} is now ${m.role === 'admin' ? 'a member' : 'an admin'}`,
                        )
                      }
                    >
                      {m.role === 'admin' ? 'Make member' : 'Make admin'}
                    </button>
                  )}{' '}
                  {m.user !== meId && team.role === 'owner' && (
                    <button
                      type="button"
                      disabled={act.busy}
                      aria-label={`Make ${m.name} the owner`}
                      onClick={() => setConfirming({ user: m.user, what: 'owner' })}
                    >
                      Make owner
                    </button>
                  )}{' '}
                  {m.user !== meId && canRemove(team.role, m.role) && (
                    <button
                      type="button"
                      className="danger"
                      disabled={act.busy}
                      aria-label={`Remove ${m.name}`}
                      onClick={() => setConfirming({ user: m.user, what: 'remove' })}
                    >
                      Remove
                    </button>
                  )}
                  {confirming?.user === m.user && (
                    <span className="confirm">
                      {confirming.what === 'remove'
                        ? `Remove ${m.name} from the team?`
                        : `Make ${m.name} the owner? You become an admin.`}{' '}
                      <button
                        type="button"
                        className={confirming.what === 'remove' ? 'danger' : undefined}
                        onClick={() =>
                          confirming.what === 'remove'
                            ? run(
                                () => api.send('DELETE', path(`/members/${encodeURIComponent(m.user)}`)),
                                `${m.name} was removed`,
                              )
                            : run(
                                () => api.send('POST', path('/owner'), { user: m.user }),
                                `${m.name} is now the owner`,
                              )
                        }
                      >
                        {confirming.what === 'remove' ? 'Yes, remove' : 'Yes, transfer'}
                      </button>{' '}
                      <button type="button" onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Status message={act.message} error={act.error} testId="members-status" />
    </section>
  );
}

function TeamSettings({
  api,
  team,
  go,
  onChanged,
}: {
  api: Api;
  team: TeamDetail;
  go: (h: string) => void;
  onChanged: () => void;
}) {
  const [name, setName] = useState(team.name);
  const [confirm, setConfirm] = useState('');
  const [leaving, setLeaving] = useState(false);
  const act = useAction();
  const path = `/api/teams/${encodeURIComponent(team.id)}`;
  return (
    <section className="panel danger-zone" aria-labelledby="team-settings-h">
      <h2 id="team-settings-h">Team</h2>
      {canManage(team.role) && (
        <form
          className="inline"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await act.run(() => api.send('PATCH', path, { name: name.trim() }), 'Team renamed')) onChanged();
          }}
        >
          <label>
            Team name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
          </label>
          <button type="submit" disabled={act.busy || name.trim() === '' || name.trim() === team.name}>
            Rename
          </button>
        </form>
      )}
      {team.role === 'owner' ? (
        <form
          className="stack-form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await act.run(() => api.send('DELETE', path), 'Team deleted')) go('#/teams');
          }}
        >
          <p className="hint">
            To leave, make another member the owner first. Deleting the team removes it for every member; their own data
            stays.
          </p>
          <label>
            Type the team's name, {team.name}, to delete it{' '}
            <input value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
          </label>
          <button type="submit" className="danger" disabled={act.busy || confirm !== team.name}>
            Delete team
          </button>
        </form>
      ) : (
        <p>
          {leaving ? (
            <>
              Leave {team.name}? The team stops seeing anything of you, past days included.{' '}
              <button
                type="button"
                className="danger"
                onClick={async () =>
                  (await act.run(() => api.send('DELETE', `${path}/members/me`), 'You left the team')) && go('#/teams')
                }
              >
                Yes, leave
              </button>{' '}
              <button type="button" onClick={() => setLeaving(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className="danger" onClick={() => setLeaving(true)}>
              Leave team
            </button>
          )}
        </p>
      )}
      <Status message={act.message} error={act.error} />
    </section>
  );
}

export function TeamMembers({ api, teamId, go }: { api: Api; teamId: string; go: (hash: string) => void }) {
  const [state, reload] = useAsync(async () => {
    try {
      const [team, me] = await Promise.all([api.get(`/api/teams/${encodeURIComponent(teamId)}`), api.get('/api/me')]);
      const meId = (me as { user_id?: unknown }).user_id;
      return { team: parseTeamDetail(team), meId: typeof meId === 'string' ? meId : '' };
    } catch (e) {
      throw teamError(e as Error);
    }
  }, teamId);
  // After a change the page reloads the team in place, so the forms keep their confirmations.
  const last = useRef<{ team: TeamDetail; meId: string } | null>(null);
  if (state.status === 'ok') last.current = state.data;
  const shown =
    state.status === 'ok'
      ? state.data
      : state.status === 'loading' && last.current?.team.id === teamId
        ? last.current
        : null;
  if (!shown)
    return (
      <Show state={state} what="the team" retry={reload}>
        {() => null}
      </Show>
    );
  const { team, meId } = shown;
  const me = team.members.find((m) => m.user === meId);
  return (
    <>
      <h1 className="view-title">{team.name}: members and sharing</h1>
      <p className="view-links">
        <a href={teamHref(team.id)}>Team view</a> · <a href="#/teams">All teams</a>
      </p>
      <SharingForm api={api} team={team} me={me} onSaved={reload} />
      {canManage(team.role) && <InvitePanel api={api} team={team} />}
      <MembersTable api={api} team={team} meId={meId} onChanged={reload} />
      <TeamSettings api={api} team={team} go={go} onChanged={reload} />
    </>
  );
}
