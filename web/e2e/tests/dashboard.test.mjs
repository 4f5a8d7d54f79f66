// The dashboard in Debian's Chromium against the real local stack: data goes in through the real
// ingest API with an API key, the browser signs in through the local OIDC issuer, and every number
// the page shows is checked against what the API answers for the same query.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiGet, basic, ingest, series, waitFor } from './api.mjs';
import {
  SHOTS,
  assertAccessible,
  expectSeconds as showsSeconds,
  launch,
  phoneShot,
  screenshot,
  signIn,
} from './browser.mjs';
import { E2E_USER } from './selectors.mjs';
import { TARGET, startLocal } from './stack.mjs';

const PRICES = JSON.parse(readFileSync(new URL('../../src/prices.json', import.meta.url), 'utf8'));

const DAY = 86_400_000;

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const now = Date.now();
const todayMs = Date.parse(`${isoDay(now)}T00:00:00Z`);
const yesterday = isoDay(todayMs - DAY);
const today = isoDay(todayMs);
const at = (day, hh, mm) => Date.parse(`${day}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`);

const INTELLIJ_UA = 'wakatime/v1.90.0 (linux-6.1-x86_64) go1.22.1 IntelliJ IDEA/2024.1 intellij-wakatime/15.0.0';
const ALPHA = 'devtime-e2e-alpha';
const BETA = 'devtime-e2e-beta';

function heartbeats() {
  return [
    ...series({
      tool: 'vscode',
      startMs: at(yesterday, 9, 0),
      minutes: 60,
      stepMin: 2,
      project: ALPHA,
      language: 'TypeScript',
      entity: '/home/dev/alpha/src/app.ts',
    }),
    ...series({
      tool: 'claude-code',
      startMs: at(yesterday, 10, 30),
      minutes: 30,
      stepMin: 3,
      project: BETA,
      language: 'Python',
      entity: '/home/dev/beta/main.py',
      extra: (i) => ({
        ai_session: 'e2e-claude-session',
        ai_model: 'claude-sonnet-4-5',
        ai_input_tokens: 1200 + i * 10,
        ai_output_tokens: 300 + i,
        ai_cache_read_tokens: 40_000 + i * 100,
        ai_cache_creation_tokens: i === 0 ? 8_000 : 500,
        ai_prompts: i % 2 === 0 ? 1 : 0,
        ai_line_changes: i % 3 === 0 ? 12 : 0,
        human_line_changes: i % 4 === 0 ? 3 : 0,
      }),
    }),
    ...series({
      tool: 'zed',
      startMs: at(yesterday, 14, 0),
      minutes: 20,
      stepMin: 2,
      project: ALPHA,
      language: 'Rust',
      branch: 'feature/lanes',
      entity: '/home/dev/alpha/src/lib.rs',
    }),
    // A WakaTime plugin: no DevTime `tool` field, so the tool comes from the user agent.
    ...series({
      tool: 'vscode',
      startMs: at(yesterday, 16, 0),
      minutes: 20,
      stepMin: 2,
      project: BETA,
      language: 'Java',
      entity: '/home/dev/beta/App.java',
    }).map(({ tool, ...h }) => ({ ...h, user_agent: INTELLIJ_UA })),
    // Today, shortly before now, so a run just after midnight still sends nothing from the future.
    ...series({
      tool: 'vscode',
      startMs: now - 30 * 60_000,
      minutes: 20,
      stepMin: 2,
      project: BETA,
      language: 'Python',
      entity: '/home/dev/beta/util.py',
    }),
  ];
}

describe('DevTime dashboard in Chromium against the local stack', () => {
  let stack;
  let browser;
  let context;
  let page;
  /** What this build of `local` offers; a missing piece skips its tests with a message, never passes them. */
  let oidc = null;
  const missingRoutes = [];
  const shots = [];
  const needs = (t, routes) => {
    if (!oidc) {
      t.skip(
        'not runnable yet: local serves no OIDC issuer (config.json "oidc" is null), and key management and export need a JWT sign-in',
      );
      return false;
    }
    const missing = routes.filter((r) => missingRoutes.includes(r));
    if (missing.length) {
      t.skip(`not runnable yet: local has no ${missing.join(', ')}`);
      return false;
    }
    return true;
  };

  const shot = async (name) => shots.push(await screenshot(page, name));
  const api = (path) => apiGet(stack.baseUrl, stack.apiKey, path);
  const accessible = (view) => assertAccessible(page, view);
  const phone = async (name) => shots.push(await phoneShot(page, name));
  /** Waits until the page shows `expected` in the element's data-seconds (the page re-fetches after each click). */
  const expectSeconds = (selector, expected) => showsSeconds(page, selector, expected);

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const t0 = Date.now();
    stack = await startLocal();
    console.log(`local ready in ${Date.now() - t0} ms at ${stack.baseUrl}`);
    const hbs = heartbeats();
    const t1 = Date.now();
    await ingest(stack.baseUrl, stack.apiKey, hbs);
    // Ingest is asynchronous (queue, then aggregator): wait until every heartbeat is in a session.
    await waitFor('all heartbeats aggregated', async () => {
      const s = await api(`/api/sessions?start=${yesterday}&end=${today}`);
      const counted = s.sessions.reduce((a, x) => a + x.heartbeat_count, 0);
      return counted === hbs.length || { counted, sent: hbs.length };
    });
    console.log(`${hbs.length} heartbeats ingested and aggregated in ${Date.now() - t1} ms`);
    oidc = (await (await fetch(`${stack.baseUrl}/config.json`)).json()).oidc ?? null;
    // A route that exists answers an unauthenticated call with 401; an unknown one with 404.
    for (const r of [
      'GET /api/keys',
      'POST /api/auth/token',
      'DELETE /api/keys/{id}',
      'GET /api/export',
      'GET /api/settings',
      'DELETE /api/account',
    ]) {
      const [method, path] = r.split(' ');
      const res = await fetch(`${stack.baseUrl}${path.replace('{id}', 'probe')}`, { method });
      if (res.status === 404) missingRoutes.push(r);
    }
    console.log(`local: OIDC ${oidc ? oidc.authority : 'none'}; missing routes: ${missingRoutes.join(', ') || 'none'}`);
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
    page = await context.newPage();
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    const t = Date.now();
    await stack?.stop();
    console.log(`local stopped in ${Date.now() - t} ms`);
    console.log(`screenshots (${shots.length}) in ${SHOTS}`);
  });

  test('signs in through the local OIDC issuer', async (t) => {
    await page.goto(stack.baseUrl);
    await page.getByRole('heading', { name: 'DevTime' }).waitFor();
    await shot('01-sign-in');
    await accessible('sign-in');
    if (!oidc) {
      // The dashboard's own fallback for a server without an issuer: the API key as the credential.
      await page.getByLabel('API key').fill(stack.apiKey);
      await page.getByRole('button', { name: 'Open dashboard' }).click();
      await page.getByRole('navigation', { name: 'Sections' }).waitFor({ timeout: 15_000 });
      t.skip(
        'not runnable yet: local serves no OIDC issuer (config.json "oidc" is null); signed in with the API key instead',
      );
      return;
    }
    await signIn(page, E2E_USER, () => shot('02-issuer-login'));
    assert.match(await page.locator('.brand').innerText(), /DevTime/);
  });

  test('shows the same totals and breakdowns as the API', async () => {
    await page.getByLabel('From', { exact: true }).fill(yesterday);
    await page.getByLabel('To', { exact: true }).fill(today);
    await page.getByRole('button', { name: 'Show range' }).click();
    const stats = await api(`/api/stats?start=${yesterday}&end=${today}`);
    assert.ok(stats.total_seconds > 0, 'the API counts the ingested heartbeats');
    await expectSeconds('[data-testid="total"]', stats.total_seconds);
    for (const [dim, map] of [
      ['project', stats.by_project],
      ['tool', stats.by_tool],
      ['language', stats.by_language],
    ]) {
      const names = await page
        .locator(`[data-testid="breakdown-${dim}"] tbody tr`)
        .evaluateAll((rows) => rows.map((r) => r.dataset.name));
      assert.deepEqual(new Set(names), new Set(Object.keys(map).filter((k) => map[k] > 0)), `${dim} rows`);
      for (const [name, seconds] of Object.entries(map)) {
        if (seconds > 0)
          await expectSeconds(`[data-testid="breakdown-${dim}"] tr[data-name="${name}"] td[data-seconds]`, seconds);
      }
    }
    // Tool ids are named from the table the server uses: the WakaTime plugin's `intellij` is "IntelliJ IDEA".
    assert.equal(
      await page.locator('[data-testid="breakdown-tool"] tr[data-name="intellij"] th').innerText(),
      'IntelliJ IDEA',
    );
    // The daily chart's axis is in h:mm.
    // The x ticks are the days (MM-DD); every other tick is on the time axis.
    const tick = page.locator('[data-testid="daily-chart"] .recharts-cartesian-axis-tick-value');
    await tick.first().waitFor();
    const ticks = (await tick.allTextContents()).filter((t) => !/^\d{2}-\d{2}$/.test(t));
    assert.ok(ticks.length > 1 && ticks.every((t) => /^\d+:\d{2}$/.test(t)), `y ticks in h:mm: ${ticks}`);
    // "Daily average" divides by the days with activity.
    const active = stats.by_day.filter((d) => d.seconds > 0).length;
    await expectSeconds('[data-testid="daily-average"]', stats.total_seconds / active);
    assert.match(
      await page.getByTestId('active-days').innerText(),
      new RegExp(`over ${active} days? with activity \\(of ${stats.by_day.length}\\)`),
    );
    await shot('03-overview');
    await accessible('overview');
    await phone('04-overview-phone');
  });

  test('names the ranges for what they are and offers the calendar week', async () => {
    for (const name of ['Today', 'This week', 'Last 7 days', 'Last 30 days', 'Last 365 days', 'All time']) {
      await page.getByRole('button', { name, exact: true }).waitFor();
    }
    await page.getByRole('button', { name: 'This week', exact: true }).click();
    const monday = new Date(todayMs - ((new Date(todayMs).getUTCDay() + 6) % 7) * DAY);
    const week = await api(`/api/stats?start=${isoDay(monday.getTime())}&end=${today}`);
    await expectSeconds('[data-testid="total"]', week.total_seconds);
    assert.match(await page.locator('.range-note').innerText(), new RegExp(`^${isoDay(monday.getTime())} to ${today}`));
    await page.getByRole('button', { name: 'Last 7 days', exact: true }).click();
    const last7 = await api('/api/stats?range=week');
    await expectSeconds('[data-testid="total"]', last7.total_seconds);
    assert.equal(last7.by_day.length, 7);
  });

  test('stacks the daily bars by project, with a legend that filters', async () => {
    await page.getByLabel('From', { exact: true }).fill(yesterday);
    await page.getByLabel('To', { exact: true }).fill(today);
    await page.getByRole('button', { name: 'Show range' }).click();
    const summaries = await api(`/api/v1/users/current/summaries?start=${yesterday}&end=${today}`);
    const dayOf = (date) => summaries.data.find((d) => d.range.date === date);
    const legend = page.getByTestId('legend');
    await legend.locator('button').first().waitFor();
    const keys = await legend.locator('button').evaluateAll((b) => b.map((x) => x.dataset.key));
    assert.deepEqual(new Set(keys), new Set([ALPHA, BETA]));
    await page.getByText('Daily totals as a table').click();
    // One stacked segment per project and day, each as the API counts it; together they make the day.
    for (const date of [yesterday, today]) {
      for (const p of [ALPHA, BETA]) {
        const want = dayOf(date).projects.find((x) => x.name === p)?.total_seconds ?? 0;
        await expectSeconds(`[data-testid="daily-table"] tr[data-date="${date}"] td[data-key="${p}"]`, want);
      }
      const total = Number(
        await page
          .locator(`[data-testid="daily-table"] tr[data-date="${date}"] td`)
          .first()
          .getAttribute('data-seconds'),
      );
      assert.ok(
        Math.abs(dayOf(date).projects.reduce((a, x) => a + x.total_seconds, 0) - total) < 0.01,
        `${date}: the stacks sum to the day`,
      );
    }
    assert.ok(
      (await page.locator('[data-testid="daily-chart"] .recharts-bar-rectangle').count()) >= 3,
      'stacked segments are drawn',
    );
    await shot('03b-overview-stacked');
    // The legend hides a project from the chart and the table.
    await legend.getByRole('button', { name: ALPHA }).click();
    assert.equal(await legend.getByRole('button', { name: ALPHA }).getAttribute('aria-pressed'), 'false');
    await page.locator(`[data-testid="daily-table"] td[data-key="${ALPHA}"]`).first().waitFor({ state: 'detached' });
    assert.ok((await page.locator(`[data-testid="daily-table"] td[data-key="${BETA}"]`).count()) > 0);
    await legend.getByRole('button', { name: ALPHA }).click();
    // Stacked by language instead.
    await page.getByLabel('Stack by').selectOption('language');
    await legend.locator('button[data-key="Rust"]').waitFor();
    const languages = await legend.locator('button').evaluateAll((b) => b.map((x) => x.dataset.key));
    const stats = await api(`/api/stats?start=${yesterday}&end=${today}`);
    assert.deepEqual(new Set(languages), new Set(Object.keys(stats.by_language)));
    await accessible('overview, stacked by language');
    await page.getByText('Daily totals as a table').click();
  });

  test('shows the last 365 days as a calendar that opens a day', async () => {
    const year = await api('/api/stats?range=year');
    const map = page.getByTestId('heatmap');
    await map.waitFor();
    const cells = await map
      .locator('[data-date]')
      .evaluateAll((cs) => cs.map((c) => [c.dataset.date, Number(c.dataset.seconds)]));
    assert.deepEqual(
      cells,
      year.by_day.map((d) => [d.date, d.seconds]),
      'one cell per day of the API answer, in order',
    );
    // The busiest day is the darkest; an empty day is level 0.
    const busiest = year.by_day.reduce((a, d) => (d.seconds > a.seconds ? d : a));
    assert.match(await map.locator(`[data-date="${busiest.date}"]`).getAttribute('class'), /heat-4/);
    assert.match(await map.locator(`[data-date="${year.by_day[0].date}"]`).getAttribute('class'), /heat-0/);
    // Its table: the months' totals.
    await page.getByText('Months as a table').click();
    const month = yesterday.slice(0, 7);
    const want = year.by_day.filter((d) => d.date.startsWith(month)).reduce((a, d) => a + d.seconds, 0);
    const shown = Number(
      await page.locator(`[data-testid="months"] tr[data-month="${month}"] td`).first().getAttribute('data-seconds'),
    );
    assert.ok(Math.abs(shown - want) < 0.01, `${month}: ${shown} s shown, ${want} s in the API`);
    await shot('03d-overview-year');
    await page.getByText('Months as a table').click();
    await map.locator(`[data-date="${yesterday}"]`).click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    assert.equal(await page.locator('.day-nav input[type="date"]').inputValue(), yesterday);
    await page.goBack();
    await page.getByTestId('heatmap').waitFor();
  });

  test('can be driven from the keyboard', async () => {
    // A fresh load, as a keyboard user arrives (the session survives in sessionStorage).
    await page.goto(`${stack.baseUrl}/#/overview`);
    await page.reload();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    // The first control after the skip target is the range picker; Enter on "Today" selects it.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Today');
    await page.keyboard.press('Enter');
    assert.equal(await page.getByRole('button', { name: 'Today' }).getAttribute('aria-pressed'), 'true');
    // Today is shown as the hours of the day, and the hours add up to the day's total.
    await page.getByRole('heading', { name: `Hours of ${today}` }).waitFor();
    const todayStats = await api('/api/stats?range=today');
    await page.getByText('Hours as a table').click();
    const hourRows = page.locator('[data-testid="daily-table"] tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="daily-table"] tbody tr').length === 24);
    const hourly = await hourRows.evaluateAll((rs) => rs.map((r) => Number(r.querySelector('td').dataset.seconds)));
    assert.ok(todayStats.total_seconds > 0);
    assert.ok(
      Math.abs(hourly.reduce((a, x) => a + x, 0) - todayStats.total_seconds) < 0.01,
      `hours ${hourly} sum to ${todayStats.total_seconds}`,
    );
    await shot('03c-overview-today-hours');
    await accessible('overview, today');
    await page.getByText('Hours as a table').click();
    // Back to the range the other tests use.
    await page.getByLabel('From', { exact: true }).fill(yesterday);
    await page.getByLabel('To', { exact: true }).fill(today);
    await page.getByRole('button', { name: 'Show range' }).click();
    await page.getByTestId('total').waitFor();
  });

  test('filters every breakdown by a project', async () => {
    await page.getByRole('button', { name: `Filter by project ${ALPHA}` }).click();
    await page.getByRole('button', { name: `Remove filter project ${ALPHA}` }).waitFor();
    const stats = await api(`/api/stats?start=${yesterday}&end=${today}&project=${ALPHA}`);
    const all = await api(`/api/stats?start=${yesterday}&end=${today}`);
    assert.ok(stats.total_seconds > 0 && stats.total_seconds < all.total_seconds, 'the filter narrows the API answer');
    await expectSeconds('[data-testid="total"]', stats.total_seconds);
    const tools = await page
      .locator('[data-testid="breakdown-tool"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.dataset.name));
    assert.deepEqual(new Set(tools), new Set(Object.keys(stats.by_tool).filter((k) => stats.by_tool[k] > 0)));
    assert.ok(!tools.includes('claude-code'), 'Claude Code only worked on the other project');
    await shot('05-overview-filtered');
    await page.getByRole('button', { name: 'Clear all filters' }).click();
    await expectSeconds('[data-testid="total"]', all.total_seconds);
  });

  test('opens a page per project from its name', async () => {
    await page.getByRole('link', { name: `Open the page of project ${BETA}` }).click();
    await page.getByTestId('project-name').filter({ hasText: BETA }).waitFor();
    const stats = await api(`/api/stats?start=${yesterday}&end=${today}&project=${BETA}`);
    await expectSeconds('[data-testid="total"]', stats.total_seconds);
    for (const [dim, map] of [
      ['language', stats.by_language],
      ['branch', stats.by_branch],
      ['tool', stats.by_tool],
    ]) {
      const names = await page
        .locator(`[data-testid="breakdown-${dim}"] tbody tr`)
        .evaluateAll((rows) => rows.map((r) => r.dataset.name));
      assert.deepEqual(new Set(names), new Set(Object.keys(map).filter((k) => map[k] > 0)), `${dim} rows of ${BETA}`);
    }
    // AI share: Claude Code's time on this project is its "ai coding" category.
    assert.ok(stats.by_category['ai coding'] > 0);
    await expectSeconds('[data-testid="project-ai-seconds"]', stats.by_category['ai coding']);
    assert.match(
      await page.getByTestId('project-ai-lines').innerText(),
      new RegExp(`^${stats.ai.ai_line_changes} of ${stats.ai.ai_line_changes + stats.ai.human_line_changes}`),
    );
    // Its daily bars are this project only.
    await page.getByTestId('legend').locator('button').first().waitFor();
    const legend = await page
      .getByTestId('legend')
      .locator('button')
      .evaluateAll((b) => b.map((x) => x.dataset.key));
    assert.deepEqual(legend, [BETA]);
    // Its files with their time, as the WakaTime API lists them for this one project; they sum to its time.
    const summaries = await api(
      `/api/v1/users/current/summaries?start=${yesterday}&end=${today}&project=${encodeURIComponent(BETA)}`,
    );
    const files = {};
    for (const d of summaries.data) for (const e of d.entities) files[e.name] = (files[e.name] ?? 0) + e.total_seconds;
    assert.ok(files['/home/dev/beta/App.java'] > 0 && files['/home/dev/beta/main.py'] > 0, JSON.stringify(files));
    assert.ok(
      Math.abs(Object.values(files).reduce((a, v) => a + v, 0) - stats.total_seconds) < 0.01,
      JSON.stringify(files),
    );
    await page.getByTestId('files-table').waitFor();
    const shown = await page
      .locator('[data-testid="files-table"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.dataset.name));
    assert.deepEqual(shown.toSorted(), Object.keys(files).toSorted());
    for (const [name, seconds] of Object.entries(files))
      await expectSeconds(`[data-testid="files-table"] tr[data-name="${name}"] td[data-seconds]`, seconds);
    assert.equal(await page.getByTestId('files-note').count(), 0, 'no note when the files hold all of the time');
    await shot('05b-project');
    await accessible('project');
    await phone('05c-project-phone');
    // The sessions table of a day links to the project too.
    await page.goto(`${stack.baseUrl}/#/timeline/${yesterday}`);
    await page.locator('[data-testid="sessions"]').getByRole('link', { name: ALPHA }).first().click();
    await page.getByTestId('project-name').filter({ hasText: ALPHA }).waitFor();
    await page.goto(`${stack.baseUrl}/#/overview`);
    await page.getByTestId('total').waitFor();
  });

  test("opens a day's timeline with one lane per tool", async () => {
    await page.getByText('Daily totals as a table').click();
    await page.getByRole('link', { name: yesterday }).click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    const dayStats = await api(`/api/stats?start=${yesterday}&end=${yesterday}`);
    const { sessions } = await api(`/api/sessions?date=${yesterday}`);
    await expectSeconds('[data-testid="day-total"]', dayStats.total_seconds);
    // A lane per tool used that day, in the order of first use, named from the shared tool table.
    const lanes = await page.locator('.lane[data-tool]').evaluateAll((ls) => ls.map((l) => l.dataset.tool));
    assert.deepEqual(lanes, ['vscode', 'claude-code', 'zed', 'intellij']);
    assert.match(await page.locator('.lane[data-tool="intellij"] .lane-name').innerText(), /^IntelliJ IDEA/);
    for (const tool of lanes) {
      const want = sessions.filter((s) => s.tool === tool && s.date === yesterday).length;
      assert.equal(await page.locator(`.lane[data-tool="${tool}"] li`).count(), want, `${tool} lane blocks`);
    }
    // The page says why the sessions' sum and the day's total differ, and shows both.
    const sessionSum = sessions.filter((s) => s.date === yesterday).reduce((a, s) => a + s.duration, 0);
    await expectSeconds('[data-testid="session-total"]', sessionSum);
    assert.match(await page.getByTestId('totals-note').innerText(), /WakaTime's rule/);
    const hours = await page.locator('.tick').allInnerTexts();
    assert.deepEqual(hours, ['0:00', '3:00', '6:00', '9:00', '12:00', '15:00', '18:00', '21:00', '24:00']);
    assert.equal(
      await page.locator('[data-testid="sessions"] tbody tr').count(),
      sessions.filter((s) => s.date === yesterday).length,
    );
    await shot('06-timeline');
    await accessible('timeline');
    await phone('07-timeline-phone');
  });

  test('shows AI usage equal to the API', async () => {
    await page.getByRole('link', { name: 'AI usage' }).click();
    const stats = await api(`/api/stats?start=${yesterday}&end=${today}`);
    assert.ok(stats.ai.tokens_in > 0);
    const digits = async (id) => (await page.getByTestId(id).innerText()).replace(/\D/g, '');
    await page.getByTestId('tokens-in').waitFor();
    assert.equal(await digits('tokens-in'), String(stats.ai.tokens_in));
    assert.equal(await digits('tokens-out'), String(stats.ai.tokens_out));
    assert.equal(await digits('prompts'), String(stats.ai.prompts));
    assert.ok(stats.ai.ai_line_changes > 0 && stats.ai.human_line_changes > 0);
    assert.equal(
      (await page.getByTestId('line-changes').innerText()).replace(/[^\d/]/g, ''),
      `${stats.ai.ai_line_changes}/${stats.ai.human_line_changes}`,
    );
    // Cache tokens, and the estimated cost from the price table in the repository.
    assert.ok(stats.ai.cache_read_tokens > 0 && stats.ai.cache_creation_tokens > 0);
    assert.equal(await digits('cache-read'), String(stats.ai.cache_read_tokens));
    assert.equal(await digits('cache-creation'), String(stats.ai.cache_creation_tokens));
    const p = PRICES.models['claude-sonnet-4-5'];
    const m = stats.ai.by_model['claude-sonnet-4-5'];
    const usd =
      (m.tokens_in * p.input +
        m.tokens_out * p.output +
        m.cache_creation_tokens * p.cache_creation +
        m.cache_read_tokens * p.cache_read) /
      1e6;
    assert.ok(usd > 0);
    const shownUsd = async (sel) => Number(await page.locator(sel).first().getAttribute('data-usd'));
    assert.ok(Math.abs((await shownUsd('[data-testid="cost"]')) - usd) < 1e-9, 'total cost');
    assert.ok(
      Math.abs((await shownUsd('[data-testid="ai-models"] tr[data-name="claude-sonnet-4-5"] td[data-usd]')) - usd) <
        1e-9,
      'cost by model',
    );
    await page.locator('[data-testid="cost-by-tool"] tr[data-name="claude-code"]').waitFor();
    assert.ok(
      Math.abs((await shownUsd('[data-testid="cost-by-tool"] tr[data-name="claude-code"] td')) - usd) < 1e-9,
      'cost by tool',
    );
    await page.locator(`[data-testid="cost-by-project"] tr[data-name="${BETA}"]`).waitFor();
    assert.ok(
      Math.abs((await shownUsd(`[data-testid="cost-by-project"] tr[data-name="${BETA}"] td`)) - usd) < 1e-9,
      'cost by project',
    );
    assert.equal(
      await page.locator(`[data-testid="cost-by-project"] tr[data-name="${ALPHA}"]`).count(),
      0,
      'no AI tokens on the other project',
    );
    // AI time beside human time.
    await expectSeconds('[data-testid="ai-time"]', stats.by_category['ai coding']);
    await shot('08-ai-usage');
    await accessible('AI usage');
  });

  test('sets a goal, shows its progress as the API does, edits, pauses and deletes it', async (t) => {
    if (!needs(t, [])) return;
    await page.getByRole('link', { name: 'Overview' }).click();
    const goals = page.getByTestId('goals');
    await goals.getByRole('button', { name: 'New goal' }).click();
    await goals.getByLabel('Title (optional)').fill('E2E daily');
    await goals.getByLabel('Hours').fill('0');
    await goals.getByLabel('Minutes').fill('10');
    await goals.getByLabel('Only projects (comma-separated)').fill(BETA);
    await goals.getByLabel('Saturday').check();
    await goals.getByRole('button', { name: 'Save goal' }).click();
    await goals.getByText('Goal created').waitFor();
    const item = goals.locator('[data-testid="goal"][data-title="E2E daily"]');
    await item.waitFor();

    // What wakatime-cli and other WakaTime tools read with the API key.
    const { data } = await api('/api/v1/users/current/goals');
    const goal = data.find((g) => g.title === 'E2E daily');
    assert.ok(goal, `the goal is listed: ${JSON.stringify(data)}`);
    assert.deepEqual([goal.delta, goal.seconds, goal.projects, goal.ignore_days], ['day', 600, [BETA], ['saturday']]);
    assert.equal(goal.chart_data.length, 7);
    assert.equal(goal.chart_data[6].actual_seconds, goal.progress.actual_seconds);
    await expectSeconds('[data-title="E2E daily"] [data-testid="goal-actual"]', goal.progress.actual_seconds);
    assert.equal(await item.getByTestId('goal-streak').innerText(), String(goal.progress.streak));
    await shot('09-goals');
    await accessible('goals');
    await phone('09-goals-phone');

    await goals.getByRole('button', { name: 'Pause E2E daily' }).click();
    await goals.getByRole('button', { name: 'Resume E2E daily' }).waitFor();
    await item.getByText('Paused').waitFor();
    assert.equal((await api(`/api/v1/users/current/goals/${goal.id}`)).data.is_enabled, false);

    await goals.getByRole('button', { name: 'Edit E2E daily' }).click();
    await goals.getByLabel('Period').selectOption('week');
    await goals.getByLabel('Minutes').fill('20');
    await goals.getByRole('button', { name: 'Save goal' }).click();
    await goals.getByText('Goal saved').waitFor();
    const edited = (await api(`/api/v1/users/current/goals/${goal.id}`)).data;
    assert.deepEqual([edited.delta, edited.seconds, edited.is_enabled, edited.ignore_days], ['week', 1200, false, []]);
    await item.getByText('this week').waitFor();

    await goals.getByRole('button', { name: 'Delete E2E daily' }).click();
    await goals.getByRole('button', { name: 'Yes, delete' }).click();
    await item.waitFor({ state: 'detached' });
    assert.equal(
      (await api('/api/v1/users/current/goals')).data.some((g) => g.id === goal.id),
      false,
    );
  });

  test('creates, copies and revokes an API key', async (t) => {
    if (!needs(t, ['GET /api/keys', 'POST /api/auth/token', 'DELETE /api/keys/{id}'])) return;
    await page.getByRole('link', { name: 'API keys & setup' }).click();
    await page.getByLabel('Label', { exact: true }).fill('e2e laptop');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-key').innerText()).trim();
    assert.match(key, /^(waka_)?[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await page.getByRole('button', { name: 'Copy the new API key' }).click();
    await page.getByText('Copied', { exact: true }).first().waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
    // The snippets now carry the new key and this server's URL.
    assert.match(
      await page.locator('[data-snippet="wakatime"] pre').innerText(),
      new RegExp(`api_url = ${stack.baseUrl}/api/v1\\s+api_key = ${key}`),
    );

    const send = (k) =>
      fetch(`${stack.baseUrl}/api/v1/users/current/heartbeats.bulk`, {
        method: 'POST',
        headers: { Authorization: basic(k), 'Content-Type': 'application/json' },
        body: JSON.stringify(
          series({
            tool: 'vscode',
            startMs: Date.now() - 60_000,
            minutes: 0,
            stepMin: 1,
            project: ALPHA,
            language: 'TypeScript',
            entity: '/home/dev/alpha/key.ts',
          }),
        ),
      });
    assert.equal((await send(key)).status, 202, 'the new key is accepted by ingest');
    const row = page.locator('[data-testid="keys"] tbody tr', { hasText: 'e2e laptop' });
    await row.waitFor();
    await shot('09-keys');
    await accessible('keys');
    await phone('10-keys-phone');

    await page.getByRole('button', { name: 'Revoke e2e laptop' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await send(key)).status, 401, 'a revoked key is refused');
  });

  test('exports JSON and CSV', async (t) => {
    if (!needs(t, ['GET /api/export'])) return;
    await page.getByRole('link', { name: 'Settings' }).click();
    const save = async (button) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: button }).click(),
      ]);
      const file = join(TARGET, download.suggestedFilename());
      await download.saveAs(file);
      return readFileSync(file, 'utf8');
    };
    const doc = JSON.parse(await save('Export JSON'));
    const projects = new Set(doc.heartbeats.map((h) => h.project));
    assert.ok(projects.has(ALPHA) && projects.has(BETA), 'the JSON export holds both projects');
    assert.ok(
      doc.heartbeats.length >= heartbeats().length,
      `the JSON export holds every heartbeat (${doc.heartbeats.length})`,
    );
    assert.ok(!('next' in doc), 'the pages are joined into one document');
    await page.getByTestId('data-status').filter({ hasText: 'Export downloaded (JSON' }).waitFor();

    await page.getByLabel('CSV table').selectOption('heartbeats');
    const csv = (await save('Export CSV')).trim().split('\n');
    assert.match(csv[0], /project/);
    assert.equal(csv.length - 1, doc.heartbeats.length, 'one CSV row per heartbeat of the JSON export');
    await page.getByTestId('data-status').filter({ hasText: 'Export downloaded (CSV' }).waitFor();
    await shot('11-export');
  });

  test('turns public sharing on and off in Settings, with the badge Markdown and a preview', async (t) => {
    if (!needs(t, ['GET /api/settings'])) return;
    await page.getByRole('link', { name: 'Settings' }).click();
    const box = page.getByLabel(/Share my stats publicly/);
    await page.getByTestId('sharing-status').filter({ hasText: 'Sharing is off' }).waitFor();
    assert.equal(await box.isChecked(), false);
    await box.check();
    await page.getByTestId('sharing-status').filter({ hasText: 'Sharing is on' }).waitFor();
    const markdown = await page.getByTestId('badge-markdown').innerText();
    const badge = markdown.match(/\((http[^)]+\/api\/badge\/[^)]+\/svg)\)/)?.[1];
    assert.ok(badge?.startsWith(`${stack.baseUrl}/api/badge/`), `badge URL in ${markdown}`);
    const res = await fetch(badge);
    assert.equal(res.status, 200, 'the badge is public once sharing is on');
    assert.match(res.headers.get('content-type'), /image\/svg\+xml/);
    await page.waitForFunction(() => document.querySelector('[data-testid="badge-preview"]')?.naturalWidth > 0);
    await shot('11b-settings-sharing');
    await accessible('settings, sharing on');
    await page.reload();
    await page.getByTestId('sharing-status').filter({ hasText: 'Sharing is on' }).waitFor();
    await page.getByLabel(/Share my stats publicly/).uncheck();
    await page.getByTestId('sharing-status').filter({ hasText: 'Sharing is off' }).waitFor();
    assert.equal((await fetch(badge)).status, 404, 'the badge is gone once sharing is off');
  });

  test('saves settings', async (t) => {
    if (!needs(t, ['GET /api/settings'])) return;
    await page.getByRole('link', { name: 'Settings' }).click();
    const timeout = page.getByLabel('Timeout (minutes)');
    await timeout.fill('20');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Tracking and privacy' }).waitFor();
    await page.getByLabel('Timeout (minutes)').waitFor();
    assert.equal(
      await page.getByLabel('Timeout (minutes)').inputValue(),
      '20',
      'the saved timeout comes back from the server',
    );
    await shot('12-settings');
    await accessible('settings');
    await phone('13-settings-phone');
  });

  test('follows a dark system setting, and no page has a serious accessibility violation in either theme', async () => {
    const pages = [
      ['overview', '#/overview', () => page.getByTestId('total').waitFor()],
      ['project', `#/project/${encodeURIComponent(BETA)}`, () => page.getByTestId('project-name').waitFor()],
      ['timeline', `#/timeline/${yesterday}`, () => page.getByTestId('sessions').waitFor()],
      ['ai', '#/ai', () => page.getByTestId('cost').waitFor()],
      ['keys', '#/keys', () => page.getByRole('heading', { level: 1 }).waitFor()],
      ['settings', '#/settings', () => page.getByTestId('sharing-status').waitFor()],
    ];
    for (const scheme of ['dark', 'light']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [name, hash, ready] of pages) {
        await page.goto(`${stack.baseUrl}/${hash}`);
        await ready();
        await page.waitForLoadState('networkidle');
        await accessible(`${name} (${scheme})`);
        if (scheme === 'dark') await shot(`20-dark-${name}`);
      }
      const rootBg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      const lum = (rootBg.match(/\d+/g) ?? [])
        .slice(0, 3)
        .map(Number)
        .reduce((a, x) => a + x, 0);
      assert.ok(scheme === 'dark' ? lum < 150 : lum > 600, `${scheme}: page background ${rootBg}`);
    }
  });

  test('deletes the account after confirmation', async (t) => {
    if (!needs(t, ['DELETE /api/account'])) return;
    await page.getByRole('link', { name: 'Settings' }).click();
    const button = page.getByRole('button', { name: 'Delete my account' });
    assert.equal(await button.isDisabled(), true, 'disabled until the phrase is typed');
    await page.getByLabel('Type delete my account to confirm').fill('delete my account');
    await button.click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
    // Each warm container keeps a key it looked up for the key cache time (60 s), as in AWS: every instance
    // refuses it by then.
    let status;
    for (const end = Date.now() + 75_000; Date.now() < end; await new Promise((r) => setTimeout(r, 1000))) {
      status = (
        await fetch(`${stack.baseUrl}/api/stats?range=all`, { headers: { Authorization: basic(stack.apiKey) } })
      ).status;
      if (status === 401) break;
    }
    assert.equal(status, 401, 'the account keys are gone');
  });
});
