import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLIENT_VERSION, userAgent } from '../src/index.js';

/** extensions/, from dist/test/ of the core package. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PACKAGES = ['core', 'cli', 'claude-code', 'codex', 'zed', 'vscode'];

const json = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
/** The first `version = "..."` line of a TOML file (the package's own, in both files read here). */
const tomlVersion = (path: string) => /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, path), 'utf8'))?.[1];

test('every client manifest carries CLIENT_VERSION, and depends on its siblings at that version', () => {
  const found: Record<string, string | undefined> = {};
  for (const p of PACKAGES) {
    const pkg = json(`${p}/package.json`);
    found[`${p}/package.json`] = pkg.version;
    for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      if (name.startsWith('@devtime/')) found[`${p}/package.json ${name}`] = range as string;
    }
  }
  found['claude-code/plugin/.claude-plugin/plugin.json'] = json(
    'claude-code/plugin/.claude-plugin/plugin.json',
  ).version;
  found['zed/extension.toml'] = tomlVersion('zed/extension.toml');
  found['zed/Cargo.toml'] = tomlVersion('zed/Cargo.toml');
  found['vscode/package.json scripts.package'] = /devtime-vscode-(.+)\.vsix/.exec(
    json('vscode/package.json').scripts.package,
  )?.[1];
  const wrong = Object.entries(found).filter(([, v]) => v !== CLIENT_VERSION);
  assert.deepEqual(wrong, [], `each should be ${CLIENT_VERSION} (core/src/version.ts)`);
});

test('the user agent names the core at CLIENT_VERSION', () => {
  assert.match(
    userAgent({ plugin: 'devtime-cli', pluginVersion: CLIENT_VERSION }),
    new RegExp(`^devtime/${CLIENT_VERSION.replace(/\./g, '\\.')} `),
  );
});
