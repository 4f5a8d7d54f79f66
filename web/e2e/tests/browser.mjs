// Chromium, the signed-in dashboard, screenshots and the accessibility check, shared by the browser tests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { LOGIN } from './selectors.mjs';
import { TARGET } from './stack.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const SHOTS = join(TARGET, 'screenshots');

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** A page of its own browser context, signed in as `user` through the local issuer's sign-in page. */
export async function signedIn(browser, baseUrl, user) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`page error (${user}): ${e.message}`));
  await page.goto(baseUrl);
  await signIn(page, user);
  return page;
}

/**
 * From the dashboard's sign-in screen through the local issuer's sign-in page to the signed-in dashboard;
 * `onLoginPage` runs on the issuer's page with the user name filled in.
 */
export async function signIn(page, user, onLoginPage = async () => {}) {
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator(LOGIN.username).waitFor({ timeout: 15_000 });
  await page.locator(LOGIN.username).fill(user);
  await onLoginPage();
  await page.locator(LOGIN.submit).first().click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor({ timeout: 15_000 });
}

/** The access token the dashboard holds (oidc-client-ts keeps the user in sessionStorage), to ask the API what the page should show. */
export async function accessToken(page) {
  const token = await page.evaluate(() => {
    for (let i = 0; i < sessionStorage.length; i++) {
      const k = sessionStorage.key(i);
      if (k?.startsWith('oidc.user:')) return JSON.parse(sessionStorage.getItem(k)).access_token;
    }
    return null;
  });
  assert.ok(token, 'the dashboard holds an access token');
  return token;
}

export async function screenshot(page, name) {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}

/** Phone width: a full-page screenshot and no sideways scrolling; back to the desktop width after. */
export async function phoneShot(page, name) {
  await page.setViewportSize({ width: 360, height: 800 });
  const path = await screenshot(page, name);
  assert.ok(
    (await page.evaluate(() => document.documentElement.scrollWidth)) <= 360,
    `${name}: no horizontal scroll at 360 px`,
  );
  await page.setViewportSize({ width: 1280, height: 900 });
  return path;
}

/** axe-core's WCAG 2 A/AA rules on the current view: no serious or critical violation. */
export async function assertAccessible(page, view) {
  // Evaluated over the DevTools protocol: the page's CSP (script-src 'self') stays in force.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () =>
    (await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id}: ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      ),
  );
  assert.deepEqual(violations, [], `${view}: accessibility violations`);
}

/** Waits until the element's data-seconds is `expected` (the page reloads after each change). */
export async function expectSeconds(page, selector, expected) {
  try {
    await page.waitForFunction(
      ([sel, want]) => {
        const el = document.querySelector(sel);
        return el !== null && Number(el.getAttribute('data-seconds')) === want;
      },
      [selector, expected],
      { timeout: 15_000 },
    );
  } catch {
    const actual = await page
      .locator(selector)
      .first()
      .getAttribute('data-seconds')
      .catch(() => null);
    assert.fail(`${selector}: page shows ${actual} s, the API ${expected} s`);
  }
}
