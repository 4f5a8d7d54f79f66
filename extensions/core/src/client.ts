import { basename, isAbsolute } from 'node:path';
import type { DevTimeConfig, LoadConfigOptions } from './config.js';
import { loadConfig } from './config.js';
import { ProjectDetector } from './git.js';
import type { Category, EntityType, Heartbeat, HeartbeatFields } from './heartbeat.js';
import { toWakaTime, userAgent } from './heartbeat.js';
import { languageFromPath } from './language.js';
import type { ExclusionReason, PrivacyFilter } from './privacy.js';
import { createPrivacyFilter } from './privacy.js';
import type { Logger } from './queue.js';
import { DurableQueue, silentLogger } from './queue.js';
import type { FlushOptions, FlushResult } from './sender.js';
import { flushQueue, Sender } from './sender.js';

/** What an adapter reports; the client fills in project, branch, language, user agent and privacy. */
export interface Activity extends HeartbeatFields {
  /** Absolute file path for `type: "file"`, else an app or domain name. */
  entity: string;
  type?: EntityType;
  /** When it happened, epoch milliseconds. Default: now. */
  timeMs?: number;
  category?: Category;
  /** Working directory, used to find the project when the entity is not a file in it. */
  cwd?: string;
  /**
   * The project's folder when it is not a git work tree (an editor's workspace folder): sensitive
   * directory patterns are then matched inside it rather than against the whole path.
   */
  projectRoot?: string;
}

export interface ClientOptions {
  /** The `tool` field: `vscode`, `claude-code`, `codex`, `zed`, `cli`. */
  tool: string;
  /** Our plugin's user-agent token and version, e.g. `devtime-claude-code`, `0.1.0`. */
  plugin: string;
  pluginVersion: string;
  /** The host's user-agent token and version, e.g. `claude-code`, `2.0.14`. */
  editor?: string;
  editorVersion?: string;
  /** A loaded config; otherwise `loadConfig(configOptions)`. */
  config?: DevTimeConfig;
  configOptions?: LoadConfigOptions;
  logger?: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
  machineName?: string;
}

export type PrepareResult =
  { heartbeat: Heartbeat; excluded?: undefined } | { heartbeat?: undefined; excluded: ExclusionReason };

/** The shared pipeline every adapter uses: activity -> privacy -> heartbeat -> durable queue -> server. */
export class DevTimeClient {
  readonly config: DevTimeConfig;
  readonly queue: DurableQueue;
  readonly sender: Sender;
  readonly privacy: PrivacyFilter;
  readonly projects = new ProjectDetector();
  readonly userAgent: string;
  private readonly logger: Logger;

  constructor(private readonly options: ClientOptions) {
    this.config = options.config ?? loadConfig(options.configOptions);
    this.logger = options.logger ?? silentLogger;
    for (const w of this.config.warnings) this.logger.warn(w);
    this.userAgent = userAgent({
      editor: options.editor,
      editorVersion: options.editorVersion,
      plugin: options.plugin,
      pluginVersion: options.pluginVersion,
    });
    this.privacy = createPrivacyFilter(this.config.privacy);
    this.queue = new DurableQueue({
      dir: this.config.queue.dir,
      maxSize: this.config.queue.maxSize,
      logger: this.logger,
    });
    this.sender = new Sender({
      endpoint: this.config.endpoint,
      apiKey: this.config.apiKey,
      userAgent: this.userAgent,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      machineName: options.machineName,
    });
  }

  /** Builds the heartbeat to send, or says why the activity is excluded. Never touches the network. */
  prepare(activity: Activity): PrepareResult {
    const type = activity.type ?? 'file';
    const isFile = type === 'file';
    const detected =
      isFile && isAbsolute(activity.entity)
        ? this.projects.detect(activity.entity)
        : activity.cwd
          ? this.projects.detectFromDir(activity.cwd)
          : undefined;
    const project = activity.project ?? detected?.project;
    const branch = activity.branch ?? detected?.branch;
    const root = detected?.root ?? activity.projectRoot;
    const reason = this.privacy.excludedReason(isFile ? activity.entity : undefined, project, root);
    if (reason) return { excluded: reason };

    const hb: Heartbeat = {
      entity: isFile ? this.privacy.entity(activity.entity) : activity.entity,
      type,
      category: activity.category ?? 'coding',
      time: toWakaTime(activity.timeMs ?? Date.now()),
      tool: this.options.tool,
      user_agent: this.userAgent,
    };
    const file = isFile ? activity.entity : undefined;
    const projectName = this.privacy.projectName(project, file);
    if (projectName) hb.project = projectName;
    const branchName = this.privacy.branchName(branch, file);
    if (branchName) hb.branch = branchName;
    const language = activity.language ?? (isFile ? languageFromPath(activity.entity) : undefined);
    if (language) hb.language = language;
    for (const key of OPTIONAL_FIELDS) {
      const v = activity[key];
      if (v !== undefined && v !== null) (hb as unknown as Record<string, unknown>)[key] = v;
    }
    if (file !== undefined && this.privacy.hidesFile(file)) {
      // Where in a hidden file says nothing useful without its name.
      delete hb.lineno;
      delete hb.cursorpos;
      delete hb.lines;
    }
    return { heartbeat: hb };
  }

  /** Prepares and queues one activity; returns the heartbeat queued, or why it was excluded. */
  async track(activity: Activity): Promise<PrepareResult> {
    const prepared = this.prepare(activity);
    if (prepared.heartbeat) await this.queue.enqueue([prepared.heartbeat]);
    return prepared;
  }

  /** Queues several activities at once (one trim of the queue). */
  async trackAll(activities: Activity[]): Promise<PrepareResult[]> {
    const prepared = activities.map((a) => this.prepare(a));
    await this.queue.enqueue(prepared.flatMap((p) => (p.heartbeat ? [p.heartbeat] : [])));
    return prepared;
  }

  /** Sends what is queued (from this process or any other). */
  flush(options: FlushOptions = {}): Promise<FlushResult> {
    return flushQueue(this.queue, this.sender, { logger: this.logger, ...options });
  }
}

/**
 * The fields copied from what an adapter reported into the heartbeat, as they are: those shared-model's
 * heartbeat field table (heartbeat-fields.json) marks passedThrough; a test keeps the two equal.
 */
export const OPTIONAL_FIELDS = [
  'is_write',
  'lines',
  'lineno',
  'cursorpos',
  'ai_session',
  'ai_input_tokens',
  'ai_output_tokens',
  'ai_cache_creation_tokens',
  'ai_cache_read_tokens',
  'ai_model',
  'ai_prompts',
  'ai_prompt_length',
  'ai_line_changes',
  'human_line_changes',
] as const satisfies readonly (keyof Activity & keyof Heartbeat)[];

/**
 * A copy safe to show in logs or a "what would be sent" view: an absolute path entity becomes
 * its file name, so a debug payload never shows where the user's files live.
 */
export function redactForDisplay(hb: Heartbeat): Heartbeat {
  if (hb.type === 'file' && (isAbsolute(hb.entity) || /^[A-Za-z]:[\\/]/.test(hb.entity))) {
    return { ...hb, entity: `…/${basename(hb.entity.replace(/\\/g, '/'))}` };
  }
  return { ...hb };
}
