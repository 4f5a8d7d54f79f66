/**
 * The JSON Claude Code writes to a command hook's stdin. Every event carries `session_id`,
 * `transcript_path`, `cwd` and `hook_event_name` (and usually `permission_mode`); the rest depends on
 * the event. Only the fields DevTime reads are typed; the prompt text is read for its length only.
 */
export const HOOK_EVENTS = [
  'SessionStart',
  'SessionEnd',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'Stop',
  'SubagentStop',
] as const;

export type HookEventName = (typeof HOOK_EVENTS)[number];

export interface HookPayload {
  hook_event_name: HookEventName;
  session_id: string;
  transcript_path?: string;
  cwd?: string;
  permission_mode?: string;
  /** SessionStart: startup | resume | clear | compact. */
  source?: string;
  /** SessionStart (recent versions). */
  model?: string;
  /** SessionEnd: clear | logout | prompt_input_exit | other. */
  reason?: string;
  /** UserPromptSubmit. */
  prompt?: string;
  /** PreToolUse / PostToolUse. */
  tool_name?: string;
  tool_input?: Record<string, unknown>;
  tool_response?: unknown;
  tool_use_id?: string;
  /** Stop / SubagentStop. */
  stop_hook_active?: boolean;
  /** SubagentStop (recent versions): the sub-agent's own transcript. */
  agent_id?: string;
  agent_transcript_path?: string;
}

/** Parses hook stdin; undefined for anything that is not a hook event DevTime handles. */
export function parseHookPayload(text: string): HookPayload | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const d = data as Record<string, unknown>;
  if (!HOOK_EVENTS.includes(d.hook_event_name as HookEventName)) return undefined;
  if (typeof d.session_id !== 'string' || d.session_id === '') return undefined;
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const obj = (k: string) =>
    typeof d[k] === 'object' && d[k] !== null && !Array.isArray(d[k]) ? (d[k] as Record<string, unknown>) : undefined;
  return {
    hook_event_name: d.hook_event_name as HookEventName,
    session_id: d.session_id,
    transcript_path: str('transcript_path'),
    cwd: str('cwd'),
    permission_mode: str('permission_mode'),
    source: str('source'),
    model: str('model'),
    reason: str('reason'),
    prompt: str('prompt'),
    tool_name: str('tool_name'),
    tool_input: obj('tool_input'),
    tool_response: d.tool_response,
    tool_use_id: str('tool_use_id'),
    stop_hook_active: typeof d.stop_hook_active === 'boolean' ? d.stop_hook_active : undefined,
    agent_id: str('agent_id'),
    agent_transcript_path: str('agent_transcript_path'),
  };
}

/** Tools that write files, and where their input names the file. */
const FILE_TOOLS: Record<string, string> = {
  Edit: 'file_path',
  MultiEdit: 'file_path',
  Write: 'file_path',
  NotebookEdit: 'notebook_path',
};

export function editedFile(p: HookPayload): string | undefined {
  const key = p.tool_name ? FILE_TOOLS[p.tool_name] : undefined;
  const v = key ? p.tool_input?.[key] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function lines(s: unknown): string[] {
  return typeof s === 'string' && s !== '' ? s.replace(/\n$/, '').split('\n') : [];
}

/** Lines only in `before` plus lines only in `after` (a multiset difference: what a diff would mark). */
function changedLines(before: string[], after: string[]): number {
  const counts = new Map<string, number>();
  for (const l of before) counts.set(l, (counts.get(l) ?? 0) + 1);
  let added = 0;
  for (const l of after) {
    const c = counts.get(l) ?? 0;
    if (c > 0) counts.set(l, c - 1);
    else added++;
  }
  let removed = 0;
  for (const c of counts.values()) removed += c;
  return added + removed;
}

/** Lines the AI changed with one Edit, MultiEdit or Write call, from the tool input. */
export function aiLineChanges(p: HookPayload): number | undefined {
  const input = p.tool_input;
  if (!input) return undefined;
  switch (p.tool_name) {
    case 'Edit':
      return changedLines(lines(input.old_string), lines(input.new_string));
    case 'MultiEdit':
      return Array.isArray(input.edits)
        ? input.edits.reduce<number>((n, e) => {
            const edit = (e ?? {}) as Record<string, unknown>;
            return n + changedLines(lines(edit.old_string), lines(edit.new_string));
          }, 0)
        : undefined;
    case 'Write':
      return lines(input.content).length;
    case 'NotebookEdit':
      return lines(input.new_source).length;
    default:
      return undefined;
  }
}
