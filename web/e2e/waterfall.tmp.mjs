import { chromium } from 'playwright-core';
import { ingest, series, apiGet, waitFor } from './tests/api.mjs';
import { E2E_USER, LOGIN } from './tests/selectors.mjs';
import { startLocal } from './tests/stack.mjs';
const stack = await startLocal({ logName: 'waterfall' });
let browser;
try {
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const at = (hh) => Date.parse(`${day}T${String(hh).padStart(2, '0')}:00:00Z`);
  const hbs = [
    ...series({ tool: 'vscode', startMs: at(9), minutes: 120, stepMin: 2, project: 'alpha', language: 'TypeScript', entity: '/a/app.ts' }),
    ...series({ tool: 'claude-code', startMs: at(12), minutes: 60, stepMin: 3, project: 'beta', language: 'Python', entity: '/b/main.py' }),
  ];
  await ingest(stack.baseUrl, stack.apiKey, hbs);
  await waitFor('aggregation', async () => {
    const s = await apiGet(stack.baseUrl, stack.apiKey, `/api/sessions?date=${day}`);
    return s.sessions.reduce((a, x) => a + x.heartbeat_count, 0) === hbs.length;
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.addInitScript(() => {
    window.__marks = {};
    const sels = { chartDiv: '[data-testid=daily-chart]', surface: '.recharts-surface', rect: '.recharts-surface .recharts-rectangle', wrapper: '.recharts-wrapper', heat: '[data-testid=heatmap]', summary: '[data-testid=total]', legend: '[data-testid=legend]' };
    new MutationObserver(() => { for (const [k, s] of Object.entries(sels)) if (!window.__marks[k] && document.querySelector(s)) window.__marks[k] = Math.round(performance.now()); }).observe(document, { subtree: true, childList: true });
  });
  await page.goto(stack.baseUrl);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator(LOGIN.username).fill(E2E_USER);
  await page.locator(LOGIN.submit).first().click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor({ timeout: 30_000 });
  for (let i = 0; i < Number(process.env.RUNS || 3); i++) {
    await page.goto(`${stack.baseUrl}/#/overview`);
    const reqs = [];
    const on = (r) => reqs.push(r);
    page.on('requestfinished', on);
    await page.reload();
    await page.locator('.recharts-surface .recharts-rectangle').first().waitFor({ timeout: 30_000 });
    const t = await page.evaluate(() => performance.now());
    await page.waitForTimeout(1500);
    page.off('requestfinished', on);
    const nav = await page.evaluate(() => performance.timeOrigin);
    console.log(`--- first chart ${Math.round(t)} ms`);
    const rows = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => [e.name.replace(location.origin, ''), Math.round(e.startTime), Math.round(e.responseEnd)]));
    for (const [n, s, e] of rows) console.log(`${String(s).padStart(5)} ${String(e).padStart(5)} ${n.slice(0, 110)}`);
    const marks = await page.evaluate(() => { const p = performance.getEntriesByType('navigation')[0]; return { dcl: Math.round(p.domContentLoadedEventEnd), load: Math.round(p.loadEventEnd) }; });
    console.log(marks, await page.evaluate(() => window.__marks));
  }
} finally { await browser?.close().catch(() => {}); await stack.stop(); }
