/**
 * What gets published: the .vsix holds its licence, an icon and the real repository URL (vsce lists
 * the files it would package, offline), and every client package ships the repository's licence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const vscodeDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const extensions = join(vscodeDir, '..');
const rootLicense = readFileSync(join(extensions, '..', 'LICENSE'), 'utf8');

test('the .vsix packages its licence, icon and bundle, and names the repository', () => {
  const files = execFileSync(join(extensions, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], {
    cwd: vscodeDir,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((l) => l !== '');
  for (const f of ['LICENSE', 'images/icon.png', 'dist/extension.js', 'package.json', 'README.md'])
    assert.ok(files.includes(f), `${f} in ${files}`);
  const pkg = JSON.parse(readFileSync(join(vscodeDir, 'package.json'), 'utf8'));
  assert.equal(pkg.icon, 'images/icon.png');
  assert.equal(
    readFileSync(join(vscodeDir, 'images', 'icon.png'))
      .subarray(1, 4)
      .toString(),
    'PNG',
  );
  assert.match(pkg.repository.url, /^https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
  assert.doesNotMatch(pkg.scripts.package, /--skip-license/);
});

test('every published client package ships the repository licence and its repository URL', () => {
  const url = JSON.parse(readFileSync(join(vscodeDir, 'package.json'), 'utf8')).repository.url;
  for (const dir of ['core', 'cli', 'claude-code', 'codex', 'vscode', 'zed']) {
    assert.equal(readFileSync(join(extensions, dir, 'LICENSE'), 'utf8'), rootLicense, dir);
    const pkg = JSON.parse(readFileSync(join(extensions, dir, 'package.json'), 'utf8'));
    assert.equal(pkg.license, 'MIT', dir);
    assert.equal(pkg.repository.url, url, dir);
  }
  assert.equal(readFileSync(join(extensions, 'claude-code', 'plugin', 'LICENSE'), 'utf8'), rootLicense);
});
