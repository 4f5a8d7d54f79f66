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
  const r = await client.track({
    entity: join(repo, 'src', 'cart.py'),
    timeMs: 1_795_000_000_123,
    category: 'ai coding',
    ...fields,
  });
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
  assert.deepEqual(
    queued.map((q) => q.heartbeat),
    [expected],
  );
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

/**
 * `~/.wakatime.cfg`'s privacy settings, in the format and with the meaning wakatime-cli documents
 * (wakatime/wakatime-cli USAGE.md, `[settings]`: `hide_file_names`, `hide_project_names`,
 * `hide_branch_names` are true/false or regexes one per line; `exclude` and `include` are regexes one
 * per line, include overriding exclude; `exclude_unknown_project`).
 */
test('~/.wakatime.cfg privacy settings apply as wakatime-cli applies them', async () => {
  const { home, repo } = setup();
  const client = (cfg: string) => {
    writeFileSync(join(home, '.wakatime.cfg'), cfg);
    return new DevTimeClient({
      tool: 'cli',
      plugin: 'devtime-cli',
      pluginVersion: '0.1.0',
      configOptions: { homeDir: home, env: {} },
    });
  };
  const file = join(repo, 'src', 'cart.py');
  const hidden = client(
    [
      '[settings]',
      'api_key = waka_3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      'hide_file_names = true',
      'hide_project_names = true',
      'hide_branch_names = true',
      'exclude =',
      '    ^/var/spool/',
      '    \\.secret\\.py$',
      'include =',
      '    keep\\.secret\\.py$',
      '',
    ].join('\n'),
  );
  const hb = hidden.prepare({ entity: file, lineno: 12, cursorpos: 3, lines: 40 }).heartbeat!;
  assert.equal(hb.entity, 'HIDDEN.py');
  assert.equal(hb.project, sha256('shop'));
  assert.equal(hb.branch, undefined);
  assert.equal(hb.language, 'Python');
  assert.equal(hb.lineno, undefined);
  assert.equal(JSON.stringify(hb).includes('cart'), false);
  assert.equal(hidden.prepare({ entity: join(repo, 'src', 'db.secret.py') }).excluded, 'pattern');
  assert.ok(hidden.prepare({ entity: join(repo, 'src', 'keep.secret.py') }).heartbeat, 'include wins over exclude');

  // Regex lists: only the files (and their projects' branches) they match.
  const some = client(
    [
      '[settings]',
      'hide_file_names =',
      '    /src/private_',
      'hide_branch_names =',
      '    /code/shop/',
      'exclude_unknown_project = true',
      '',
    ].join('\n'),
  );
  assert.equal(some.prepare({ entity: join(repo, 'src', 'private_notes.py') }).heartbeat!.entity, 'HIDDEN.py');
  const open = some.prepare({ entity: file }).heartbeat!;
  assert.equal(open.entity, file);
  assert.equal(open.project, 'shop');
  assert.equal(open.branch, undefined);
  assert.equal(some.prepare({ entity: join(home, 'loose.py') }).excluded, 'project', 'no project: excluded');
});
