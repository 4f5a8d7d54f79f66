import { createHash } from 'node:crypto';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { NO_WAKATIME_PRIVACY, type PrivacyConfig } from './config.js';

/**
 * The built-in sensitive-file denylist: env files, keys and
 * certificates, credentials and secrets files, password files, databases, logs, temp and backup
 * files, and the sensitive directories. Matched case-insensitively, dot files included.
 * Directory patterns are matched against the path inside the project (when the project root is
 * known), so a home directory under `/private/...` (macOS) does not exclude everything.
 */
export const DEFAULT_DENYLIST: readonly string[] = Object.freeze([
  // environment files
  '**/.env',
  '**/.env.*',
  '**/*.env',
  // keys and certificates
  '**/*.key',
  '**/*.pem',
  '**/*.crt',
  '**/*.cer',
  '**/*.der',
  '**/*.p12',
  '**/*.pfx',
  '**/*.jks',
  '**/*.keystore',
  '**/id_rsa',
  '**/id_dsa',
  '**/id_ecdsa',
  '**/id_ed25519',
  // credentials, secrets and password files
  '**/secrets.*',
  '**/secret.*',
  '**/credentials',
  '**/credentials.*',
  '**/.htpasswd',
  '**/passwords.txt',
  '**/secrets.txt',
  '**/.netrc',
  '**/.npmrc',
  '**/.pypirc',
  // databases
  '**/*.db',
  '**/*.sqlite',
  '**/*.sqlite3',
  // logs
  '**/*.log',
  // temporary files
  '**/*.tmp',
  '**/*.temp',
  '**/*.cache',
  // backup files
  '**/*.bak',
  '**/*.backup',
  '**/*.old',
  '**/*~',
  // sensitive directories
  '**/secrets/**',
  '**/private/**',
  '**/confidential/**',
  '**/secure/**',
  '**/keys/**',
  '**/certificates/**',
  '**/auth/**',
  '**/credentials/**',
  '**/passwords/**',
  '**/tokens/**',
  '**/api-keys/**',
  '**/backup/**',
  '**/logs/**',
  '**/temp/**',
  '**/tmp/**',
  '**/cache/**',
]);

/**
 * Patterns without a slash (`*.env`) match the file name at any depth, as in .gitignore; the others
 * match the whole path. picomatch's `basename` option applies to every pattern it is given, so the
 * two kinds are compiled apart.
 */
function compileGlobs(patterns: readonly string[]): ((path: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const names = patterns.filter((p) => !p.includes('/'));
  const paths = patterns.filter((p) => p.includes('/'));
  const byName = names.length ? picomatch(names, { dot: true, nocase: true, basename: true }) : undefined;
  const byPath = paths.length ? picomatch(paths, { dot: true, nocase: true }) : undefined;
  return (path) => (byName?.(path) ?? false) || (byPath?.(path) ?? false);
}

export interface PrivacyFilter {
  /**
   * Why a file is excluded (`"denylist"`, `"pattern"` or `"project"`), or undefined when it may be
   * tracked. `projectRoot` lets directory patterns match the path inside the project.
   */
  excludedReason(file: string | undefined, project?: string, projectRoot?: string): ExclusionReason | undefined;
  /**
   * The entity to send: the file path as is, its SHA-256 when `anonymizeFilePaths` is on, or
   * `HIDDEN.<ext>` when wakatime.cfg's `hide_file_names` covers it (as wakatime-cli sends it).
   */
  entity(file: string): string;
  /** True when the file's name is hidden (its line numbers are then left out too). */
  hidesFile(file: string): boolean;
  /**
   * The project name to send: as is, or its SHA-256 when `anonymizeProjectNames` is on or
   * `hide_project_names` covers the file (or, without one, the name).
   */
  projectName(name: string | undefined, file?: string): string | undefined;
  /** The branch to send: hashed as the project name, or none when `hide_branch_names` covers it. */
  branchName(name: string | undefined, file?: string): string | undefined;
}

export type ExclusionReason = 'denylist' | 'pattern' | 'project';

export function createPrivacyFilter(config: PrivacyConfig): PrivacyFilter {
  const denylist = config.defaultDenylist ? compileGlobs(DEFAULT_DENYLIST) : undefined;
  const userGlobs = compileGlobs(config.excludeFilePatterns);
  const projectGlobs = config.excludeProjects.length
    ? picomatch(config.excludeProjects, { nocase: true, dot: true })
    : undefined;

  const waka = config.wakatime ?? NO_WAKATIME_PRIVACY;
  const regexes = (list: string[]) => list.map((r) => new RegExp(r, 'i'));
  const exclude = regexes(waka.exclude);
  const include = regexes(waka.include);
  const covers = (setting: boolean | string[]) => {
    if (typeof setting === 'boolean') return () => setting;
    const res = regexes(setting);
    return (subject: string | undefined) => subject !== undefined && res.some((r) => r.test(subject));
  };
  const hideFile = covers(waka.hideFileNames);
  const hideProject = covers(waka.hideProjectNames);
  const hideBranch = covers(waka.hideBranchNames);

  return {
    excludedReason(file, project, projectRoot) {
      if (waka.excludeUnknownProject && !project) return 'project';
      if (projectGlobs && project && projectGlobs(project)) return 'project';
      if (projectGlobs && projectRoot && projectGlobs(toSlashes(projectRoot))) return 'project';
      if (!file) return undefined;
      const abs = toSlashes(file);
      const inProject = projectRoot ? insideRoot(file, projectRoot) : undefined;
      if (denylist && denylist(inProject ?? abs)) return 'denylist';
      if (userGlobs && (userGlobs(abs) || (inProject !== undefined && userGlobs(inProject)))) return 'pattern';
      if (exclude.some((r) => r.test(abs)) && !include.some((r) => r.test(abs))) return 'pattern';
      return undefined;
    },
    hidesFile(file) {
      return hideFile(toSlashes(file));
    },
    entity(file) {
      if (hideFile(toSlashes(file))) return `HIDDEN${extname(file)}`;
      return config.anonymizeFilePaths ? hashPath(file) : file;
    },
    projectName(name, file) {
      if (name === undefined || name === '') return name;
      return config.anonymizeProjectNames || hideProject(file !== undefined ? toSlashes(file) : name)
        ? sha256(name)
        : name;
    },
    branchName(name, file) {
      if (name === undefined || name === '') return name;
      if (hideBranch(file !== undefined ? toSlashes(file) : name)) return undefined;
      return config.anonymizeProjectNames ? sha256(name) : name;
    },
  };
}

/**
 * Normalizes a path so the same file always hashes the same: absolute, `/` separators, `.` and
 * `..` resolved, and on Windows a lower-case drive letter (`C:\x` and `c:/x` are one file).
 */
export function normalizePath(file: string): string {
  let p = isAbsolute(file) ? resolve(file) : file;
  p = toSlashes(p);
  if (/^[A-Za-z]:\//.test(p)) p = p[0]!.toLowerCase() + p.slice(1);
  return p;
}

/**
 * `sha256:` and the SHA-256 (hex) of the normalized path: the form the server and the dashboard know as a
 * hidden entity (the server's own, keyed form is `hmac-sha256:`).
 */
export function hashPath(file: string): string {
  return `sha256:${sha256(normalizePath(file))}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function toSlashes(p: string): string {
  return sep === '\\' || p.includes('\\') ? p.replace(/\\/g, '/') : p;
}

function insideRoot(file: string, root: string): string | undefined {
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return toSlashes(rel);
}
