/** DevTime's entries in Codex's `hooks.json` (same envelope as Claude Code's: event -> matchers -> hooks). */
import { CODEX_HOOK_EVENTS } from './handle.js';
import { isOurCommand } from './config-edit.js';

interface Hook {
  type: string;
  command: string;
  timeout?: number;
}
interface Group {
  matcher?: string;
  hooks: Hook[];
}
export type HooksFile = { description?: string | null; hooks?: Record<string, Group[]> };

const ours = (h: Hook) => isOurCommand(h.command);

export function removeCodexHooks(file: HooksFile): HooksFile {
  const hooks: Record<string, Group[]> = {};
  for (const [event, groups] of Object.entries(file.hooks ?? {})) {
    const kept = groups
      .map((g) => ({ ...g, hooks: (g.hooks ?? []).filter((h) => !ours(h)) }))
      .filter((g) => g.hooks.length > 0);
    if (kept.length > 0) hooks[event] = kept;
  }
  return { ...file, hooks };
}

export function addCodexHooks(file: HooksFile, command: string): HooksFile {
  const out = removeCodexHooks(file);
  const hooks = { ...out.hooks };
  for (const event of CODEX_HOOK_EVENTS) {
    hooks[event] = [...(hooks[event] ?? []), { hooks: [{ type: 'command', command, timeout: 10 }] }];
  }
  return { ...out, hooks };
}
