// Measures the dashboard as served by the local stack: the gzip size of its JavaScript and the time
// from navigation to the first chart on the Overview, in Debian's Chromium.
//
//   cd web/e2e && npm ci && npm run measure             # the jar of local/target (it embeds web/dist)
//   DEVTIME_LOCAL_JAR=/path/to/devtime-local.jar RUNS=15 npm run measure
//   COMPARE_JAR=/path/to/other/devtime-local.jar,/path/to/a/third.jar RUNS=15 npm run measure
//
// Sizes are of the scripts the stack serves (what the browser downloads). The time is the median of
// RUNS (default 7) reloads after sign-in, with a day of heartbeats from three tools in the account,
// from navigation start to the first bar drawn. With COMPARE_JAR (comma-separated jars), all jars run
// side by side and the reloads take turns, so every build sees the same load on a shared machine.
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { ingest, series, apiGet, waitFor } from './tests/api.mjs';
import { E2E_USER, LOGIN } from './tests/selectors.mjs';
import { LOCAL_JAR, startLocal } from './tests/stack.mjs';

const RUNS = Number(process.env.RUNS || 7);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const JARS = [LOCAL_JAR, ...(process.env.COMPARE_JAR ? process.env.COMPARE_JAR.split(',') : [])];

/** The JavaScript the page loads first (the scripts of index.html), and with every view opened (the
 * chunks those scripts import on demand, named in them as assets/<name>.js or ./<name>.js), gzipped at the default level. */
async function scriptSizes(baseUrl) {
  const html = await (await fetch(`${baseUrl}/`)).text();
  const entry = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => new URL(m[1], baseUrl).pathname);
  const sizes = new Map();
  const load = async (path) => {
    if (sizes.has(path)) return;
    const body = Buffer.from(await (await fetch(`${baseUrl}${path}`)).arrayBuffer());
    sizes.set(path, { raw: body.length, gz: gzipSync(body).length });
    for (const m of body.toString('utf8').matchAll(/(?:assets|\.)\/([\w-]+\.js)\b/g)) await load(`/assets/${m[1]}`);
  };
  for (const path of entry) await load(path);
  const sum = (paths, k) => paths.reduce((a, p) => a + sizes.get(p)[k], 0);
  const all = [...sizes.keys()];
  const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
  return [
    `JavaScript at first load: ${entry.length} file(s), ${kb(sum(entry, 'raw'))}, ${kb(sum(entry, 'gz'))} gzip`,
    `JavaScript with every view opened: ${all.length} file(s), ${kb(sum(all, 'raw'))}, ${kb(sum(all, 'gz'))} gzip`,
  ];
}

/** A stack with a day of heartbeats from three tools, and a page signed in to it. */
async function prepare(jar, i, browser) {
  const stack = await startLocal({ logName: `measure-${i}`, jar });
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const at = (hh) => Date.parse(`${day}T${String(hh).padStart(2, '0')}:00:00Z`);
  const hbs = [
    ...series({
      tool: 'vscode',
      startMs: at(9),
      minutes: 120,
      stepMin: 2,
      project: 'alpha',
      language: 'TypeScript',
      entity: '/a/app.ts',
    }),
    ...series({
      tool: 'claude-code',
      startMs: at(12),
      minutes: 60,
      stepMin: 3,
      project: 'beta',
      language: 'Python',
      entity: '/b/main.py',
    }),
    ...series({
      tool: 'zed',
      startMs: at(15),
      minutes: 60,
      stepMin: 2,
      project: 'alpha',
      language: 'Rust',
      entity: '/a/lib.rs',
    }),
  ];
  await ingest(stack.baseUrl, stack.apiKey, hbs);
  await waitFor('aggregation', async () => {
    const s = await apiGet(stack.baseUrl, stack.apiKey, `/api/sessions?date=${day}`);
    return s.sessions.reduce((a, x) => a + x.heartbeat_count, 0) === hbs.length;
  });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(stack.baseUrl);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator(LOGIN.username).fill(E2E_USER);
  await page.locator(LOGIN.submit).first().click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor({ timeout: 30_000 });
  return { jar, stack, page, sizes: await scriptSizes(stack.baseUrl), times: [] };
}

const runs = [];
let browser;
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  for (const [i, jar] of JARS.entries()) runs.push(await prepare(jar, i, browser));
  const load = [loadavg()[0]];
  for (let i = 0; i < RUNS; i++) {
    for (const r of runs) {
      await r.page.goto(`${r.stack.baseUrl}/#/overview`);
      await r.page.reload();
      // A chart has drawn once a bar (a path inside the chart's SVG) exists.
      await r.page.locator('.recharts-surface .recharts-rectangle').first().waitFor({ timeout: 30_000 });
      r.times.push(await r.page.evaluate(() => performance.now()));
    }
  }
  load.push(loadavg()[0]);
  for (const r of runs) {
    const times = [...r.times].sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(`jar: ${r.jar}`);
    for (const line of r.sizes) console.log(line);
    console.log(
      `time to first chart: median ${Math.round(median)} ms over ${RUNS} reloads (min ${Math.round(times[0])}, max ${Math.round(times.at(-1))})`,
    );
  }
  console.log(`load average (1 min) at the first and the last reload: ${load.map((l) => l.toFixed(1)).join(', ')}`);
} finally {
  await browser?.close().catch(() => {});
  for (const r of runs) await r.stack.stop();
}
