/**
 * Adds DevTime's hooks to Claude Code's user settings (`~/.claude/settings.json`), for people who do
 * not use the plugin. The hook program is copied to `~/.devtime/bin/`, so the checkout it was built in
 * can move or go. Other settings and other hooks are kept; running it again changes nothing;
 * `--uninstall` removes only DevTime's hooks.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@devtime/core';
import { installerArgs, installProgram, writeFileAtomic } from '@devtime/cli';
import { HOOK_EVENTS } from './payload.js';

const USAGE = `Usage: node install.js [--settings FILE] [--node PATH] [--uninstall]

Adds DevTime's hooks to Claude Code's user settings (default: ~/.claude/settings.json, or
$CLAUDE_CONFIG_DIR/settings.json) and copies the hook program to ~/.devtime/bin/claude-code-hook.js.
  --settings FILE   another settings file (a project's .claude/settings.json)
  --node PATH       the node binary the hooks run (default: this one)
  --uninstall       remove DevTime's hooks
Use either these hooks or the DevTime plugin, not both: with both, every prompt counts twice.
`;

/** Every DevTime hook command contains this, which is how uninstall and re-install recognise them. */
export const MARKER = 'devtime-claude-hook';

interface HookCommand {
  type: string;
  command: string;
  async?: boolean;
  timeout?: number;
}
interface Matcher {
  matcher?: string;
  hooks: HookCommand[];
}
type Settings = Record<string, unknown> & { hooks?: Record<string, Matcher[]> };

/** Ours when the command has the `--devtime-claude-hook` argument (not merely a path containing it). */
function isOurs(h: HookCommand): boolean {
  return typeof h.command === 'string' && new RegExp(`(^|[\\s"])--${MARKER}(["\\s]|$)`).test(h.command);
}

/** Settings without DevTime's hooks (empty matchers and events dropped). */
export function removeHooks(settings: Settings): Settings {
  const hooks = { ...(settings.hooks ?? {}) };
  for (const [event, matchers] of Object.entries(hooks)) {
    if (!Array.isArray(matchers)) continue;
    const kept = matchers
      .map((m) => ({ ...m, hooks: Array.isArray(m.hooks) ? m.hooks.filter((h) => !isOurs(h)) : m.hooks }))
      .filter((m) => !Array.isArray(m.hooks) || m.hooks.length > 0);
    if (kept.length > 0) hooks[event] = kept;
    else delete hooks[event];
  }
  const out: Settings = { ...settings, hooks };
  if (Object.keys(hooks).length === 0) delete out.hooks;
  return out;
}

/** Settings with DevTime's hook on every event it tracks, each async so Claude Code never waits. */
export function addHooks(settings: Settings, command: string): Settings {
  const out = removeHooks(settings);
  const hooks = { ...(out.hooks ?? {}) };
  for (const event of HOOK_EVENTS) {
    const entry: Matcher = { hooks: [{ type: 'command', command, async: true, timeout: 30 }] };
    if (event === 'PreToolUse' || event === 'PostToolUse') entry.matcher = '*';
    hooks[event] = [...(hooks[event] ?? []), entry];
  }
  return { ...out, hooks };
}

export function hookCommand(nodePath: string, hookScript: string): string {
  const q = (s: string) => `"${s.replace(/(["\\$`])/g, '\\$1')}"`;
  // The marker is an argument the hook ignores; it names our entries in a shared settings file.
  return `${q(nodePath)} ${q(hookScript)} --${MARKER}`;
}

export function main(argv = process.argv.slice(2)): number {
  const values = installerArgs(
    argv,
    { settings: { type: 'string' }, node: { type: 'string' }, uninstall: { type: 'boolean' } },
    USAGE,
  );
  if (typeof values === 'number') return values;
  const settingsPath = resolve(
    values.settings ?? join(process.env.CLAUDE_CONFIG_DIR ?? join(homedir(), '.claude'), 'settings.json'),
  );
  let settings: Settings = {};
  if (existsSync(settingsPath)) {
    try {
      settings = JSON.parse(readFileSync(settingsPath, 'utf8')) as Settings;
    } catch (e) {
      process.stderr.write(
        `devtime: ${(e as Error).message.includes('JSON') ? `${settingsPath} is not valid JSON (${(e as Error).message})` : (e as Error).message}; not changing it\n`,
      );
      return 1;
    }
    // The user's own file, once: never a file that already holds DevTime's entries (our own output).
    const untouched = JSON.stringify(removeHooks(settings)) === JSON.stringify(settings);
    if (untouched && !existsSync(`${settingsPath}.devtime-backup`))
      writeFileSync(`${settingsPath}.devtime-backup`, readFileSync(settingsPath));
  }
  let next: Settings;
  if (values.uninstall) next = removeHooks(settings);
  else {
    const hookScript = installProgram(
      join(dirname(fileURLToPath(import.meta.url)), 'hook.js'),
      loadConfig().home,
      'claude-code-hook.js',
    );
    next = addHooks(settings, hookCommand(values.node ?? process.execPath, hookScript));
  }
  writeFileAtomic(settingsPath, `${JSON.stringify(next, null, 2)}\n`);
  process.stdout.write(
    values.uninstall
      ? `removed DevTime hooks from ${settingsPath}\n`
      : `DevTime hooks installed in ${settingsPath}\nIf the DevTime plugin is installed too, remove one of the two: with both, every prompt counts twice.\n`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
