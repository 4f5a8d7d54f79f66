/**
 * `devtime usage` must report the same token totals as ccusage (the reference tool the community
 * uses) for the same files: the committed sample corpus and seeded random corpora. ccusage 20 is a
 * native binary shipped in @ccusage/ccusage-linux-x64 (an optional dependency of this package).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeClaudeCorpus, writeCodexCorpus } from './corpus.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..', '..');
const devtime = join(pkg, 'dist', 'devtime.js');
const fixtures = join(pkg, 'test', 'fixtures');
const require = createRequire(import.meta.url);

type Totals = Record<string, { input: number; output: number; cache_creation: number; cache_read: number }>;

/** ccusage's own launcher: it finds the native binary in @ccusage/ccusage-<os>-<arch> and runs it. */
function ccusageLauncher(): string | undefined {
  try {
    require.resolve('@ccusage/ccusage-linux-x64/package.json');
    return join(dirname(require.resolve('ccusage/package.json')), 'src', 'cli.js');
  } catch {
    return undefined;
  }
}

const launcher = ccusageLauncher();
const skip =
  process.platform !== 'linux' || process.arch !== 'x64'
    ? 'ccusage parity runs on linux-x64 (the native package installed beside ccusage here)'
    : false;

function ccusage(args: string[], env: Record<string, string>): Record<string, unknown> {
  assert.ok(
    launcher && existsSync(launcher),
    'ccusage and @ccusage/ccusage-linux-x64 are not installed: run npm ci in extensions/',
  );
  const out = execFileSync(process.execPath, [launcher, ...args, '--json', '--offline', '--timezone', 'UTC'], {
    env: { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'ccusage-home-')), ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out) as Record<string, unknown>;
}

function ours(source: string, dir: string): Totals {
  const out = execFileSync(process.execPath, [devtime, 'usage', '--source', source, '--path', dir, '--json'], {
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { models: Totals }).models;
}

interface CcusageClaudeDay {
  modelBreakdowns: {
    modelName: string;
    inputTokens: number;
    outputTokens: number;
    cacheCreationTokens: number;
    cacheReadTokens: number;
  }[];
}

function ccusageClaude(projectsDir: string): { models: Totals; total: number } {
  const report = ccusage(['claude', 'daily', '--breakdown'], { CLAUDE_CONFIG_DIR: dirname(projectsDir) }) as {
    daily: CcusageClaudeDay[];
    totals: { totalTokens: number };
  };
  const models: Totals = {};
  for (const day of report.daily) {
    for (const b of day.modelBreakdowns) {
      const m = (models[b.modelName] ??= { input: 0, output: 0, cache_creation: 0, cache_read: 0 });
      m.input += b.inputTokens;
      m.output += b.outputTokens;
      m.cache_creation += b.cacheCreationTokens;
      m.cache_read += b.cacheReadTokens;
    }
  }
  return { models, total: report.totals.totalTokens };
}

function ccusageCodex(sessionsDir: string): Totals {
  const report = ccusage(['codex', 'daily'], { CODEX_HOME: dirname(sessionsDir) }) as {
    daily: {
      models: Record<
        string,
        { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number }
      >;
    }[];
  };
  const models: Totals = {};
  for (const day of report.daily) {
    for (const [name, b] of Object.entries(day.models)) {
      const m = (models[name] ??= { input: 0, output: 0, cache_creation: 0, cache_read: 0 });
      m.input += b.inputTokens;
      m.output += b.outputTokens;
      m.cache_creation += b.cacheCreationTokens;
      m.cache_read += b.cacheReadTokens;
    }
  }
  return models;
}

function sum(t: Totals): number {
  return Object.values(t).reduce((a, m) => a + m.input + m.output + m.cache_creation + m.cache_read, 0);
}

test('Claude Code sample corpus: per-model totals equal ccusage', { skip }, () => {
  const dir = join(fixtures, 'claude', 'projects');
  const expected = ccusageClaude(dir);
  const actual = ours('claude-code', dir);
  assert.deepEqual(actual, expected.models);
  assert.equal(sum(actual), expected.total);
  // The corpus exercises the rules: the sidechain replay, the streaming duplicates and the rewritten
  // response must not add up (a naive sum over lines is larger).
  assert.ok(Object.keys(actual).length >= 3);
});

test('Codex sample corpus: per-model totals equal ccusage', { skip }, () => {
  const dir = join(fixtures, 'codex', 'sessions');
  assert.deepEqual(ours('codex', dir), ccusageCodex(dir));
});

for (const seed of [1, 2, 3, 42, 2026]) {
  test(`random Claude Code corpus (seed ${seed}) equals ccusage`, { skip }, () => {
    const root = mkdtempSync(join(tmpdir(), 'devtime-claude-'));
    try {
      const dir = writeClaudeCorpus(root, seed);
      const expected = ccusageClaude(dir);
      const actual = ours('claude-code', dir);
      assert.ok(sum(actual) > 0);
      assert.deepEqual(actual, expected.models);
      assert.equal(sum(actual), expected.total);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test(`random Codex corpus (seed ${seed}) equals ccusage`, { skip }, () => {
    const root = mkdtempSync(join(tmpdir(), 'devtime-codex-'));
    try {
      const dir = writeCodexCorpus(root, seed);
      const actual = ours('codex', dir);
      assert.ok(sum(actual) > 0);
      assert.deepEqual(actual, ccusageCodex(dir));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}
