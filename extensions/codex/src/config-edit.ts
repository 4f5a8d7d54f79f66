/**
 * Editing `~/.codex/config.toml` without clobbering it: only the top-level `notify` line changes; every
 * other byte (comments, tables, order) stays. The result is checked by parsing it: every other setting
 * must read back exactly as before.
 */
import { parse } from 'smol-toml';
import { isDeepStrictEqual } from 'node:util';

/** Identifies DevTime's notify program in a shared config. */
export const NOTIFY_MARKER = 'devtime-codex';

export type NotifyCommand = string[];

/** Ours when one argument is exactly `--devtime-codex` (a path merely containing the name is not). */
export function isOurNotify(v: unknown): boolean {
  return Array.isArray(v) && v.some((a) => a === `--${NOTIFY_MARKER}`);
}

/** The same test on a hook's shell command line. */
export function isOurCommand(command: unknown): boolean {
  return typeof command === 'string' && new RegExp(`(^|[\\s"])--${NOTIFY_MARKER}(["\\s]|$)`).test(command);
}

function tomlString(s: string): string {
  return JSON.stringify(s); // a JSON string is a valid TOML basic string
}

export function notifyLine(cmd: NotifyCommand): string {
  return `notify = [${cmd.map(tomlString).join(', ')}]`;
}

/** Lines [start, end) of the top-level `notify = ...` assignment (it may span lines), if any. */
function findNotify(lines: string[]): { start: number; end: number } | undefined {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (/^\[/.test(l)) return undefined; // tables begin: notify is a top-level key
    if (/^notify\s*=/.test(l)) {
      for (let j = i + 1; j <= lines.length; j++) {
        try {
          parse(lines.slice(i, j).join('\n'));
          return { start: i, end: j };
        } catch {
          // The array continues on the next line.
        }
      }
      return undefined;
    }
  }
  return undefined;
}

function firstTable(lines: string[]): number {
  const i = lines.findIndex((l) => /^\s*\[/.test(l));
  return i < 0 ? lines.length : i;
}

export interface EditResult {
  text: string;
  /** The notify command that was there before, if it was someone else's. */
  previous?: NotifyCommand;
}

/** Sets the top-level notify to `cmd`; throws if the file is not valid TOML. */
export function setNotify(text: string, cmd: NotifyCommand): EditResult {
  const before = parse(text) as Record<string, unknown>;
  const previous =
    Array.isArray(before.notify) && !isOurNotify(before.notify) ? (before.notify as NotifyCommand) : undefined;
  const lines = text.split('\n');
  const found = findNotify(lines);
  if (found) lines.splice(found.start, found.end - found.start, notifyLine(cmd));
  else {
    // Before the first table (a key after a [table] header would belong to that table).
    let at = firstTable(lines);
    while (at > 0 && lines[at - 1].trim() === '') at--;
    lines.splice(at, 0, notifyLine(cmd), ...(at < lines.length && lines[at].trim() !== '' ? [''] : []));
  }
  const out = lines.join('\n');
  check(before, out, cmd);
  return { text: out, previous };
}

/** Removes our notify (putting `previous` back, if given). */
export function unsetNotify(text: string, previous?: NotifyCommand): string {
  const before = parse(text) as Record<string, unknown>;
  if (!isOurNotify(before.notify)) return text;
  const lines = text.split('\n');
  const found = findNotify(lines)!;
  lines.splice(found.start, found.end - found.start, ...(previous ? [notifyLine(previous)] : []));
  const out = lines.join('\n');
  check(before, out, previous);
  return out;
}

function check(before: Record<string, unknown>, text: string, notify: NotifyCommand | undefined): void {
  const after = parse(text) as Record<string, unknown>;
  const { notify: _a, ...restBefore } = before;
  const { notify: n, ...restAfter } = after;
  if (!isDeepStrictEqual(restBefore, restAfter) || !isDeepStrictEqual(n, notify)) {
    throw new Error('editing config.toml would change other settings; not writing it');
  }
}
