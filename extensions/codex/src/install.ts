/**
 * Points Codex at DevTime: `notify` in `~/.codex/config.toml` (an existing notify program is kept and
 * still run, through ours), and with `--hooks` also DevTime's entries in `~/.codex/hooks.json` (for
 * Codex versions with hooks). The program is copied to `~/.devtime/bin/`, so the checkout it was
 * built in can move or go. `--uninstall` undoes both.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@devtime/core';
import { installerArgs, installProgram, writeFileAtomic } from '@devtime/cli';
import { NOTIFY_MARKER, setNotify, unsetNotify } from './config-edit.js';
import { codexHome } from './handle.js';
import { addCodexHooks, removeCodexHooks, type HooksFile } from './hooks-file.js';
import { previousNotifyPath } from './handle.js';

const USAGE = `Usage: node install.js [--codex-home DIR] [--node PATH] [--hooks] [--uninstall]

Sets Codex's notify program (in ~/.codex/config.toml, or $CODEX_HOME/config.toml) to DevTime's,
copied to ~/.devtime/bin/codex-notify.js; a notify program already set keeps running through it.
  --codex-home DIR  another Codex home
  --node PATH       the node binary Codex runs (default: this one)
  --hooks           also add DevTime's hooks to hooks.json (Codex versions with hooks)
  --uninstall       restore the previous notify program and remove DevTime's hooks
`;

function main(argv = process.argv.slice(2)): number {
  const values = installerArgs(
    argv,
    {
      'codex-home': { type: 'string' },
      node: { type: 'string' },
      hooks: { type: 'boolean' },
      uninstall: { type: 'boolean' },
    },
    USAGE,
  );
  if (typeof values === 'number') return values;
  const home = resolve(values['codex-home'] ?? codexHome());
  const devtimeHome = loadConfig().home;
  const configPath = join(home, 'config.toml');
  const hooksPath = join(home, 'hooks.json');
  const built = join(dirname(fileURLToPath(import.meta.url)), 'notify.js');
  const program = values.uninstall ? built : installProgram(built, devtimeHome, 'codex-notify.js');
  // The marker argument names our entries; notify.js ignores it.
  const cmd = [values.node ?? process.execPath, program, `--${NOTIFY_MARKER}`];
  const text = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '';

  try {
    if (values.uninstall) {
      const prevPath = previousNotifyPath(devtimeHome);
      const previous = existsSync(prevPath) ? (JSON.parse(readFileSync(prevPath, 'utf8')) as string[]) : undefined;
      writeFileAtomic(configPath, unsetNotify(text, previous));
      rmSync(prevPath, { force: true });
      if (existsSync(hooksPath)) {
        writeFileAtomic(
          hooksPath,
          `${JSON.stringify(removeCodexHooks(JSON.parse(readFileSync(hooksPath, 'utf8')) as HooksFile), null, 2)}\n`,
        );
      }
      process.stdout.write(`removed DevTime from ${configPath}\n`);
      return 0;
    }
    const { text: next, previous } = setNotify(text, cmd);
    if (previous) writeFileAtomic(previousNotifyPath(devtimeHome), JSON.stringify(previous));
    // The user's own file, once: never one that already names DevTime's program (our own output).
    if (!existsSync(`${configPath}.devtime-backup`) && text !== '' && !text.includes(`--${NOTIFY_MARKER}`))
      writeFileSync(`${configPath}.devtime-backup`, text);
    writeFileAtomic(configPath, next);
    if (values.hooks) {
      const current = existsSync(hooksPath) ? (JSON.parse(readFileSync(hooksPath, 'utf8')) as HooksFile) : {};
      const hookCmd = `${cmd.map((a) => JSON.stringify(a)).join(' ')} --hook`;
      writeFileAtomic(hooksPath, `${JSON.stringify(addCodexHooks(current, hookCmd), null, 2)}\n`);
    }
  } catch (e) {
    process.stderr.write(`devtime: ${(e as Error).message}; nothing changed\n`);
    return 1;
  }
  process.stdout.write(
    `DevTime notify installed in ${configPath}${values.hooks ? ` and hooks in ${hooksPath}` : ''}\n`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
