import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOOK_EVENTS, aiLineChanges, parseHookPayload } from '../src/index.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const installer = join(pkg, 'dist', 'install.js');

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
  const settings = join(dir, 'settings.json');
  writeFileSync(settings, JSON.stringify(existing, null, 2));
  execFileSync(process.execPath, [installer, '--settings', settings, '--node', '/usr/bin/node']);
  const once = readFileSync(settings, 'utf8');
  execFileSync(process.execPath, [installer, '--settings', settings, '--node', '/usr/bin/node']);
  assert.equal(readFileSync(settings, 'utf8'), once, 'a second install changes nothing');
  const s = JSON.parse(once);
  assert.equal(s.model, 'opus');
  assert.deepEqual(s.permissions, existing.permissions);
  assert.deepEqual(s.hooks.Notification, existing.hooks.Notification);
  assert.deepEqual(s.hooks.PostToolUse[0], existing.hooks.PostToolUse[0], "the user's own hook stays first");
  for (const event of HOOK_EVENTS) {
    const ours = s.hooks[event].flatMap((m: { hooks: { command: string; async: boolean }[] }) => m.hooks).filter((h: { command: string }) => h.command.includes('devtime-claude-hook'));
    assert.equal(ours.length, 1, event);
    assert.equal(ours[0].async, true);
    assert.equal(ours[0].command, `"/usr/bin/node" "${join(pkg, 'dist', 'hook.js')}" --devtime-claude-hook`);
  }
  assert.ok(existsSync(`${settings}.devtime-backup`));
  execFileSync(process.execPath, [installer, '--settings', settings, '--uninstall']);
  assert.deepEqual(JSON.parse(readFileSync(settings, 'utf8')), existing);
});

test('the installer refuses to touch a settings file it cannot parse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devtime-settings-'));
  const settings = join(dir, 'settings.json');
  writeFileSync(settings, '{ "model": "opus", }');
  assert.throws(() => execFileSync(process.execPath, [installer, '--settings', settings], { stdio: 'pipe' }));
  assert.equal(readFileSync(settings, 'utf8'), '{ "model": "opus", }');
});

test('the plugin registers the same events, all async, through the bundled hook', () => {
  const plugin = JSON.parse(readFileSync(join(pkg, 'hooks', 'hooks.json'), 'utf8'));
  assert.deepEqual(Object.keys(plugin.hooks).sort(), [...HOOK_EVENTS].sort());
  for (const event of HOOK_EVENTS) {
    for (const h of plugin.hooks[event].flatMap((m: { hooks: unknown[] }) => m.hooks)) {
      assert.equal(h.async, true);
      assert.equal(h.command, 'node "${CLAUDE_PLUGIN_ROOT}/dist/hook.js" --devtime-claude-hook');
    }
  }
  const manifest = JSON.parse(readFileSync(join(pkg, '.claude-plugin', 'plugin.json'), 'utf8'));
  assert.equal(manifest.name, 'devtime');
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
