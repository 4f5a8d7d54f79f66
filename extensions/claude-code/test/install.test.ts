import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOOK_EVENTS, aiLineChanges, parseHookPayload } from '../src/index.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const installer = join(pkg, 'dist', 'install.js');
const devtime = join(pkg, '..', 'cli', 'dist', 'devtime.js');

/** A home of its own, so installing never touches this machine's ~/.devtime or ~/.claude. */
function isolated(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    DEVTIME_HOME: join(home, '.devtime'),
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    CODEX_HOME: join(home, '.codex'),
  };
}

const existing = {
  model: 'opus',
  permissions: { allow: ['Bash(npm test:*)'] },
  hooks: {
    PostToolUse: [{ matcher: 'Edit|Write', hooks: [{ type: 'command', command: 'npx prettier --write "$FILE"' }] }],
    Notification: [{ hooks: [{ type: 'command', command: 'notify-send Claude' }] }],
  },
};

test('the installer adds async hooks for every event, keeps the rest, is idempotent, and uninstalls cleanly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devtime-settings-'));
  const env = isolated(dir);
  const settings = join(dir, 'settings.json');
  writeFileSync(settings, JSON.stringify(existing, null, 2));
  execFileSync(process.execPath, [installer, '--settings', settings, '--node', '/usr/bin/node'], { env });
  const once = readFileSync(settings, 'utf8');
  execFileSync(process.execPath, [installer, '--settings', settings, '--node', '/usr/bin/node'], { env });
  assert.equal(readFileSync(settings, 'utf8'), once, 'a second install changes nothing');
  const s = JSON.parse(once);
  assert.equal(s.model, 'opus');
  assert.deepEqual(s.permissions, existing.permissions);
  assert.deepEqual(s.hooks.Notification, existing.hooks.Notification);
  assert.deepEqual(s.hooks.PostToolUse[0], existing.hooks.PostToolUse[0], "the user's own hook stays first");
  for (const event of HOOK_EVENTS) {
    const ours = s.hooks[event]
      .flatMap((m: { hooks: { command: string; async: boolean }[] }) => m.hooks)
      .filter((h: { command: string }) => h.command.includes('devtime-claude-hook'));
    assert.equal(ours.length, 1, event);
    assert.equal(ours[0].async, true);
    assert.equal(
      ours[0].command,
      `"/usr/bin/node" "${join(dir, '.devtime', 'bin', 'claude-code-hook.js')}" --devtime-claude-hook`,
    );
  }
  assert.deepEqual(JSON.parse(readFileSync(`${settings}.devtime-backup`, 'utf8')), existing);
  execFileSync(process.execPath, [installer, '--settings', settings, '--uninstall'], { env });
  assert.deepEqual(JSON.parse(readFileSync(settings, 'utf8')), existing);
});

test('the installer refuses to touch a settings file it cannot parse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devtime-settings-'));
  const settings = join(dir, 'settings.json');
  writeFileSync(settings, '{ "model": "opus", }');
  assert.throws(() =>
    execFileSync(process.execPath, [installer, '--settings', settings], { stdio: 'pipe', env: isolated(dir) }),
  );
  assert.equal(readFileSync(settings, 'utf8'), '{ "model": "opus", }');
});

/**
 * The plugin as Claude Code installs it: a marketplace (`.claude-plugin/marketplace.json` at the
 * repository root, with `name`, `owner` and `plugins[].source` relative to that root, as Claude Code's
 * marketplace reference documents) whose plugin folder is copied as it is in git, with no build step:
 * its `hook.js` is committed and must be the current build.
 */
test('the marketplace plugin runs from a fresh clone: committed hook.js equals the build, same events, all async', () => {
  const root = join(pkg, '..', '..');
  const marketplace = JSON.parse(readFileSync(join(root, '.claude-plugin', 'marketplace.json'), 'utf8'));
  assert.equal(marketplace.name, 'devtime');
  assert.equal(typeof marketplace.owner.name, 'string');
  const entry = marketplace.plugins.find((p: { name: string }) => p.name === 'devtime');
  const pluginDir = join(root, entry.source);
  assert.equal(pluginDir, join(pkg, 'plugin'));
  assert.ok(
    readFileSync(join(pluginDir, 'hook.js')).equals(readFileSync(join(pkg, 'dist', 'hook.js'))),
    'plugin/hook.js is not the current build: run `npm run plugin -w claude-code` and commit it',
  );
  const ignored = spawnSync('git', ['-C', root, 'check-ignore', '-q', join(pluginDir, 'hook.js')]);
  assert.notEqual(ignored.status, 0, 'plugin/hook.js must not be ignored by git');
  assert.ok(existsSync(join(pluginDir, 'LICENSE')));
  const manifest = JSON.parse(readFileSync(join(pluginDir, '.claude-plugin', 'plugin.json'), 'utf8'));
  assert.equal(manifest.name, 'devtime');
  const plugin = JSON.parse(readFileSync(join(pluginDir, 'hooks', 'hooks.json'), 'utf8'));
  assert.deepEqual(Object.keys(plugin.hooks).sort(), [...HOOK_EVENTS].sort());
  for (const event of HOOK_EVENTS) {
    for (const h of plugin.hooks[event].flatMap((m: { hooks: unknown[] }) => m.hooks)) {
      assert.equal(h.async, true);
      assert.equal(h.command, 'node "${CLAUDE_PLUGIN_ROOT}/hook.js" --devtime-claude-hook');
    }
  }
  // The hook as the plugin runs it, from the plugin folder alone.
  const home = mkdtempSync(join(tmpdir(), 'devtime-plugin-'));
  const copy = join(home, 'plugin');
  cpSync(pluginDir, copy, { recursive: true });
  const run = spawnSync(process.execPath, [join(copy, 'hook.js'), '--devtime-claude-hook'], {
    env: isolated(home),
    input: JSON.stringify({ hook_event_name: 'UserPromptSubmit', session_id: 's1', cwd: home, prompt: 'hi' }),
  });
  assert.equal(run.status, 0);
  assert.equal(String(run.stdout), '');
});

test('hook payloads: fields read, line changes of Edit, MultiEdit and Write', () => {
  const p = parseHookPayload(
    JSON.stringify({
      session_id: 'abc123',
      transcript_path: '/home/dev/.claude/projects/-home-dev-shop/abc123.jsonl',
      cwd: '/home/dev/shop',
      permission_mode: 'default',
      hook_event_name: 'PostToolUse',
      tool_name: 'MultiEdit',
      tool_input: {
        file_path: '/home/dev/shop/a.ts',
        edits: [
          { old_string: 'a\nb\nc', new_string: 'a\nB\nc' },
          { old_string: 'x', new_string: 'x\ny\nz', replace_all: false },
        ],
      },
      tool_response: { filePath: '/home/dev/shop/a.ts' },
      tool_use_id: 'toolu_01',
    }),
  );
  assert.ok(p);
  assert.equal(aiLineChanges(p), 4);
  assert.equal(aiLineChanges({ ...p, tool_name: 'Write', tool_input: { file_path: '/x', content: 'one\ntwo\n' } }), 2);
  assert.equal(parseHookPayload('{"hook_event_name":"Stop"}'), undefined, 'no session id');
  assert.equal(parseHookPayload('[]'), undefined);
});

test('--help, a fresh install run twice, and a checkout deleted after installing: status tells when hooks are broken', () => {
  const home = mkdtempSync(join(tmpdir(), 'devtime-install-'));
  const env = isolated(home);
  const help = spawnSync(process.execPath, [installer, '--help'], { env, encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: node install\.js/);
  assert.match(help.stdout, /not both/);
  assert.equal(spawnSync(process.execPath, [installer, '--bogus'], { env }).status, 2);

  // Built in a checkout that is then deleted.
  const clone = mkdtempSync(join(tmpdir(), 'devtime-clone-'));
  for (const f of ['install.js', 'hook.js']) copyFileSync(join(pkg, 'dist', f), join(clone, f));
  const settings = join(home, '.claude', 'settings.json');
  for (let i = 0; i < 2; i++) execFileSync(process.execPath, [join(clone, 'install.js')], { env });
  assert.equal(existsSync(`${settings}.devtime-backup`), false, 'no backup of its own output');
  rmSync(clone, { recursive: true });
  const stable = join(home, '.devtime', 'bin', 'claude-code-hook.js');
  const command = JSON.parse(readFileSync(settings, 'utf8')).hooks.Stop[0].hooks[0].command as string;
  assert.ok(command.includes(stable), command);
  const run = spawnSync(process.execPath, [stable, '--devtime-claude-hook'], {
    env,
    input: JSON.stringify({ hook_event_name: 'SessionStart', session_id: 's1', cwd: home }),
  });
  assert.equal(run.status, 0);

  const status = () =>
    spawnSync(process.execPath, [devtime, 'status'], {
      env: { ...env, DEVTIME_API_URL: 'http://127.0.0.1:9' },
      encoding: 'utf8',
    });
  assert.match(status().stdout, new RegExp(`claude-code: ${stable.replace(/[.]/g, '\\.')} \\(`));
  rmSync(stable);
  const broken = status();
  assert.equal(broken.status, 1);
  assert.match(
    broken.stdout,
    /claude-code: BROKEN, .*settings\.json runs .*claude-code-hook\.js, which no longer exists/,
  );
});
