/**
 * Where the installers put the programs Claude Code and Codex run, and how `devtime status` checks
 * that what those tools were told to run still exists. The programs are single bundled files, copied
 * to `~/.devtime/bin/`, so moving or deleting the checkout they were built in stops nothing.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const CLAUDE_HOOK_MARKER = '--devtime-claude-hook';
export const CODEX_MARKER = '--devtime-codex';

/** Copies a bundled program to `<devtimeHome>/bin/<name>` (atomically) and returns its path. */
export function installProgram(source: string, devtimeHome: string, name: string): string {
  const dir = join(devtimeHome, 'bin');
  mkdirSync(dir, { recursive: true });
  const target = join(dir, name);
  const tmp = `${target}.${process.pid}.tmp`;
  copyFileSync(source, tmp);
  renameSync(tmp, target);
  return target;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type WithHelp<O extends Options> = { args: string[]; options: O & { help: { type: 'boolean'; short: 'h' } } };

/**
 * An installer's command line: its options and `--help` (`-h`). Instead of the values, the exit code once
 * the usage is printed: 0 for `--help`, 2 (with the error) for an argument it does not know.
 */
export function installerArgs<O extends Options>(
  argv: string[],
  options: O,
  usage: string,
): ReturnType<typeof parseArgs<WithHelp<O>>>['values'] | number {
  let values;
  try {
    ({ values } = parseArgs<WithHelp<O>>({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    process.stderr.write(`devtime: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  if ((values as { help?: boolean }).help) {
    process.stdout.write(usage);
    return 0;
  }
  return values;
}

/** Writes a file through a temporary beside it and a rename, so a reader sees the old text or the new. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.devtime-tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** The quoted strings of a hook command line or TOML array, unescaped. */
function quoted(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    try {
      out.push(JSON.parse(`"${m[1]}"`) as string);
    } catch {
      out.push(m[1]);
    }
  }
  return out;
}

export interface HookCheck {
  tool: 'claude-code' | 'codex';
  /** The file that was configured. */
  config: string;
  /** The program the tool runs (the `.js` file in the command). */
  program?: string;
  ok: boolean;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The `.js` programs DevTime's entries name, from every command line that carries the marker. */
function programs(commands: string[], marker: string): string[] {
  return commands.filter((c) => c.includes(marker)).flatMap((c) => quoted(c).filter((a) => a.endsWith('.js')));
}

function hookCommands(json: string | undefined): string[] {
  if (!json) return [];
  try {
    const hooks = (JSON.parse(json) as { hooks?: Record<string, { hooks?: { command?: unknown }[] }[]> }).hooks ?? {};
    return Object.values(hooks)
      .flat()
      .flatMap((g) => g?.hooks ?? [])
      .map((h) => h?.command)
      .filter((c): c is string => typeof c === 'string');
  } catch {
    return [];
  }
}

/** DevTime's hook entries in Claude Code's settings and Codex's config, each with whether its program exists. */
export function checkHooks(env: NodeJS.ProcessEnv = process.env): HookCheck[] {
  const out: HookCheck[] = [];
  const claudeSettings = join(env.CLAUDE_CONFIG_DIR ?? join(env.HOME ?? homedir(), '.claude'), 'settings.json');
  for (const program of new Set(programs(hookCommands(readText(claudeSettings)), CLAUDE_HOOK_MARKER))) {
    out.push({ tool: 'claude-code', config: claudeSettings, program, ok: existsSync(program) });
  }
  const codexHome = env.CODEX_HOME ?? join(env.HOME ?? homedir(), '.codex');
  const configToml = join(codexHome, 'config.toml');
  const notify = /^\s*notify\s*=\s*\[([^\]]*)\]/m.exec(readText(configToml) ?? '')?.[1];
  const codexPrograms = new Set([
    ...(notify ? programs([notify], CODEX_MARKER) : []),
    ...programs(hookCommands(readText(join(codexHome, 'hooks.json'))), CODEX_MARKER),
  ]);
  for (const program of codexPrograms)
    out.push({ tool: 'codex', config: configToml, program, ok: existsSync(program) });
  return out;
}
