// The instance's public leaderboard in Chromium against the real local stack: three users send heartbeats
// through the WakaTime API, two of them turn on public sharing (one on the Settings page, one through the
// API), and the board lists exactly those two with the totals their own stats give, ranked, filtered by
// language; a user who turns sharing off leaves it.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { apiGet, ingest, series, signInToken, waitFor } from './api.mjs';
import { SHOTS, accessToken, assertAccessible, launch, phoneShot, screenshot, signedIn } from './browser.mjs';
import { E2E_USER } from './selectors.mjs';
import { startLocal } from './stack.mjs';

const DAY = 86_400_000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const todayMs = Date.parse(`${isoDay(Date.now())}T00:00:00Z`);
const today = isoDay(todayMs);
const yesterday = isoDay(todayMs - DAY);
// The board covers the last 7 days, today included.
const weekStart = isoDay(todayMs - 6 * DAY);
const at = (hh, mm = 0) => Date.parse(`${yesterday}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`);

const BOB = 'bob-leaders';
const CAROL = 'carol-leaders';

const work = {
  // The most time, TypeScript and Python: first on the board.
  [E2E_USER]: () => [
    ...series({
      tool: 'vscode',
      startMs: at(9),
      minutes: 90,
      stepMin: 2,
      project: 'lb-a',
      language: 'TypeScript',
      entity: '/a/app.ts',
    }),
    ...series({
      tool: 'vscode',
      startMs: at(11),
      minutes: 30,
      stepMin: 2,
      project: 'lb-a',
      language: 'Python',
      entity: '/a/x.py',
    }),
  ],
  // Go and TypeScript: second overall, first in Go.
  [BOB]: () => [
    ...series({
      tool: 'vscode',
      startMs: at(13),
      minutes: 40,
      stepMin: 2,
      project: 'lb-b',
      language: 'Go',
      entity: '/b/main.go',
    }),
    ...series({
      tool: 'vscode',
      startMs: at(15),
      minutes: 20,
      stepMin: 2,
      project: 'lb-b',
      language: 'TypeScript',
      entity: '/b/ui.ts',
    }),
  ],
  // Carol works but never shares: she must not appear.
  [CAROL]: () => [
    ...series({
      tool: 'vscode',
      startMs: at(8),
      minutes: 200,
      stepMin: 2,
      project: 'lb-c',
      language: 'Go',
      entity: '/c/main.go',
    }),
  ],
};

describe('The public leaderboard in Chromium against the local stack', () => {
  let stack;
  let browser;
  const pages = {};
  const keys = {};
  const totals = {};
  const shots = [];
  const shot = async (page, name) => shots.push(await screenshot(page, name));

  const api = async (page, method, path, body) => {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${await accessToken(page)}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
  /** The rows the page shows: user, rank and seconds. */
  const rows = (page) =>
    page
      .locator('[data-testid="leaders"] tbody tr')
      .evaluateAll((trs) =>
        trs.map((r) => [
          r.dataset.user,
          Number(r.cells[0].textContent),
          Number(r.querySelector('[data-seconds]').dataset.seconds),
        ]),
      );
  const showsUsers = (page, users) =>
    page.waitForFunction(
      (want) =>
        [...document.querySelectorAll('[data-testid="leaders"] tbody tr')].map((r) => r.dataset.user).join() === want,
      users.join(),
      { timeout: 15_000 },
    );
  const openBoard = async (page) => {
    await page.goto(`${stack.baseUrl}/#/leaders`);
    await page.reload();
    await page.getByTestId('public-leaders').waitFor();
    await page.getByTestId('my-rank').waitFor();
  };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startLocal({ logName: 'local-leaders' });
    browser = await launch();
    for (const user of [E2E_USER, BOB, CAROL]) pages[user] = await signedIn(browser, stack.baseUrl, user);
    keys[E2E_USER] = stack.apiKey;
    for (const user of [BOB, CAROL]) {
      keys[user] = (await api(pages[user], 'POST', '/api/auth/token', { label: 'laptop', read_only: false })).key;
    }
    for (const [user, make] of Object.entries(work)) {
      const sent = make();
      await ingest(stack.baseUrl, keys[user], sent);
      await waitFor(`${user}'s heartbeats aggregated`, async () => {
        const s = await apiGet(stack.baseUrl, keys[user], `/api/sessions?start=${yesterday}&end=${today}`);
        return s.sessions.reduce((a, x) => a + x.heartbeat_count, 0) === sent.length;
      });
      totals[user] = await apiGet(stack.baseUrl, keys[user], `/api/stats?start=${weekStart}&end=${today}`);
    }
    assert.ok(
      totals[E2E_USER].total_seconds > totals[BOB].total_seconds,
      'the owner worked the most of the two who share',
    );
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await stack?.stop();
    console.log(`screenshots (${shots.length}) in ${SHOTS}`);
  });

  test('before anyone shares, the board is empty and says how to appear on it', async () => {
    const me = pages[E2E_USER];
    await me.getByRole('link', { name: 'Leaderboard' }).click();
    await me.getByText('Nobody on the board yet').waitFor();
    assert.match(await me.getByTestId('my-rank').innerText(), /You are not on this board/);
    await me.getByText('Only users who turned on public sharing appear here').waitFor();
    await shot(me, 'leaders-01-empty');
    // The explanation links to the switch.
    await me.getByTestId('public-leaders').getByRole('link', { name: 'Settings' }).click();
    await me.getByRole('heading', { name: 'Sharing', exact: true }).waitFor();
  });

  test('lists exactly the users who opted in, with their totals and ranks, and the caller highlighted', async () => {
    const me = pages[E2E_USER];
    // The owner turns sharing on in Settings, Bob through the API; Carol does not.
    await me.getByLabel(/Share my stats publicly/).check();
    await me.getByTestId('sharing-status').filter({ hasText: 'Sharing is on' }).waitFor();
    await api(pages[BOB], 'PUT', '/api/settings', { public: true });

    const want = [
      [E2E_USER, 1, totals[E2E_USER].total_seconds],
      [BOB, 2, totals[BOB].total_seconds],
    ];
    const board = await waitFor('both on the board', async () => {
      const b = await api(me, 'GET', '/api/v1/leaders');
      return b.data.length === 2 && b;
    });
    assert.deepEqual(
      board.data.map((d) => [d.user.id, d.rank, d.running_total.total_seconds]),
      want,
    );
    await openBoard(me);
    assert.deepEqual(await rows(me), want);
    assert.equal(
      await me.locator('[data-testid="leaders"] tr[aria-current="true"]').getAttribute('data-user'),
      E2E_USER,
    );
    assert.match(await me.getByTestId('my-rank').innerText(), /You are #1\./);
    await shot(me, 'leaders-02-board');
    await assertAccessible(me, 'leaderboard');

    // Carol, who does not share, sees the same board and is told she is not on it.
    const carol = pages[CAROL];
    await openBoard(carol);
    assert.deepEqual(await rows(carol), want);
    assert.match(await carol.getByTestId('my-rank').innerText(), /You are not on this board/);
    assert.equal(await carol.locator('[data-testid="leaders"] tr[aria-current="true"]').count(), 0);
    // Bob sees his own row highlighted.
    await openBoard(pages[BOB]);
    assert.equal(await pages[BOB].locator('tr[aria-current="true"]').getAttribute('data-user'), BOB);
    assert.match(await pages[BOB].getByTestId('my-rank').innerText(), /You are #2\./);
    // One page: no pager.
    assert.equal(await me.getByTestId('public-leaders-pager').count(), 0);
  });

  test('filters by language', async () => {
    const me = pages[E2E_USER];
    await openBoard(me);
    await me.getByTestId('public-leaders').getByLabel('Language').selectOption('Go');
    await showsUsers(me, [BOB]);
    const goSeconds = (await apiGet(stack.baseUrl, keys[BOB], `/api/stats?start=${weekStart}&end=${today}&language=Go`))
      .total_seconds;
    assert.ok(goSeconds > 0 && goSeconds < totals[BOB].total_seconds);
    assert.deepEqual(await rows(me), [[BOB, 1, goSeconds]]);
    assert.match(await me.getByTestId('my-rank').innerText(), /You are not on this board for Go/);
    await shot(me, 'leaders-03-go');

    await me.getByTestId('public-leaders').getByLabel('Language').selectOption('TypeScript');
    await showsUsers(me, [E2E_USER, BOB]);
    const ts = (await api(me, 'GET', '/api/v1/leaders?language=TypeScript')).data;
    assert.deepEqual(
      await rows(me),
      ts.map((d) => [d.user.id, d.rank, d.running_total.total_seconds]),
    );
    assert.match(await me.getByTestId('my-rank').innerText(), /You are #1 in TypeScript\./);

    await me.getByTestId('public-leaders').getByLabel('Language').selectOption('');
    await showsUsers(me, [E2E_USER, BOB]);
  });

  test('has no serious accessibility violation in either theme, and fits a phone', async () => {
    const me = pages[E2E_USER];
    for (const scheme of ['dark', 'light']) {
      await me.emulateMedia({ colorScheme: scheme });
      await openBoard(me);
      await me.waitForLoadState('networkidle');
      await assertAccessible(me, `leaderboard (${scheme})`);
      if (scheme === 'dark') await shot(me, 'leaders-04-dark');
    }
    shots.push(await phoneShot(me, 'leaders-05-phone'));
  });

  test('pages past the first 100 rows, and leads the caller to the page that lists them', async () => {
    // 100 more users who share, each with more time than Bob and less than the owner: Bob ranks 102nd.
    const extras = Array.from({ length: 100 }, (_, i) => `extra-${String(i).padStart(3, '0')}`);
    const bearer = {};
    const asUser = async (user, method, path, body) => {
      const res = await fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${bearer[user]}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      assert.ok(res.ok, `${user} ${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text);
    };
    const heartbeats = () =>
      series({
        tool: 'vscode',
        startMs: at(18),
        minutes: 70,
        stepMin: 10,
        project: 'lb-x',
        language: 'Rust',
        entity: '/x/lib.rs',
      });
    for (let i = 0; i < extras.length; i += 10) {
      await Promise.all(
        extras.slice(i, i + 10).map(async (user) => {
          bearer[user] = await signInToken(stack.baseUrl, user);
          const { key } = await asUser(user, 'POST', '/api/auth/token', { label: 'laptop', read_only: false });
          await asUser(user, 'PUT', '/api/settings', { public: true });
          await ingest(stack.baseUrl, key, heartbeats());
        }),
      );
    }
    const me = pages[E2E_USER];
    const second = await waitFor(
      'all 102 on the board',
      async () => {
        const b = await api(me, 'GET', '/api/v1/leaders?page=2');
        return (
          b.total_pages === 2 && b.data.length === 2 && b.data.every((d) => d.running_total.total_seconds > 0) && b
        );
      },
      { timeoutMs: 180_000 },
    );
    assert.deepEqual(
      second.data.map((d) => d.rank),
      [101, 102],
    );
    assert.equal(second.data[1].user.id, BOB);

    // The owner, first, sees page 1 of 2 with their row marked.
    await openBoard(me);
    const pager = me.getByTestId('public-leaders-pager');
    await pager.getByText('Page 1 of 2').waitFor();
    const first = await rows(me);
    assert.equal(first.length, 100);
    assert.deepEqual(first[0], [E2E_USER, 1, totals[E2E_USER].total_seconds]);
    assert.deepEqual(
      first.map((r) => r[1]),
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    assert.equal(await me.getByRole('button', { name: /Show my rank/ }).count(), 0, 'the owner is on this page');
    await me.getByRole('button', { name: 'Next page' }).click();
    await pager.getByText('Page 2 of 2').waitFor();
    assert.deepEqual(
      await rows(me),
      second.data.map((d) => [d.user.id, d.rank, d.running_total.total_seconds]),
    );
    assert.equal(await me.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    await me.getByRole('button', { name: 'Previous page' }).click();
    await pager.getByText('Page 1 of 2').waitFor();

    // Bob, 102nd, is taken to page 2, where his row is marked.
    const bob = pages[BOB];
    await openBoard(bob);
    assert.match(await bob.getByTestId('my-rank').innerText(), /You are #102\./);
    await bob.getByRole('button', { name: 'Show my rank (page 2)' }).click();
    await bob.getByTestId('public-leaders-pager').getByText('Page 2 of 2').waitFor();
    assert.equal(await bob.locator('tr[aria-current="true"]').getAttribute('data-user'), BOB);
    assert.deepEqual((await rows(bob))[1], [BOB, 102, totals[BOB].total_seconds]);
    await shot(bob, 'leaders-06-page-2');
    await assertAccessible(bob, 'leaderboard, page 2');

    // The extras leave again, so the board is the three users' for what follows.
    await Promise.all(extras.map((user) => asUser(user, 'PUT', '/api/settings', { public: false })));
  });

  test('a user who turns sharing off leaves the board', async () => {
    const bob = pages[BOB];
    await bob.goto(`${stack.baseUrl}/#/settings`);
    await bob.reload();
    const share = bob.getByLabel(/Share my stats publicly/);
    await bob.getByTestId('sharing-status').filter({ hasText: 'Sharing is on' }).waitFor();
    await share.uncheck();
    await bob.getByTestId('sharing-status').filter({ hasText: 'Sharing is off' }).waitFor();

    const me = pages[E2E_USER];
    await openBoard(me);
    await showsUsers(me, [E2E_USER]);
    assert.deepEqual(await rows(me), [[E2E_USER, 1, totals[E2E_USER].total_seconds]]);
    assert.deepEqual(
      (await api(me, 'GET', '/api/v1/leaders')).data.map((d) => d.user.id),
      [E2E_USER],
    );
    await openBoard(bob);
    assert.match(await bob.getByTestId('my-rank').innerText(), /You are not on this board/);
    await shot(me, 'leaders-07-bob-left');
  });
});
