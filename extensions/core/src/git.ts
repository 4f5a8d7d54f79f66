import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

export interface ProjectInfo {
  /** Project name: a `.devtime-project` / `.wakatime-project` file's first line, else the root folder's name. */
  project: string;
  /** Absolute path of the project root (the git work tree, or the folder holding the project file). */
  root: string;
  /** Current branch, or undefined on a detached HEAD or outside git. */
  branch?: string;
}

interface CachedRoot {
  root: string | null;
  gitDir?: string;
  projectFile?: string;
  checkedAt: number;
}

/**
 * Finds the project and branch of a file by reading files only (`.git`, `HEAD`, the project
 * files): no `git` process per event. Lookups are cached per directory; `HEAD` is re-read at
 * most once per `headTtlMs` so a branch switch shows up within that delay.
 */
export class ProjectDetector {
  private readonly roots = new Map<string, CachedRoot>();
  private readonly heads = new Map<string, { branch: string | undefined; readAt: number }>();

  constructor(private readonly options: { rootTtlMs?: number; headTtlMs?: number; now?: () => number } = {}) {}

  /** Project of a file (searching from its folder upwards). */
  detect(file: string): ProjectInfo | undefined {
    if (!isAbsolute(file)) return undefined;
    return this.detectFromDir(dirname(resolve(file)));
  }

  /** Project of a working directory (searching from it upwards). */
  detectFromDir(dir: string): ProjectInfo | undefined {
    if (!isAbsolute(dir)) return undefined;
    const found = this.findRoot(resolve(dir));
    if (!found.root) return undefined;
    let project = basename(found.root);
    if (found.projectFile) {
      const named = firstLine(found.projectFile);
      if (named) project = named;
    }
    const branch = found.gitDir ? this.branch(found.gitDir) : undefined;
    return { project, root: found.root, branch };
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  private findRoot(dir: string): CachedRoot {
    const ttl = this.options.rootTtlMs ?? 60_000;
    const cached = this.roots.get(dir);
    if (cached && this.now() - cached.checkedAt < ttl) return cached;
    const result = this.scan(dir);
    this.roots.set(dir, result);
    return result;
  }

  private scan(start: string): CachedRoot {
    let dir = start;
    let projectFile: string | undefined;
    let projectFileRoot: string | undefined;
    for (;;) {
      if (!projectFile) {
        for (const name of ['.devtime-project', '.wakatime-project']) {
          const p = join(dir, name);
          if (isFile(p)) {
            projectFile = p;
            projectFileRoot = dir;
            break;
          }
        }
      }
      const gitDir = resolveGitDir(dir);
      if (gitDir) {
        return { root: projectFileRoot ?? dir, gitDir, projectFile, checkedAt: this.now() };
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return { root: projectFileRoot ?? null, projectFile, checkedAt: this.now() };
  }

  private branch(gitDir: string): string | undefined {
    const ttl = this.options.headTtlMs ?? 5_000;
    const cached = this.heads.get(gitDir);
    if (cached && this.now() - cached.readAt < ttl) return cached.branch;
    const branch = readBranch(gitDir);
    this.heads.set(gitDir, { branch, readAt: this.now() });
    return branch;
  }
}

/** The git directory for a work tree root: `.git/` itself, or the target of a `.git` file (worktrees, submodules). */
function resolveGitDir(dir: string): string | undefined {
  const dotGit = join(dir, '.git');
  let st;
  try {
    st = statSync(dotGit);
  } catch {
    return undefined;
  }
  if (st.isDirectory()) return dotGit;
  if (st.isFile()) {
    const m = /^gitdir:\s*(.+)$/m.exec(safeRead(dotGit) ?? '');
    if (m) return resolve(dir, m[1]!.trim());
  }
  return undefined;
}

/** Branch from `HEAD` (`ref: refs/heads/<name>`); undefined when detached. */
export function readBranch(gitDir: string): string | undefined {
  const head = safeRead(join(gitDir, 'HEAD'));
  const m = head ? /^ref:\s*refs\/heads\/(.+)$/m.exec(head) : null;
  return m ? m[1]!.trim() : undefined;
}

function firstLine(path: string): string | undefined {
  const line = safeRead(path)?.split(/\r?\n/, 1)[0]?.trim();
  return line ? line : undefined;
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
