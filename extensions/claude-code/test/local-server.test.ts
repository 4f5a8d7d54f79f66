/**
 * Opt-in, against a running DevTime server (the `local` module) with an empty data directory:
 *   java -jar local/target/devtime-local.jar --port 18481 --data-dir /tmp/dt --api-key KEY &
 *   DEVTIME_TEST_URL=http://127.0.0.1:18481 DEVTIME_TEST_KEY=KEY npm test -w claude-code
 * A live session through the hooks, then a backfill of the same transcripts: the server's AI stats
 * for claude-code must equal `devtime usage` on those files (each response once), and the prompts
 * must grow by the session's two prompts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { usageReport } from '@devtime/cli';
import { devtimeEnv } from '@devtime/core/testing';

const url = process.env.DEVTIME_TEST_URL;
const key = process.env.DEVTIME_TEST_KEY;
const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SESSION = '5d3f8a2e-1c4b-4e7a-9b21-7f0c2d9e6a11';
const fixture = join(pkg, '..', 'cli', 'test', 'fixtures', 'claude', 'projects', '-home-dev-shop', `${SESSION}.jsonl`);

interface AiTool {
  tokens_in: number;
  tokens_out: number;
  cache_creation_tokens?: number;
  cache_read_tokens?: number;
  prompts: number;
}

async function stats(): Promise<AiTool> {
  const res = await fetch(`${url}/api/stats?range=all`, { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { ai: { by_tool: Record<string, AiTool> } };
  return (
    body.ai.by_tool['claude-code'] ?? {
      tokens_in: 0,
      tokens_out: 0,
      cache_creation_tokens: 0,
      cache_read_tokens: 0,
      prompts: 0,
    }
  );
}

function hook(payload: object, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [join(pkg, 'dist', 'hook.js')], { env, stdio: ['pipe', 'ignore', 'ignore'] });
    c.on('error', reject);
    c.on('exit', () => resolve());
    c.stdin.end(JSON.stringify(payload));
  });
}

test(
  'live hooks then backfill against a running DevTime server',
  { skip: !url || !key ? 'set DEVTIME_TEST_URL and DEVTIME_TEST_KEY' : false },
  async () => {
    const home = mkdtempSync(join(tmpdir(), 'devtime-claude-local-'));
    const env = devtimeEnv(home, url!, { DEVTIME_API_KEY: key! });
    const projects = join(home, '.claude', 'projects');
    const transcript = join(projects, '-home-dev-shop', `${SESSION}.jsonl`);
    mkdirSync(dirname(transcript), { recursive: true });
    writeFileSync(transcript, '');
    const lines = readFileSync(fixture, 'utf8').split('\n');
    const base = {
      session_id: SESSION,
      transcript_path: transcript,
      cwd: '/home/dev/shop',
      permission_mode: 'default',
    };
    const before = await stats();

    await hook({ ...base, hook_event_name: 'SessionStart', source: 'startup' }, env);
    appendFileSync(
      transcript,
      lines
        .slice(0, 4)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await hook({ ...base, hook_event_name: 'UserPromptSubmit', prompt: 'add a cart total to the checkout page' }, env);
    appendFileSync(
      transcript,
      lines
        .slice(4, 14)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await hook({ ...base, hook_event_name: 'UserPromptSubmit', prompt: 'now make it fast' }, env);
    appendFileSync(
      transcript,
      lines
        .slice(14, lines.length - 1)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await hook({ ...base, hook_event_name: 'SessionEnd', reason: 'prompt_input_exit' }, env);
    await promisify(execFile)(
      process.execPath,
      [join(pkg, '..', 'cli', 'dist', 'devtime.js'), 'backfill', '--source', 'claude-code', '--path', projects],
      { env },
    );
    await promisify(execFile)(process.execPath, [join(pkg, '..', 'cli', 'dist', 'devtime.js'), 'flush'], { env });

    const want = Object.values(usageReport('claude-code', projects).models).reduce(
      (a, m) => ({ in: a.in + m.input, out: a.out + m.output, cc: a.cc + m.cache_creation, cr: a.cr + m.cache_read }),
      { in: 0, out: 0, cc: 0, cr: 0 },
    );
    let after = await stats();
    for (let i = 0; i < 100 && after.prompts < before.prompts + 2; i++) {
      await new Promise((r) => setTimeout(r, 100)); // the aggregator runs behind the queue
      after = await stats();
    }
    assert.equal(after.prompts - before.prompts, 2);
    assert.deepEqual(
      { in: after.tokens_in, out: after.tokens_out, cc: after.cache_creation_tokens, cr: after.cache_read_tokens },
      want,
    );
  },
);
