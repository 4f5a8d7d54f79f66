import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DevTimeClient, hashPath, redactForDisplay, sha256 } from '../src/index.js';
import { tempDir } from './temp.js';

function setup(toml = ''): { home: string; repo: string; client: DevTimeClient } {
  const home = tempDir('devtime-client-');
  mkdirSync(join(home, '.devtime'));
  writeFileSync(join(home, '.devtime', 'config.toml'), toml);
  const repo = join(home, 'code', 'shop');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'src'));
  writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  const client = new DevTimeClient({
    tool: 'claude-code',
    plugin: 'devtime-claude-code',
    pluginVersion: '0.1.0',
    editor: 'claude-code',
    editorVersion: '2.0.14',
    configOptions: { homeDir: home, env: {} },
  });
  return { home, repo, client };
}

/** The queue's heartbeat files; none when nothing created the folder. */
function queueFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
}

test('an AI-tool activity becomes a WakaTime heartbeat with the DevTime fields', async () => {
  const { home, repo, client } = setup();
  // The activity's own fields must reach the heartbeat unchanged.
  const fields = {
    is_write: true,
    ai_session: 'b7c1a0de-5e55-4a1d-9c2f-0123456789ab',
    ai_input_tokens: 1200,
    ai_output_tokens: 300,
    ai_cache_read_tokens: 9000,
    ai_model: 'claude-sonnet-4-5',
    ai_prompts: 1,
    ai_line_changes: 12,
  };
  const r = await client.track({ entity: join(repo, 'src', 'cart.py'), timeMs: 1_795_000_000_123, category: 'ai coding', ...fields });
  const expected = {
    entity: join(repo, 'src', 'cart.py'),
    type: 'file',
    category: 'ai coding',
    time: 1_795_000_000.123,
    tool: 'claude-code',
    user_agent: `devtime/0.1.0 (${process.platform}-${process.arch}) node/${process.versions.node} claude-code/2.0.14 devtime-claude-code/0.1.0`,
    project: 'shop',
    branch: 'main',
    language: 'Python',
    ...fields,
  };
  assert.deepEqual(r.heartbeat, expected);
  const queued = await client.queue.peek(10);
  assert.deepEqual(queued.map((q) => q.heartbeat), [expected]);
  assert.equal(client.config.queue.dir, join(home, '.devtime', 'queue'));
});

test('a non-file entity takes its project from cwd', () => {
  const { repo, client } = setup();
  const r = client.prepare({ entity: 'claude-code', type: 'app', cwd: join(repo, 'src'), category: 'ai coding' });
  assert.equal(r.heartbeat!.project, 'shop');
  assert.equal(r.heartbeat!.entity, 'claude-code');
  assert.equal(r.heartbeat!.language, undefined);
});

test('excluded files and projects are never written to the queue', async () => {
  const { repo, client, home } = setup('[privacy]\nexclude_projects = ["shop"]\n');
  assert.deepEqual(await client.track({ entity: join(repo, 'src', 'a.ts') }), { excluded: 'project' });
  const other = setup();
  assert.deepEqual(await other.client.track({ entity: join(other.repo, '.env.production') }), { excluded: 'denylist' });
  for (const h of [home, other.home]) {
    assert.deepEqual(queueFiles(join(h, '.devtime', 'queue')), []);
  }
});

test('anonymized: the queue on disk holds hashes, not paths or names', async () => {
  const { repo, client } = setup('[privacy]\nanonymize_file_paths = true\nanonymize_project_names = true\n');
  const file = join(repo, 'src', 'secret-plan.ts');
  const r = await client.track({ entity: file });
  assert.equal(r.heartbeat!.entity, hashPath(file));
  assert.equal(r.heartbeat!.project, sha256('shop'));
  assert.equal(r.heartbeat!.branch, sha256('main'));
  assert.equal(r.heartbeat!.language, 'TypeScript', 'the language is kept: it says nothing about the path');
  const dir = client.config.queue.dir;
  const raw = queueFiles(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  assert.ok(!raw.includes('secret-plan') && !raw.includes('shop'), raw);
});

test('redactForDisplay removes absolute paths', () => {
  const { repo, client } = setup();
  const hb = client.prepare({ entity: join(repo, 'src', 'a.ts') }).heartbeat!;
  assert.equal(redactForDisplay(hb).entity, '…/a.ts');
  assert.equal(redactForDisplay({ ...hb, entity: 'C:\\Users\\John\\x\\b.ts' }).entity, '…/b.ts');
  assert.equal(hb.entity, join(repo, 'src', 'a.ts'), 'the original is untouched');
});
