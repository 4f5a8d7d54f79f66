import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ProjectDetector } from '../src/index.js';
import { tempDir } from './temp.js';

function temp(): string {
  return tempDir('devtime-git-');
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
}

test('a real repository: project is the root folder, branch follows checkouts after the HEAD cache expires', () => {
  const root = join(temp(), 'my-app');
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  let now = 0;
  const d = new ProjectDetector({ now: () => now, headTtlMs: 5_000 });
  const file = join(root, 'src', 'deep', 'x.ts');
  assert.deepEqual(d.detect(file), { project: 'my-app', root, branch: 'main' });
  git(root, 'checkout', '-q', '-b', 'feature/login');
  assert.equal(d.detect(file)!.branch, 'main', 'cached within the TTL: no file read per event');
  now += 5_001;
  assert.equal(d.detect(file)!.branch, 'feature/login');
});

test('detached HEAD has no branch; worktrees and submodules (a .git file) are followed', () => {
  const base = temp();
  const repo = join(base, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  writeFileSync(join(repo, '.git', 'HEAD'), '3f4e5d6c7b8a99887766554433221100ffeeddcc\n');
  const d = new ProjectDetector();
  assert.deepEqual(d.detect(join(repo, 'a.py')), { project: 'repo', root: repo, branch: undefined });

  const wt = join(base, 'wt');
  const wtGit = join(base, 'repo', '.git', 'worktrees', 'wt');
  mkdirSync(wtGit, { recursive: true });
  mkdirSync(wt);
  writeFileSync(join(wtGit, 'HEAD'), 'ref: refs/heads/hotfix\n');
  writeFileSync(join(wt, '.git'), 'gitdir: ../repo/.git/worktrees/wt\n');
  assert.deepEqual(d.detect(join(wt, 'a.py')), { project: 'wt', root: wt, branch: 'hotfix' });
});

test('a .devtime-project or .wakatime-project file names the project', () => {
  const base = temp();
  const repo = join(base, 'monorepo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(join(repo, 'services', 'billing', 'src'), { recursive: true });
  writeFileSync(join(repo, 'services', 'billing', '.wakatime-project'), 'Billing Service\nbranch-ignored\n');
  const d = new ProjectDetector();
  assert.deepEqual(d.detect(join(repo, 'services', 'billing', 'src', 'a.go')), {
    project: 'Billing Service',
    root: join(repo, 'services', 'billing'),
    branch: 'main',
  });
  assert.equal(d.detect(join(repo, 'README.md'))!.project, 'monorepo');
  // No git at all, but a project file.
  const plain = join(base, 'plain');
  mkdirSync(plain);
  writeFileSync(join(plain, '.devtime-project'), 'Plain\n');
  assert.deepEqual(d.detect(join(plain, 'x.txt')), { project: 'Plain', root: plain, branch: undefined });
  assert.equal(d.detectFromDir(plain)!.project, 'Plain');
});

test('outside any project: nothing', () => {
  const d = new ProjectDetector();
  const dir = temp();
  assert.equal(d.detect(join(dir, 'loose.txt')), undefined);
  assert.equal(d.detect('relative/path.ts'), undefined);
});
