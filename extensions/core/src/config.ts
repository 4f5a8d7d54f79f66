import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseIni } from 'ini';
import { parse as parseToml } from 'smol-toml';

/** The resolved client configuration shared by every DevTime client. */
export interface DevTimeConfig {
  /** Server base URL without a trailing slash, e.g. `http://127.0.0.1:8080`. */
  endpoint: string;
  apiKey: string | undefined;
  privacy: PrivacyConfig;
  tracking: TrackingConfig;
  queue: QueueConfig;
  /** Directory holding `config.toml` and the queue (`~/.devtime` by default). */
  home: string;
  /** Where each value came from, for `devtime config`-style diagnostics. */
  sources: { endpoint: ConfigSource; apiKey: ConfigSource | 'none' };
  /** Problems found while reading files (a broken TOML file does not stop tracking). */
  warnings: string[];
}

export interface PrivacyConfig {
  /** Replace file paths with the SHA-256 of the normalized path. */
  anonymizeFilePaths: boolean;
  /** Replace project and branch names with their SHA-256 too. */
  anonymizeProjectNames: boolean;
  excludeProjects: string[];
  /** User globs; matched against the absolute path and the path inside the project. */
  excludeFilePatterns: string[];
  /** The built-in sensitive-file denylist (env files, keys, ...). */
  defaultDenylist: boolean;
  /**
   * `~/.wakatime.cfg`'s privacy settings, with wakatime-cli's meaning: each `hide_*` is true, false, or
   * regexes (one per line) naming the files, projects or branches it applies to; `exclude` and
   * `include` are regexes matched against the file path (include wins); `exclude_unknown_project`
   * drops heartbeats without a project.
   */
  wakatime?: WakatimePrivacy;
}

export interface WakatimePrivacy {
  hideFileNames: boolean | string[];
  hideProjectNames: boolean | string[];
  hideBranchNames: boolean | string[];
  exclude: string[];
  include: string[];
  excludeUnknownProject: boolean;
}

export const NO_WAKATIME_PRIVACY: Readonly<WakatimePrivacy> = Object.freeze({
  hideFileNames: false,
  hideProjectNames: false,
  hideBranchNames: false,
  exclude: [],
  include: [],
  excludeUnknownProject: false,
});

export interface TrackingConfig {
  idleTimeoutMinutes: number;
  heartbeatIntervalSeconds: number;
  /**
   * Least seconds between two automatic sends, as wakatime-cli's `heartbeat_rate_limit_seconds`
   * (default 120); 0 sends at once. Long-running clients (VS Code) honour it.
   */
  heartbeatRateLimitSeconds: number;
}

export interface QueueConfig {
  maxSize: number;
  /** Directory of the shared offline queue. */
  dir: string;
}

export type ConfigSource = 'env' | 'config.toml' | 'wakatime.cfg' | 'default' | 'override';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8080';

export interface LoadConfigOptions {
  /** Environment to read (defaults to `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Home directory (defaults to `os.homedir()`). */
  homeDir?: string;
  /** Values that win over everything else (editor settings, SecretStorage). */
  overrides?: Partial<{
    endpoint: string;
    apiKey: string;
    privacy: Partial<PrivacyConfig>;
    tracking: Partial<TrackingConfig>;
    queue: Partial<QueueConfig>;
  }>;
}

/**
 * Reads `~/.devtime/config.toml` (or `$DEVTIME_CONFIG`), then the environment, then
 * `~/.wakatime.cfg` for whatever is still missing, so a WakaTime user's existing key, `api_url`
 * and `heartbeat_rate_limit_seconds` work unchanged. Precedence: overrides > env > config.toml >
 * wakatime.cfg > defaults.
 */
export function loadConfig(options: LoadConfigOptions = {}): DevTimeConfig {
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? homedir();
  const home = nonEmpty(env.DEVTIME_HOME) ?? join(homeDir, '.devtime');
  const warnings: string[] = [];

  const tomlPath = nonEmpty(env.DEVTIME_CONFIG) ?? join(home, 'config.toml');
  const toml = readToml(tomlPath, warnings);
  const waka = readWakatimeCfg(join(nonEmpty(env.WAKATIME_HOME) ?? homeDir, '.wakatime.cfg'), warnings);

  const api = table(toml, 'api');
  const privacy = table(toml, 'privacy');
  const tracking = table(toml, 'tracking');
  const queue = table(toml, 'queue');
  const o = options.overrides ?? {};

  const endpointFound = firstSet([
    [o.endpoint, 'override'],
    [env.DEVTIME_API_URL, 'env'],
    [str(api.endpoint), 'config.toml'],
    [waka.apiUrl, 'wakatime.cfg'],
  ] as const);
  const keyFound = firstSet([
    [o.apiKey, 'override'],
    [env.DEVTIME_API_KEY, 'env'],
    [str(api.key), 'config.toml'],
    [waka.apiKey, 'wakatime.cfg'],
  ] as const);

  const cfg: DevTimeConfig = {
    endpoint: endpointFound ? normalizeEndpoint(endpointFound[0]) : DEFAULT_ENDPOINT,
    apiKey: keyFound?.[0].trim(),
    home,
    privacy: {
      anonymizeFilePaths:
        o.privacy?.anonymizeFilePaths ??
        envBool(env.DEVTIME_ANONYMIZE_FILE_PATHS) ??
        bool(privacy.anonymize_file_paths) ??
        false,
      anonymizeProjectNames:
        o.privacy?.anonymizeProjectNames ??
        envBool(env.DEVTIME_ANONYMIZE_PROJECT_NAMES) ??
        bool(privacy.anonymize_project_names) ??
        false,
      excludeProjects: o.privacy?.excludeProjects ?? strList(privacy.exclude_projects),
      excludeFilePatterns: o.privacy?.excludeFilePatterns ?? strList(privacy.exclude_file_patterns),
      defaultDenylist: o.privacy?.defaultDenylist ?? bool(privacy.default_denylist) ?? true,
      wakatime: o.privacy?.wakatime ?? waka.privacy,
    },
    tracking: {
      idleTimeoutMinutes: positive(
        o.tracking?.idleTimeoutMinutes ??
          envNum(env.DEVTIME_IDLE_TIMEOUT_MINUTES) ??
          num(tracking.idle_timeout_minutes),
        15,
      ),
      heartbeatIntervalSeconds: positive(
        o.tracking?.heartbeatIntervalSeconds ??
          envNum(env.DEVTIME_HEARTBEAT_INTERVAL_SECONDS) ??
          num(tracking.heartbeat_interval_seconds),
        120,
      ),
      heartbeatRateLimitSeconds: nonNegative(
        o.tracking?.heartbeatRateLimitSeconds ??
          envNum(env.DEVTIME_HEARTBEAT_RATE_LIMIT_SECONDS) ??
          num(tracking.heartbeat_rate_limit_seconds) ??
          waka.heartbeatRateLimitSeconds,
        120,
      ),
    },
    queue: {
      maxSize: positive(o.queue?.maxSize ?? envNum(env.DEVTIME_QUEUE_MAX_SIZE) ?? num(queue.max_size), 1000),
      dir: o.queue?.dir ?? nonEmpty(env.DEVTIME_QUEUE_DIR) ?? str(queue.dir) ?? join(home, 'queue'),
    },
    sources: { endpoint: endpointFound?.[1] ?? 'default', apiKey: keyFound?.[1] ?? 'none' },
    warnings,
  };
  return cfg;
}

/**
 * Accepts a bare server URL (`https://devtime.example.com`) or a WakaTime-style `api_url` that
 * already ends in `/api/v1` (or `/api/compat/wakatime/v1`), and returns the bare base URL.
 */
export function normalizeEndpoint(url: string): string {
  let u = url.trim().replace(/\/+$/, '');
  u = u.replace(/\/api\/compat\/wakatime\/v1$/, '').replace(/\/api\/v1$/, '');
  return u;
}

/** A missing file is no problem; one that cannot be read is a warning. */
function readText(path: string, warnings: string[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`cannot read ${path}: ${(e as Error).message}`);
    return undefined;
  }
}

function readToml(path: string, warnings: string[]): Record<string, unknown> {
  const text = readText(path, warnings);
  if (text === undefined) return {};
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (e) {
    warnings.push(`ignoring ${path}: ${(e as Error).message.split('\n')[0]}`);
    return {};
  }
}

function readWakatimeCfg(
  path: string,
  warnings: string[],
): { apiUrl?: string; apiKey?: string; heartbeatRateLimitSeconds?: number; privacy: WakatimePrivacy } {
  const text = readText(path, warnings);
  if (text === undefined) return { privacy: NO_WAKATIME_PRIVACY };
  const settings = (parseIni(text).settings ?? {}) as Record<string, unknown>;
  const multi = settingsLines(text);
  const hide = (key: string): boolean | string[] => {
    const lines = multi[key] ?? [];
    if (lines.length === 1 && /^(true|false)$/i.test(lines[0])) return lines[0].toLowerCase() === 'true';
    return validRegexes(lines, key, warnings);
  };
  return {
    apiUrl: str(settings.api_url),
    apiKey: str(settings.api_key),
    heartbeatRateLimitSeconds: envNum(str(settings.heartbeat_rate_limit_seconds)),
    privacy: {
      hideFileNames: hide('hide_file_names'),
      hideProjectNames: hide('hide_project_names'),
      hideBranchNames: hide('hide_branch_names'),
      exclude: validRegexes(multi.exclude ?? [], 'exclude', warnings),
      include: validRegexes(multi.include ?? [], 'include', warnings),
      excludeUnknownProject: /^true$/i.test((multi.exclude_unknown_project ?? [])[0] ?? ''),
    },
  };
}

/**
 * The `[settings]` values of a wakatime.cfg as lists of lines: wakatime-cli reads `exclude`, `include`
 * and the `hide_*` keys as one regex per line, the first on the key's line or the following indented
 * lines (INI continuation), which the `ini` package does not join.
 */
function settingsLines(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let section = '';
  let key: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) {
      section = header[1].trim().toLowerCase();
      key = undefined;
      continue;
    }
    if (section !== 'settings' || line.trim() === '' || /^\s*[#;]/.test(line)) continue;
    if (/^\s/.test(line) && key) {
      out[key].push(line.trim());
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    key = kv[1].trim().toLowerCase();
    out[key] = kv[2].trim() === '' ? [] : [kv[2].trim()];
  }
  return out;
}

/** Regexes that compile (case-insensitively, as wakatime-cli compiles them); the others are warned about. */
function validRegexes(lines: string[], key: string, warnings: string[]): string[] {
  return lines.filter((l) => {
    try {
      new RegExp(l, 'i');
      return true;
    } catch {
      warnings.push(`~/.wakatime.cfg: ignoring ${key} pattern ${l}: not a regular expression`);
      return false;
    }
  });
}

/** The first non-empty value, in order of precedence, with its source. */
function firstSet<S>(candidates: readonly (readonly [string | undefined, S])[]): readonly [string, S] | undefined {
  for (const [value, source] of candidates) if (nonEmpty(value)) return [value!, source];
  return undefined;
}

function table(doc: Record<string, unknown>, name: string): Record<string, unknown> {
  const t = doc[name];
  return t && typeof t === 'object' && !Array.isArray(t) ? (t as Record<string, unknown>) : {};
}

function nonEmpty(v: string | undefined | null): string | undefined {
  return v != null && v.trim() !== '' ? v : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}
function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}
function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}
function envBool(v: string | undefined): boolean | undefined {
  if (v == null || v === '') return undefined;
  return /^(1|true|yes|on)$/i.test(v.trim());
}
function envNum(v: string | undefined): number | undefined {
  if (v == null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
function nonNegative(v: number | undefined, fallback: number): number {
  return v != null && Number.isFinite(v) && v >= 0 ? v : fallback;
}
function positive(v: number | undefined, fallback: number): number {
  return v != null && Number.isFinite(v) && v > 0 ? v : fallback;
}
