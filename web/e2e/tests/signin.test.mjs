// Sign-in, session renewal and sign-out in Chromium, against the local issuer that answers as Cognito's
// hosted domain does: the requests checked here are the ones AWS will see from the same dashboard.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { SHOTS, assertAccessible, launch, screenshot } from './browser.mjs';
import { E2E_USER, LOGIN } from './selectors.mjs';
import { startLocal } from './stack.mjs';
/** Access tokens this short show renewal within the test; the gateway still checks expiry with 60 s of skew. */
const LIFETIME_S = 4;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('Sign-in, renewal and sign-out against the local issuer', () => {
  let stack;
  let browser;
  let page;
  let oidc;
  /** Every request the page makes: method, URL, headers and form body. */
  const requests = [];
  const shot = (name) => screenshot(page, name);
  const tokenRequests = (from, grant) =>
    requests
      .slice(from)
      .filter(
        (r) => r.url === `${oidc.domain}/oauth2/token` && new URLSearchParams(r.body).get('grant_type') === grant,
      );
  const bearers = (from) =>
    requests
      .slice(from)
      .filter((r) => r.url.startsWith(`${stack.baseUrl}/api/`) && r.headers.authorization)
      .map((r) => r.headers.authorization);

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startLocal({
      jvmArgs: [`-Ddevtime.oidc.access-token-seconds=${LIFETIME_S}`],
      logName: 'local-signin',
    });
    oidc = (await (await fetch(`${stack.baseUrl}/config.json`)).json()).oidc;
    browser = await launch();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('request', (r) =>
      requests.push({ method: r.method(), url: r.url(), headers: r.headers(), body: r.postData() ?? '' }),
    );
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await stack?.stop();
  });

  test("signs in on DevTime's own page, which loads nothing from other hosts", async () => {
    assert.ok(oidc?.domain, 'config.json names the sign-in domain');
    await page.goto(stack.baseUrl);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(LOGIN.username).waitFor({ timeout: 15_000 });
    assert.equal(new URL(page.url()).origin, oidc.domain);
    assert.match(await page.locator(LOGIN.hint).innerText(), /Sign in as local to see the default key's data/);
    await shot('signin-01-page');
    await assertAccessible(page, 'sign-in page');

    await page.locator(LOGIN.username).fill(E2E_USER);
    await page.locator(LOGIN.submit).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor({ timeout: 15_000 });
    const hosts = new Set(requests.map((r) => new URL(r.url).origin));
    assert.deepEqual(
      [...hosts].sort(),
      [stack.baseUrl, oidc.domain].sort(),
      'only the dashboard and the sign-in server',
    );
    const [exchange] = tokenRequests(0, 'authorization_code');
    assert.ok(exchange, 'the code is exchanged at the token endpoint');
    const form = new URLSearchParams(exchange.body);
    assert.ok(form.get('code_verifier'), 'with its PKCE verifier');
    assert.equal(form.get('redirect_uri'), `${stack.baseUrl}/`);
  });

  test('renews the session with the refresh token once the access token has expired', async () => {
    const first = bearers(0).at(-1);
    assert.ok(first, 'the dashboard called the API with its access token');
    // The dashboard judges expiry by when it received the token, which a loaded machine may delay: a margin.
    await sleep((LIFETIME_S + 2) * 1000);
    const mark = requests.length;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Tracking and privacy' }).waitFor({ timeout: 15_000 });
    // The page shows before its data: wait for the renewal and for the API calls that waited on it.
    let refreshes = [];
    for (const end = Date.now() + 15_000; Date.now() < end; await sleep(100)) {
      refreshes = tokenRequests(mark, 'refresh_token');
      if (refreshes.length && bearers(requests.indexOf(refreshes[0]) + 1).length) break;
    }
    // One for the calls that found the token expired (another only if this slow machine let the new one expire too).
    assert.ok(refreshes.length >= 1, 'the expired token was renewed with the refresh token');
    const form = new URLSearchParams(refreshes[0].body);
    assert.equal(form.get('client_id'), oidc.clientId);
    assert.ok(form.get('refresh_token'));
    // Calls sent before the renewal may still carry the old token (the gateway allows 60 s of clock skew).
    const used = bearers(requests.indexOf(refreshes[0]) + 1);
    assert.ok(used.length > 0 && used.every((b) => b !== first), 'the API calls after it carry the new access token');

    // A reload after expiry keeps the session too: the stored refresh token renews it.
    await sleep((LIFETIME_S + 2) * 1000);
    const reload = requests.length;
    await page.reload();
    await page.getByRole('heading', { name: 'Tracking and privacy' }).waitFor({ timeout: 15_000 });
    assert.ok(tokenRequests(reload, 'refresh_token').length >= 1, 'renewed after the reload');
    assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 0, 'still signed in');
  });

  test("signs out through Cognito's /logout with client_id and logout_uri", async () => {
    const mark = requests.length;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
    const logout = requests.slice(mark).find((r) => r.url.startsWith(`${oidc.domain}/logout?`));
    assert.ok(logout, `the browser went to ${oidc.domain}/logout`);
    assert.deepEqual(Object.fromEntries(new URL(logout.url).searchParams), {
      client_id: oidc.clientId,
      logout_uri: `${stack.baseUrl}/`,
    });
    assert.equal(page.url(), `${stack.baseUrl}/`, '/logout sent the browser back to the dashboard');
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await shot('signin-02-signed-out');
  });
});
