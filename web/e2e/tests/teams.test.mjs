// Teams in Chromium against the real local stack, with three users signed in at once through the local
// issuer: the owner creates a team and invites the others by link, each member chooses what the team
// sees, and the team view shows what the team routes answer, which must add up to the members' own stats.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { apiGet, ingest, series, waitFor } from './api.mjs';
import {
  SHOTS,
  accessToken,
  assertAccessible,
  expectSeconds,
  launch,
  phoneShot,
  screenshot,
  signedIn,
} from './browser.mjs';
import { E2E_USER } from './selectors.mjs';
import { startLocal } from './stack.mjs';

const DAY = 86_400_000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const todayMs = Date.parse(`${isoDay(Date.now())}T00:00:00Z`);
const today = isoDay(todayMs);
const yesterday = isoDay(todayMs - DAY);
// The team view opens on the last 7 days, today included.
const weekStart = isoDay(todayMs - 6 * DAY);
const at = (hh, mm = 0) => Date.parse(`${yesterday}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`);

const BOB = 'bob-e2e';
const CAROL = 'carol-e2e';
const TEAM = 'E2E Platform';

const ownerHeartbeats = () => [
  ...series({
    tool: 'vscode',
    startMs: at(9),
    minutes: 60,
    stepMin: 2,
    project: 'team-alpha',
    language: 'TypeScript',
    entity: '/home/a/alpha/app.ts',
  }),
  ...series({
    tool: 'claude-code',
    startMs: at(10, 30),
    minutes: 30,
    stepMin: 3,
    project: 'team-beta',
    language: 'Python',
    entity: '/home/a/beta/main.py',
    extra: (i) => ({
      ai_session: 'e2e-team-session',
      ai_model: 'claude-sonnet-4-5',
      ai_input_tokens: 1000 + i,
      ai_output_tokens: 200 + i,
      ai_cache_read_tokens: 30_000,
      ai_cache_creation_tokens: 400,
      ai_prompts: 1,
    }),
  }),
];
const bobHeartbeats = () => [
  ...series({
    tool: 'vscode',
    startMs: at(13),
    minutes: 40,
    stepMin: 2,
    project: 'team-gamma',
    language: 'Go',
    entity: '/home/b/gamma/main.go',
  }),
  ...series({
    tool: 'vscode',
    startMs: at(15),
    minutes: 20,
    stepMin: 2,
    project: 'team-alpha',
    language: 'TypeScript',
    entity: '/home/b/alpha/ui.ts',
  }),
];

describe('Teams in Chromium against the local stack', () => {
  let stack;
  let browser;
  /** The owner (the stack's default user), and two colleagues. */
  let owner;
  let bob;
  let carol;
  let bobKey;
  let teamId;
  const shots = [];
  const shot = async (page, name) => shots.push(await screenshot(page, name));

  /** A team route as the signed-in user of `page` reads it: what the page should show. */
  const teamApi = async (page, path, init = {}) => {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${await accessToken(page)}`,
        'Content-Type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const teamStats = async (page, query = '') => {
    const r = await teamApi(
      page,
      `/api/teams/${encodeURIComponent(teamId)}/stats?start=${weekStart}&end=${today}${query}`,
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const personal = (key, query = '') =>
    apiGet(stack.baseUrl, key, `/api/stats?start=${weekStart}&end=${today}${query}`);
  const openTeam = async (page, members = false) => {
    await page.goto(`${stack.baseUrl}/#/teams/${encodeURIComponent(teamId)}${members ? '/members' : ''}`);
    await page.reload();
    if (members) await page.getByTestId('members').waitFor();
    else await page.getByTestId('team-total').waitFor();
  };
  const phone = async (page, name) => shots.push(await phoneShot(page, name));
  const member = (page, user) => page.locator(`[data-testid="members"] tr[data-user="${user}"]`);

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startLocal({ logName: 'local-teams' });
    const oidc = (await (await fetch(`${stack.baseUrl}/config.json`)).json()).oidc;
    assert.ok(oidc, 'teams need the local issuer (config.json "oidc")');
    browser = await launch();
    owner = await signedIn(browser, stack.baseUrl, E2E_USER);
    bob = await signedIn(browser, stack.baseUrl, BOB);
    carol = await signedIn(browser, stack.baseUrl, CAROL);
    // Bob's own key, made on his API keys page, for his editor's heartbeats.
    await bob.getByRole('link', { name: 'API keys & setup' }).click();
    await bob.getByLabel('Label', { exact: true }).fill('bob laptop');
    await bob.getByRole('button', { name: 'Create key' }).click();
    bobKey = (await bob.getByTestId('new-key').innerText()).trim();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await stack?.stop();
    console.log(`screenshots (${shots.length}) in ${SHOTS}`);
  });

  test('creates a team', async () => {
    await owner.getByRole('link', { name: 'Teams' }).click();
    await owner.getByText('You are not in a team yet').waitFor();
    await shot(owner, 'teams-01-none');
    await assertAccessible(owner, 'teams, none yet');
    await owner.getByLabel('Team name').fill(TEAM);
    await owner.getByRole('button', { name: 'Create team' }).click();
    await owner.getByRole('heading', { name: `${TEAM}: members and sharing` }).waitFor();
    teamId = decodeURIComponent(new URL(owner.url()).hash.match(/^#\/teams\/([^/]+)\/members$/)[1]);
    const { body } = await teamApi(owner, '/api/teams');
    assert.deepEqual(
      body.data.map((t) => [t.id, t.name, t.role, t.member_count, t.share]),
      [[teamId, TEAM, 'owner', 1, 'none']],
    );
    // The creator shares nothing until they choose to.
    assert.equal(await member(owner, E2E_USER).locator('[data-role]').getAttribute('data-role'), 'owner');
    assert.equal(await member(owner, E2E_USER).locator('[data-share]').getAttribute('data-share'), 'none');
    assert.equal(await owner.getByLabel('Nothing').isChecked(), true);
    await shot(owner, 'teams-02-created');
    await assertAccessible(owner, 'team members and sharing');
    await phone(owner, 'teams-02-created-phone');
  });

  test('invites two users by link; each joins once', async () => {
    await owner.getByRole('button', { name: 'Create invite link' }).click();
    await owner.getByTestId('invite').waitFor();
    const link = await owner.getByTestId('invite-link').innerText();
    assert.match(link, new RegExp(`^${stack.baseUrl}/#/join/[A-Za-z0-9_-]{22,}$`));
    await owner.getByRole('button', { name: 'Copy the invite link' }).click();
    await owner.getByText('Copied', { exact: true }).waitFor();
    assert.equal(await owner.evaluate(() => navigator.clipboard.readText()), link);
    await shot(owner, 'teams-03-invite');

    await bob.goto(link);
    await bob.getByRole('heading', { name: 'Join a team' }).waitFor();
    await shot(bob, 'teams-04-join');
    await assertAccessible(bob, 'join');
    await phone(bob, 'teams-04-join-phone');
    await bob.getByRole('button', { name: 'Join team' }).click();
    await bob.getByTestId('joined').getByText(TEAM, { exact: true }).waitFor();
    await shot(bob, 'teams-05-joined');
    // The same link a second time: refused, with a message that says so.
    await bob.goto(`${stack.baseUrl}/#/overview`);
    await bob.goto(link);
    await bob.getByRole('button', { name: 'Join team' }).click();
    await bob
      .getByRole('alert')
      .filter({ hasText: /used already or has expired|already a member/ })
      .waitFor();

    // A second link for the third user; a new link replaces the one shown.
    await owner.getByRole('button', { name: 'Create invite link' }).click();
    await owner.waitForFunction(
      (old) => document.querySelector('[data-testid="invite-link"]')?.textContent !== old,
      link,
    );
    const second = await owner.getByTestId('invite-link').innerText();
    assert.notEqual(second, link);
    await carol.goto(second);
    await carol.getByRole('button', { name: 'Join team' }).click();
    await carol.getByTestId('joined').waitFor();

    await openTeam(owner, true);
    assert.equal(await owner.locator('[data-testid="members"] tbody tr').count(), 3);
    for (const u of [BOB, CAROL]) {
      assert.equal(await member(owner, u).locator('[data-role]').getAttribute('data-role'), 'member');
      assert.equal(await member(owner, u).locator('[data-share]').getAttribute('data-share'), 'none');
    }
    const { body } = await teamApi(bob, `/api/teams/${encodeURIComponent(teamId)}`);
    assert.deepEqual(body.members.map((m) => m.user).sort(), [BOB, CAROL, E2E_USER].sort());
  });

  test('shows each member only as far as they chose to share', async () => {
    const mine = ownerHeartbeats();
    const bobs = bobHeartbeats();
    await ingest(stack.baseUrl, stack.apiKey, mine);
    await ingest(stack.baseUrl, bobKey, bobs);
    for (const [key, sent] of [
      [stack.apiKey, mine.length],
      [bobKey, bobs.length],
    ]) {
      await waitFor('heartbeats aggregated', async () => {
        const s = await apiGet(stack.baseUrl, key, `/api/sessions?start=${yesterday}&end=${today}`);
        return s.sessions.reduce((a, x) => a + x.heartbeat_count, 0) === sent;
      });
    }
    const ownerStats = await personal(stack.apiKey);
    const bobStats = await personal(bobKey);
    assert.ok(ownerStats.total_seconds > 0 && bobStats.total_seconds > 0);

    // Nobody shares yet: the team sees its members and no time.
    await openTeam(owner);
    await owner.getByText('Nobody in this team shares their time yet').waitFor();
    assert.equal(await owner.getByTestId('members-sharing').innerText(), '0 of 3');
    await expectSeconds(owner, '[data-testid="team-total"]', 0);
    await shot(owner, 'teams-06-view-nobody-shares');

    // Bob shares his daily totals under a display name: the team sees his time, not his projects.
    await openTeam(bob, true);
    await bob.getByLabel('Daily totals only').check();
    await bob.getByLabel('Display name in this team (optional)').fill('Bob B');
    await bob.getByRole('button', { name: 'Save sharing' }).click();
    await bob.getByTestId('sharing-status').filter({ hasText: 'Saved' }).waitFor();
    await shot(bob, 'teams-07-sharing-totals');
    await assertAccessible(bob, 'sharing');
    const afterBob = await waitFor('the team view counts Bob', async () => {
      const s = await teamStats(owner);
      return s.total_seconds > 0 && s;
    });
    assert.equal(afterBob.total_seconds, bobStats.total_seconds, 'the team total is what Bob shares');
    assert.deepEqual(afterBob.projects, [], 'daily totals show no projects');
    await openTeam(owner);
    await expectSeconds(owner, '[data-testid="team-total"]', bobStats.total_seconds);
    await expectSeconds(
      owner,
      `[data-testid="team-members"] tr[data-user="${BOB}"] td[data-seconds]`,
      bobStats.total_seconds,
    );
    assert.match(await owner.locator(`[data-testid="team-members"] tr[data-user="${BOB}"] th`).innerText(), /Bob B/);
    assert.equal(await owner.locator('[data-testid="breakdown-project"] tbody tr').count(), 0, 'no project rows');
    assert.equal(await owner.getByTestId('members-sharing').innerText(), '1 of 3');

    // The owner shares a breakdown and their goals: their projects, languages and AI usage appear.
    const goal = await teamApi(owner, '/api/goals', {
      method: 'POST',
      body: JSON.stringify({ delta: 'day', seconds: 1800, title: 'Team half hour' }),
    });
    assert.equal(goal.status, 201, JSON.stringify(goal.body));
    await openTeam(owner, true);
    await owner.getByLabel(/Totals by project, language/).check();
    await owner.getByLabel('Show my goals and their progress to the team').check();
    await owner.getByRole('button', { name: 'Save sharing' }).click();
    await owner.getByTestId('sharing-status').filter({ hasText: 'Saved' }).waitFor();
    const both = await waitFor('the team view counts both', async () => {
      const s = await teamStats(owner);
      return s.total_seconds === ownerStats.total_seconds + bobStats.total_seconds && s;
    });
    const named = (list) => Object.fromEntries(list.map((x) => [x.name, x.total_seconds]));
    const positive = (map) => Object.fromEntries(Object.entries(map).filter(([, v]) => v > 0));
    assert.deepEqual(named(both.projects), positive(ownerStats.by_project), "projects are the owner's only");
    assert.deepEqual(named(both.languages), positive(ownerStats.by_language), "languages are the owner's only");
    assert.deepEqual(
      both.ai.models.map((m) => m.name),
      ['claude-sonnet-4-5'],
    );
    assert.equal(both.ai.models[0].input_tokens, ownerStats.ai.tokens_in);
    assert.deepEqual(
      both.goals.map((g) => [g.user, g.goals.map((x) => x.title)]),
      [[E2E_USER, ['Team half hour']]],
    );
  });

  test('the team view shows what the team routes answer, with filters and the leaderboard', async () => {
    const s = await teamStats(owner);
    await openTeam(owner);
    await expectSeconds(owner, '[data-testid="team-total"]', s.total_seconds);
    assert.equal(await owner.getByTestId('members-sharing').innerText(), '2 of 3');
    for (const m of s.members) {
      const row = owner.locator(`[data-testid="team-members"] tr[data-user="${m.user}"]`);
      assert.equal(await row.getAttribute('data-share'), m.share);
      if (m.share === 'none')
        assert.equal(await row.locator('td[data-seconds]').count(), 0, `${m.user} shows no figures`);
      else
        await expectSeconds(
          owner,
          `[data-testid="team-members"] tr[data-user="${m.user}"] td[data-seconds]`,
          m.total_seconds,
        );
    }
    for (const [dim, list] of [
      ['project', s.projects],
      ['language', s.languages],
      ['editor', s.editors],
      ['category', s.categories],
    ]) {
      const names = await owner
        .locator(`[data-testid="breakdown-${dim}"] tbody tr`)
        .evaluateAll((rows) => rows.map((r) => r.dataset.name));
      assert.deepEqual(new Set(names), new Set(list.map((x) => x.name)), `${dim} rows`);
      for (const x of list)
        await expectSeconds(
          owner,
          `[data-testid="breakdown-${dim}"] tr[data-name="${x.name}"] td[data-seconds]`,
          x.total_seconds,
        );
    }
    // Each day of the range, with each member's part.
    const days = await owner
      .locator('[data-testid="team-daily-table"] tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [r.dataset.date, Number(r.querySelector('td[data-seconds]').dataset.seconds)]),
      );
    assert.deepEqual(
      days,
      s.days.map((d) => [d.date, d.total_seconds]),
    );
    const model = owner.locator('[data-testid="team-ai-models"] tr[data-name="claude-sonnet-4-5"] td').first();
    assert.equal((await model.innerText()).replace(/\D/g, ''), String(s.ai.models[0].input_tokens));
    await owner.locator(`[data-testid="team-ai-members"] tr[data-name="${E2E_USER}"]`).waitFor();
    await owner.locator('[data-testid="team-goals"] tr', { hasText: 'Team half hour' }).waitFor();

    // The leaderboard: everyone who shares time; by language, only members who share a breakdown.
    const board = (await teamApi(owner, `/api/teams/${encodeURIComponent(teamId)}/leaderboard`)).body;
    await owner.locator('[data-testid="leaders"] tbody tr').first().waitFor();
    assert.deepEqual(
      await owner.locator('[data-testid="leaders"] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.user)),
      board.data.map((l) => l.user.id),
    );
    assert.deepEqual(new Set(board.data.map((l) => l.user.id)), new Set([E2E_USER, BOB]));
    await shot(owner, 'teams-08-view');
    await assertAccessible(owner, 'team view');

    await owner.getByTestId('leaderboard').getByLabel('Language').selectOption('TypeScript');
    const ts = (await teamApi(owner, `/api/teams/${encodeURIComponent(teamId)}/leaderboard?language=TypeScript`)).body;
    assert.deepEqual(
      ts.data.map((l) => l.user.id),
      [E2E_USER],
      'Bob shares no breakdown, so he is not on a language board',
    );
    await owner.waitForFunction(
      (want) =>
        [...document.querySelectorAll('[data-testid="leaders"] tbody tr')].map((r) => r.dataset.user).join() === want,
      ts.data.map((l) => l.user.id).join(),
    );
    await expectSeconds(
      owner,
      `[data-testid="leaders"] tr[data-user="${E2E_USER}"] td[data-seconds]`,
      ts.data[0].running_total.total_seconds,
    );

    // A language filter: only breakdown members count, and every panel follows.
    await owner.getByRole('button', { name: 'Filter by language TypeScript' }).click();
    const filtered = await teamStats(owner, '&language=TypeScript');
    const ownerTs = await personal(stack.apiKey, '&language=TypeScript');
    assert.equal(filtered.total_seconds, ownerTs.total_seconds, 'with a filter only the owner counts');
    await expectSeconds(owner, '[data-testid="team-total"]', filtered.total_seconds);
    await owner.getByRole('button', { name: /Remove filter language TypeScript/ }).waitFor();
    await shot(owner, 'teams-09-view-language');
    await owner.getByRole('button', { name: /Remove filter language TypeScript/ }).click();
    await expectSeconds(owner, '[data-testid="team-total"]', s.total_seconds);

    await phone(owner, 'teams-10-view-phone');
  });

  test('follows a dark system setting, and the team pages have no serious accessibility violation in either theme', async () => {
    const pages = [
      ['teams', '#/teams', () => owner.getByTestId('teams').waitFor()],
      ['team-members', `#/teams/${encodeURIComponent(teamId)}/members`, () => owner.getByTestId('members').waitFor()],
      ['team-view', `#/teams/${encodeURIComponent(teamId)}`, () => owner.getByTestId('leaders').waitFor()],
      ['join', '#/join/AAAAAAAAAAAAAAAAAAAAAAAA', () => owner.getByRole('button', { name: 'Join team' }).waitFor()],
    ];
    for (const scheme of ['dark', 'light']) {
      await owner.emulateMedia({ colorScheme: scheme });
      for (const [name, hash, ready] of pages) {
        await owner.goto(`${stack.baseUrl}/${hash}`);
        await owner.reload();
        await ready();
        await owner.waitForLoadState('networkidle');
        await assertAccessible(owner, `${name} (${scheme})`);
        if (scheme === 'dark') await shot(owner, `teams-20-dark-${name}`);
      }
    }
  });

  test('changes roles, removes a member, transfers ownership, leaves and deletes the team', async () => {
    await openTeam(owner, true);
    await owner.getByRole('button', { name: 'Make admin: Bob B' }).click();
    await owner.getByTestId('members-status').filter({ hasText: 'Bob B is now an admin' }).waitFor();
    // The table reloads after the change.
    await member(owner, BOB).locator('[data-role="admin"]').waitFor();
    assert.equal(
      (await teamApi(bob, `/api/teams/${encodeURIComponent(teamId)}`)).body.members.find((m) => m.user === BOB).role,
      'admin',
    );

    await owner.getByRole('button', { name: `Remove ${CAROL}` }).click();
    await owner.getByRole('button', { name: 'Yes, remove' }).click();
    await member(owner, CAROL).waitFor({ state: 'detached' });
    assert.equal(
      (await teamApi(carol, `/api/teams/${encodeURIComponent(teamId)}`)).status,
      404,
      'a removed member no longer sees the team',
    );

    await owner.getByRole('button', { name: 'Make Bob B the owner' }).click();
    await owner.getByRole('button', { name: 'Yes, transfer' }).click();
    await owner.getByTestId('members-status').filter({ hasText: 'Bob B is now the owner' }).waitFor();
    const roles = Object.fromEntries(
      (await teamApi(bob, `/api/teams/${encodeURIComponent(teamId)}`)).body.members.map((m) => [m.user, m.role]),
    );
    assert.deepEqual(roles, { [BOB]: 'owner', [E2E_USER]: 'admin' });
    await shot(owner, 'teams-11-transferred');

    await owner.getByRole('button', { name: 'Leave team' }).click();
    await owner.getByRole('button', { name: 'Yes, leave' }).click();
    await owner.getByText('You are not in a team yet').waitFor();
    const stats = await teamStats(bob);
    assert.deepEqual(
      stats.members.map((m) => m.user),
      [BOB],
      'the owner left every view of the team',
    );

    await openTeam(bob, true);
    await bob.getByLabel(`Type the team's name, ${TEAM}, to delete it`).fill(TEAM);
    await bob.getByRole('button', { name: 'Delete team' }).click();
    await bob.getByText('You are not in a team yet').waitFor();
    assert.equal((await teamApi(bob, `/api/teams/${encodeURIComponent(teamId)}`)).status, 404);
  });
});
