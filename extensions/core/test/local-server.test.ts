// Against a real running DevTime server (`java -jar local/target/devtime-local.jar`), opt-in:
//   DEVTIME_TEST_URL=http://127.0.0.1:8080 DEVTIME_TEST_KEY=waka_... npm test -w @devtime/core
// Skipped otherwise: the Maven build runs this module without starting the Java stack.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DevTimeClient, loadConfig } from '../src/index.js';
import { tempDir } from './temp.js';

const url = process.env.DEVTIME_TEST_URL;
const key = process.env.DEVTIME_TEST_KEY;

test(
  'a real DevTime server takes the batches, drops only the bad item, counts a resend once',
  { skip: !url || !key ? 'set DEVTIME_TEST_URL and DEVTIME_TEST_KEY' : false },
  async () => {
    const home = tempDir('devtime-live-');
    const config = loadConfig({ homeDir: home, env: { DEVTIME_API_URL: url, DEVTIME_API_KEY: key } });
    const project = `live-test-${Date.now()}`;
    const client = new DevTimeClient({
      tool: 'vscode',
      plugin: 'devtime-vscode',
      pluginVersion: '0.1.0',
      editor: 'vscode',
      editorVersion: '1.95.0',
      config,
    });
    // 30 heartbeats a minute apart, ending now: 29 minutes of work.
    const end = Date.now() - 1000;
    const activities = Array.from({ length: 30 }, (_, i) => ({
      entity: `/home/me/${project}/src/f${i % 3}.ts`,
      timeMs: end - (29 - i) * 60_000,
      project,
    }));
    await client.trackAll(activities);
    // Two hours in the future: the server refuses this one item (400), not the batch.
    await client.track({ entity: `/home/me/${project}/src/future.ts`, timeMs: Date.now() + 2 * 3600_000, project });
    const first = await client.flush();
    assert.deepEqual(
      { sent: first.sent, dropped: first.dropped, remaining: first.remaining },
      { sent: 30, dropped: 1, remaining: 0 },
    );

    // A client that lost the answers sends the same heartbeats again.
    await client.trackAll(activities);
    const again = await client.flush();
    assert.equal(again.sent, 30);

    // The aggregator runs behind a queue: poll until the project shows up.
    const auth = { Authorization: `Basic ${Buffer.from(key!).toString('base64')}` };
    let seconds = 0;
    for (let i = 0; i < 60 && seconds === 0; i++) {
      const res = await fetch(`${config.endpoint}/api/stats?range=all&project=${project}`, { headers: auth });
      seconds = ((await res.json()) as { total_seconds: number }).total_seconds;
      if (seconds === 0) await new Promise((r) => setTimeout(r, 500));
    }
    // Wait a little longer in case the resent copies are still being aggregated, then check once more.
    await new Promise((r) => setTimeout(r, 3000));
    const res = await fetch(`${config.endpoint}/api/stats?range=all&project=${project}`, { headers: auth });
    const stats = (await res.json()) as { total_seconds: number; by_tool: Record<string, number> };
    assert.equal(stats.total_seconds, 29 * 60);
    assert.equal(stats.by_tool.vscode, 29 * 60);
  },
);
