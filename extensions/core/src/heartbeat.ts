import { arch, platform } from 'node:os';
import { CLIENT_VERSION } from './version.js';

export type Category = 'coding' | 'debugging' | 'building' | 'ai coding' | 'code reviewing' | 'idle' | (string & {});
export type EntityType = 'file' | 'app' | 'domain' | 'url';

/** The optional fields, named as on the wire: an adapter may report each (`Activity`) and the heartbeat carries it. */
export interface HeartbeatFields {
  project?: string;
  branch?: string;
  language?: string;
  is_write?: boolean;
  lines?: number;
  lineno?: number;
  cursorpos?: number;
  ai_session?: string;
  ai_input_tokens?: number;
  ai_output_tokens?: number;
  ai_cache_creation_tokens?: number;
  ai_cache_read_tokens?: number;
  ai_model?: string;
  ai_prompts?: number;
  ai_prompt_length?: number;
  ai_line_changes?: number;
  human_line_changes?: number;
}

/**
 * One heartbeat in WakaTime's wire shape plus the DevTime extension fields (docs/api.md, "Heartbeat
 * fields"). This is exactly what is queued and what is POSTed to `heartbeats.bulk`.
 */
export interface Heartbeat extends HeartbeatFields {
  /** File path (or its SHA-256), app or domain. */
  entity: string;
  type: EntityType;
  category: Category;
  /** Epoch seconds with millisecond precision. */
  time: number;
  /** `vscode`, `claude-code`, `codex`, `zed`, `cli`. */
  tool: string;
  user_agent: string;
}

export interface UserAgentParts {
  /** The host tool's token, e.g. `vscode`, `claude-code`. */
  editor?: string;
  editorVersion?: string;
  /** Our plugin's token, e.g. `devtime-vscode`. */
  plugin: string;
  pluginVersion: string;
}

/**
 * `devtime/0.1.0 (linux-x64) node/20.20.2 vscode/1.95.0 devtime-vscode/0.1.0`: the editor token
 * before the plugin token, as WakaTime plugins do, so the server's user-agent parser finds both.
 */
export function userAgent(parts: UserAgentParts): string {
  const tokens = [`devtime/${CLIENT_VERSION}`, `(${platform()}-${arch()})`, `node/${process.versions.node}`];
  if (parts.editor) tokens.push(`${parts.editor}/${parts.editorVersion ?? 'unknown'}`);
  tokens.push(`${parts.plugin}/${parts.pluginVersion}`);
  return tokens.join(' ');
}

/** Epoch seconds with millisecond precision, the `time` field's unit. */
export function toWakaTime(ms: number): number {
  return Math.round(ms) / 1000;
}
