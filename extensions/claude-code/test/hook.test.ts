/**
 * The built hook (dist/hook.js) run as Claude Code runs it: one process per event with the event's
 * JSON on stdin, while the session's transcript grows. Heartbeats reach a real HTTP server through the
 * detached flusher.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, promisify } from 'node:util';
import { usageReport } from '@devtime/cli';
import { devtimeEnv, startFakeServer, type FakeServer } from '@devtime/core/testing';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const hook = join(pkg, 'dist', 'hook.js');
const fixtureProjects = join(pkg, '..', 'cli', 'test', 'fixtures', 'claude', 'projects');
const SESSION = '5d3f8a2e-1c4b-4e7a-9b21-7f0c2d9e6a11';
const fixtureLines = readFileSync(join(fixtureProjects, '-home-dev-shop', `${SESSION}.jsonl`), 'utf8').split('\n');

/** Runs the hook with `payload` on stdin; resolves with its exit code once the process has exited. */
function runHook(payload: object | string, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [hook, '--devtime-claude-hook'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      // SessionStart's stdout would be injected into Claude's context: the hook prints nothing.
      if (out !== '') reject(new Error(`hook printed: ${out}`));
      else resolve(code);
    });
    child.stdin.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
  });
}

/** `devtime backfill` of the transcripts, asynchronously: the fake server runs in this process. */
function backfill(projects: string, env: NodeJS.ProcessEnv): Promise<unknown> {
  return promisify(execFile)(
    process.execPath,
    [join(pkg, '..', 'cli', 'dist', 'devtime.js'), 'backfill', '--source', 'claude-code', '--path', projects],
    { env },
  );
}

async function waitFor<T>(what: string, f: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Setup {
  server: FakeServer;
  env: NodeJS.ProcessEnv;
  projects: string;
  transcript: string;
  base: Record<string, unknown>;
}

async function setup(): Promise<Setup> {
  const server = await startFakeServer();
  const home = mkdtempSync(join(tmpdir(), 'devtime-claude-'));
  const projects = join(home, '.claude', 'projects');
  const dir = join(projects, '-home-dev-shop');
  mkdirSync(dir, { recursive: true });
  const transcript = join(dir, `${SESSION}.jsonl`);
  writeFileSync(transcript, '');
  const base = { session_id: SESSION, transcript_path: transcript, cwd: '/home/dev/shop', permission_mode: 'default' };
  return { server, env: devtimeEnv(home, server.url), projects, transcript, base };
}

const tokensOf = (h: Record<string, unknown>) =>
  ['ai_input_tokens', 'ai_output_tokens', 'ai_cache_creation_tokens', 'ai_cache_read_tokens'].reduce(
    (n, k) => n + ((h[k] as number) ?? 0),
    0,
  );

/** What the server keeps: one heartbeat per identity, the one with the most tokens. */
function stored(hbs: Record<string, unknown>[]): Record<string, unknown>[] {
  const byId = new Map<string, Record<string, unknown>>();
  for (const h of hbs) {
    const id = `${h.time}|${h.entity}|${h.category}`;
    const kept = byId.get(id);
    if (!kept || tokensOf(h) > tokensOf(kept)) byId.set(id, h);
  }
  return [...byId.values()];
}

function tokenSums(all: Record<string, unknown>[]) {
  const out: Record<string, { input: number; output: number; cache_creation: number; cache_read: number }> = {};
  for (const h of stored(all)) {
    if (h.ai_model === undefined) continue;
    const t = (out[h.ai_model as string] ??= { input: 0, output: 0, cache_creation: 0, cache_read: 0 });
    t.input += (h.ai_input_tokens as number) ?? 0;
    t.output += (h.ai_output_tokens as number) ?? 0;
    t.cache_creation += (h.ai_cache_creation_tokens as number) ?? 0;
    t.cache_read += (h.ai_cache_read_tokens as number) ?? 0;
  }
  return out;
}

test('a whole session: every event, growing transcript, sub-agent file; tokens sum to the transcript usage', async () => {
  const { server, env, projects, transcript, base } = await setup();
  try {
    const append = (from: number, to: number) =>
      appendFileSync(
        transcript,
        fixtureLines
          .slice(from, to)
          .map((l) => `${l}\n`)
          .join(''),
      );
    assert.equal(
      await runHook(
        { ...base, hook_event_name: 'SessionStart', source: 'startup', model: 'claude-sonnet-4-5-20250929' },
        env,
      ),
      0,
    );
    append(0, 2);
    assert.equal(
      await runHook(
        { ...base, hook_event_name: 'UserPromptSubmit', prompt: 'add a cart total to the checkout page' },
        env,
      ),
      0,
    );
    // The first response is written line by line; a hook fires between its lines.
    append(2, 4);
    const edit = {
      tool_name: 'Edit',
      tool_input: {
        file_path: '/home/dev/shop/src/cart.ts',
        old_string: 'export function items() {}',
        new_string: 'export function items() {}\nexport function total() { return 0; }',
      },
      tool_use_id: 'toolu_01Edit',
    };
    assert.equal(await runHook({ ...base, hook_event_name: 'PreToolUse', ...edit }, env), 0);
    append(4, 12);
    assert.equal(
      await runHook(
        {
          ...base,
          hook_event_name: 'PostToolUse',
          ...edit,
          tool_response: {
            filePath: '/home/dev/shop/src/cart.ts',
            oldString: edit.tool_input.old_string,
            newString: edit.tool_input.new_string,
            structuredPatch: [],
            userModified: false,
          },
        },
        env,
      ),
      0,
    );
    // The sub-agent writes its own transcript (Claude Code 2.x) and SubagentStop names it.
    const agentDir = join(dirname(transcript), SESSION, 'subagents');
    mkdirSync(agentDir, { recursive: true });
    const agentTranscript = join(agentDir, 'agent-a3f9c2.jsonl');
    copyFileSync(join(fixtureProjects, '-home-dev-shop', SESSION, 'subagents', 'agent-a3f9c2.jsonl'), agentTranscript);
    assert.equal(
      await runHook(
        {
          ...base,
          hook_event_name: 'SubagentStop',
          stop_hook_active: false,
          agent_id: 'a3f9c2',
          agent_transcript_path: agentTranscript,
        },
        env,
      ),
      0,
    );
    append(12, 14);
    assert.equal(await runHook({ ...base, hook_event_name: 'UserPromptSubmit', prompt: 'now make it fast' }, env), 0);
    append(14, fixtureLines.length - 1);
    assert.equal(await runHook({ ...base, hook_event_name: 'Stop', stop_hook_active: false }, env), 0);
    appendFileSync(transcript, fixtureLines[fixtureLines.length - 1]); // a half-written last line
    assert.equal(await runHook({ ...base, hook_event_name: 'SessionEnd', reason: 'prompt_input_exit' }, env), 0);

    const expected = usageReport('claude-code', projects).models;
    const hbs = await waitFor('all heartbeats', () => {
      const h = server.heartbeats();
      return isDeepStrictEqual(tokenSums(h), expected) && h.filter((x) => x.ai_prompts === 1).length === 2
        ? h
        : undefined;
    }).catch(() => server.heartbeats());
    assert.deepEqual(tokenSums(hbs), expected);
    assert.equal(hbs.filter((h) => h.ai_prompts === 1).length, 2, 'one prompt per UserPromptSubmit');
    assert.ok(hbs.every((h) => h.tool === 'claude-code' && h.category === 'ai coding' && h.ai_session === SESSION));
    const writes = hbs.filter((h) => h.entity === '/home/dev/shop/src/cart.ts');
    assert.equal(writes.length, 2);
    assert.deepEqual(writes.map((h) => h.is_write).sort(), [false, true]);
    assert.equal(writes.find((h) => h.is_write)?.ai_line_changes, 1);
    assert.equal(writes[0].language, 'TypeScript');
    assert.ok(
      hbs.every((h) => h.project === 'shop'),
      'project named after the cwd folder when it is not a git checkout here',
    );
    assert.ok(
      hbs.some((h) => h.branch === 'feature/cart'),
      'branch from the transcript',
    );
    assert.match(
      String(hbs.find((h) => h.ai_input_tokens !== undefined)?.user_agent),
      /claude-code\/2\.0\.14 devtime-claude-code\/0\.1\.0$/,
    );
    const ids = hbs.filter((h) => h.ai_input_tokens === undefined).map((h) => `${h.time}|${h.entity}|${h.category}`);
    assert.equal(new Set(ids).size, ids.length, 'every event heartbeat has its own identity');
  } finally {
    await server.close();
  }
});

test('hooks return without waiting for the network, and the queue keeps the heartbeats', async () => {
  const { server, env, transcript, base } = await setup();
  try {
    server.hang(true);
    appendFileSync(
      transcript,
      fixtureLines
        .slice(0, 12)
        .map((l) => `${l}\n`)
        .join(''),
    );
    for (let i = 0; i < 3; i++)
      assert.equal(await runHook({ ...base, hook_event_name: 'Stop', stop_hook_active: false }, env), 0);
    const queued = await import('@devtime/core').then(
      ({ DurableQueue }) => new DurableQueue({ dir: join(env.DEVTIME_HOME!, 'queue') }),
    );
    const waiting = (await queued.size()) + (await queued.claimedCount());
    assert.ok(waiting >= 3, `heartbeats wait on disk while the server hangs (${waiting})`);
  } finally {
    await server.close();
  }
});

test('concurrent hooks of one session report each response once', async () => {
  const { server, env, projects, transcript, base } = await setup();
  try {
    appendFileSync(
      transcript,
      fixtureLines
        .slice(0, fixtureLines.length - 1)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const codes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        runHook(
          {
            ...base,
            hook_event_name: 'PostToolUse',
            tool_name: 'Bash',
            tool_input: { command: `ls ${i}` },
            tool_response: { stdout: '', stderr: '', interrupted: false },
            tool_use_id: `toolu_0${i}`,
          },
          env,
        ),
      ),
    );
    assert.deepEqual(codes, [0, 0, 0, 0, 0, 0]);
    const expected = usageReport('claude-code', projects).models;
    await waitFor('usage', () =>
      isDeepStrictEqual(tokenSums(server.heartbeats()), expected) ? true : undefined,
    ).catch(() => {});
    assert.deepEqual(tokenSums(server.heartbeats()), expected);
  } finally {
    await server.close();
  }
});

test('garbage on stdin and unknown events exit 0 and send nothing', async () => {
  const { server, env, base } = await setup();
  try {
    assert.equal(await runHook('not json', env), 0);
    assert.equal(
      await runHook({ ...base, hook_event_name: 'Notification', message: 'Claude needs your permission' }, env),
      0,
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.heartbeats().length, 0);
  } finally {
    await server.close();
  }
});

const identity = (h: Record<string, unknown>) => `${h.time}|${h.entity}|${h.category}|${h.tool}`;
const tokens = (h: Record<string, unknown>) =>
  [h.ai_model, h.ai_input_tokens, h.ai_output_tokens, h.ai_cache_creation_tokens, h.ai_cache_read_tokens].join('|');

/**
 * The server identifies a heartbeat by time, tool, entity, category (and user, machine), and a resend
 * replaces what it stored: a heartbeat sent again must be already known, with the same numbers.
 */
function assertKnown(known: Record<string, unknown>[], sent: Record<string, unknown>[], what: string): void {
  const byId = new Map(known.map((h) => [identity(h), tokens(h)]));
  for (const h of sent) {
    assert.ok(byId.has(identity(h)), `${what} ${identity(h)} is a heartbeat the server already has`);
    assert.equal(tokens(h), byId.get(identity(h)), `${what} ${identity(h)} carries the same usage`);
  }
}

test('backfill after live hooks, and a resumed session copying old lines, add no new usage identities', async () => {
  const { server, env, projects, transcript, base } = await setup();
  try {
    // Live: the response streamed across two hook runs.
    appendFileSync(
      transcript,
      fixtureLines
        .slice(0, 4)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await runHook(
      {
        ...base,
        hook_event_name: 'PostToolUse',
        tool_name: 'Read',
        tool_input: { file_path: '/home/dev/shop/src/cart.ts' },
        tool_response: {},
        tool_use_id: 'toolu_01A9kLm3',
      },
      env,
    );
    appendFileSync(
      transcript,
      fixtureLines
        .slice(4, fixtureLines.length - 1)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await runHook({ ...base, hook_event_name: 'Stop', stop_hook_active: false }, env);
    const expected = usageReport('claude-code', projects).models;
    await waitFor('live usage', () =>
      isDeepStrictEqual(tokenSums(server.heartbeats()), expected) ? true : undefined,
    ).catch(() => {});
    const live = server.heartbeats();
    const liveCount = live.length;

    // A resumed session: a new id, a new transcript that starts with a copy of the old lines.
    const resumed = join(dirname(transcript), 'c0ffee00-1111-4222-8333-444455556666.jsonl');
    writeFileSync(
      resumed,
      fixtureLines
        .slice(0, fixtureLines.length - 1)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await runHook(
      {
        ...base,
        session_id: 'c0ffee00-1111-4222-8333-444455556666',
        transcript_path: resumed,
        hook_event_name: 'SessionStart',
        source: 'resume',
      },
      env,
    );
    await waitFor('resume heartbeats', () => (server.heartbeats().length > liveCount ? true : undefined)).catch(
      () => {},
    );
    const resumedUsage = server
      .heartbeats()
      .slice(liveCount)
      .filter((h) => h.ai_input_tokens !== undefined);
    assert.ok(resumedUsage.length > 0);
    assertKnown(live, resumedUsage, 'resumed copy');

    // Backfill of the original transcript only.
    rmSync(resumed);
    const before = server.heartbeats().length;
    await backfill(projects, env);
    const backfilled = server.heartbeats().slice(before);
    assert.ok(backfilled.length > 0);
    assertKnown(live, backfilled, 'backfilled');
  } finally {
    await server.close();
  }
});

test('a session resumed after a backfill of its history adds no new usage identities', async () => {
  const { server, env, projects, transcript, base } = await setup();
  try {
    appendFileSync(
      transcript,
      fixtureLines
        .slice(0, fixtureLines.length - 1)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await backfill(projects, env);
    const backfilled = server.heartbeats();
    const count = backfilled.length;
    await runHook(
      {
        ...base,
        session_id: 'c0ffee00-2222-4333-8444-555566667777',
        hook_event_name: 'SessionStart',
        source: 'resume',
      },
      env,
    );
    await waitFor('resume heartbeats', () =>
      server.heartbeats().filter((h) => h.ai_input_tokens !== undefined).length > count ? true : undefined,
    ).catch(() => {});
    const resumed = server
      .heartbeats()
      .slice(count)
      .filter((h) => h.ai_input_tokens !== undefined);
    assert.ok(resumed.length > 0);
    assertKnown(backfilled, resumed, 'resumed');
  } finally {
    await server.close();
  }
});

/**
 * Claude Code documents that at `Stop` the transcript may not yet hold the turn's last lines (hooks
 * reference, "Stop": read the transcript after a delay). The lines are Claude Code's assistant transcript
 * lines (one per content block, sharing `message.id` and `requestId`, the usage growing).
 */
test('a response read partly at Stop and whole later is one heartbeat whose larger usage wins', async () => {
  const { server, env, projects, transcript, base } = await setup();
  try {
    const part = (uuid: string, ts: string, input: number, cacheRead: number, output: number, content: object) =>
      JSON.stringify({
        parentUuid: 'u1',
        isSidechain: false,
        userType: 'external',
        cwd: '/home/dev/shop',
        version: '2.0.14',
        gitBranch: 'feature/cart',
        sessionId: SESSION,
        message: {
          id: 'msg_01LagLagLagLagLagLagLag1',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [content],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: input,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: cacheRead,
            output_tokens: output,
            service_tier: 'standard',
          },
        },
        requestId: 'req_011LagLagLagLagLagLag1',
        type: 'assistant',
        uuid,
        timestamp: ts,
      }) + '\n';
    appendFileSync(
      transcript,
      part('a1', '2026-11-20T09:00:04.210Z', 20, 2000, 12, {
        type: 'thinking',
        thinking: 'Totals.',
        signature: 'EqQB',
      }),
    );
    assert.equal(await runHook({ ...base, hook_event_name: 'Stop', stop_hook_active: false }, env), 0);
    await waitFor('the partial response', () =>
      server.heartbeats().some((h) => h.ai_input_tokens === 20) ? true : undefined,
    );
    // The rest of the response lands after Stop; backfill reads it whole, and so does the hook at the session's end.
    appendFileSync(
      transcript,
      part('a2', '2026-11-20T09:00:09.870Z', 30, 3000, 212, { type: 'text', text: 'Added total().' }),
    );
    await backfill(projects, env);
    assert.equal(await runHook({ ...base, hook_event_name: 'SessionEnd', reason: 'prompt_input_exit' }, env), 0);
    await waitFor('the grown response', () =>
      server.heartbeats().filter((h) => h.ai_input_tokens === 30).length >= 2 ? true : undefined,
    );

    const usage = server.heartbeats().filter((h) => h.ai_input_tokens !== undefined);
    assert.deepEqual(new Set(usage.map((h) => h.time)).size, 1, 'one response, one identity');
    assert.deepEqual(tokenSums(usage), {
      'claude-sonnet-4-5-20250929': { input: 30, output: 212, cache_creation: 0, cache_read: 3000 },
    });
    assert.deepEqual(tokenSums(usage), usageReport('claude-code', projects).models);
  } finally {
    await server.close();
  }
});
