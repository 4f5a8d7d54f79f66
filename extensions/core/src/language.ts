import { basename, extname } from 'node:path';

/**
 * Language names as WakaTime reports them, so dashboards line up with data imported from it.
 * Covers the common cases; anything else is left unset and the server may infer it.
 */
const BY_EXTENSION: Record<string, string> = {
  '.ts': 'TypeScript', '.tsx': 'TSX', '.mts': 'TypeScript', '.cts': 'TypeScript',
  '.js': 'JavaScript', '.jsx': 'JSX', '.mjs': 'JavaScript', '.cjs': 'JavaScript',
  '.py': 'Python', '.pyi': 'Python', '.java': 'Java', '.kt': 'Kotlin', '.kts': 'Kotlin',
  '.scala': 'Scala', '.groovy': 'Groovy', '.go': 'Go', '.rs': 'Rust', '.rb': 'Ruby', '.php': 'PHP',
  '.c': 'C', '.h': 'C', '.cc': 'C++', '.cpp': 'C++', '.cxx': 'C++', '.hpp': 'C++', '.hh': 'C++',
  '.cs': 'C#', '.fs': 'F#', '.swift': 'Swift', '.m': 'Objective-C', '.mm': 'Objective-C++',
  '.dart': 'Dart', '.lua': 'Lua', '.r': 'R', '.jl': 'Julia', '.ex': 'Elixir', '.exs': 'Elixir',
  '.erl': 'Erlang', '.hs': 'Haskell', '.ml': 'OCaml', '.clj': 'Clojure', '.zig': 'Zig',
  '.sh': 'Bash', '.bash': 'Bash', '.zsh': 'Zsh', '.fish': 'Fish', '.ps1': 'PowerShell',
  '.sql': 'SQL', '.html': 'HTML', '.htm': 'HTML', '.css': 'CSS', '.scss': 'SCSS', '.sass': 'Sass',
  '.less': 'Less', '.vue': 'Vue.js', '.svelte': 'Svelte', '.astro': 'Astro',
  '.json': 'JSON', '.jsonc': 'JSON', '.yaml': 'YAML', '.yml': 'YAML', '.toml': 'TOML', '.xml': 'XML',
  '.md': 'Markdown', '.mdx': 'MDX', '.rst': 'reStructuredText', '.tex': 'TeX', '.proto': 'Protocol Buffer',
  '.graphql': 'GraphQL', '.gql': 'GraphQL', '.tf': 'HCL', '.hcl': 'HCL', '.nix': 'Nix', '.vim': 'VimL',
  '.ipynb': 'Jupyter', '.gradle': 'Groovy', '.properties': 'INI', '.ini': 'INI', '.cfg': 'INI',
  '.txt': 'Text', '.csv': 'CSV',
};

const BY_NAME: Record<string, string> = {
  Dockerfile: 'Docker', Makefile: 'Makefile', 'CMakeLists.txt': 'CMake', Jenkinsfile: 'Groovy',
  'pom.xml': 'Maven POM', Gemfile: 'Ruby', Rakefile: 'Ruby',
};

/** VS Code language ids that do not map by simple capitalisation. */
const BY_VSCODE_ID: Record<string, string> = {
  typescript: 'TypeScript', typescriptreact: 'TSX', javascript: 'JavaScript', javascriptreact: 'JSX',
  csharp: 'C#', cpp: 'C++', c: 'C', 'objective-c': 'Objective-C', fsharp: 'F#', shellscript: 'Bash',
  powershell: 'PowerShell', dockerfile: 'Docker', makefile: 'Makefile', json: 'JSON', jsonc: 'JSON',
  yaml: 'YAML', toml: 'TOML', xml: 'XML', html: 'HTML', css: 'CSS', scss: 'SCSS', less: 'Less',
  sql: 'SQL', php: 'PHP', vue: 'Vue.js', plaintext: 'Text', markdown: 'Markdown', go: 'Go',
  rust: 'Rust', python: 'Python', java: 'Java', kotlin: 'Kotlin', ruby: 'Ruby', swift: 'Swift',
  dart: 'Dart', lua: 'Lua', r: 'R', julia: 'Julia', elixir: 'Elixir', haskell: 'Haskell',
  scala: 'Scala', groovy: 'Groovy', terraform: 'HCL', graphql: 'GraphQL', ini: 'INI',
  properties: 'INI', 'jupyter': 'Jupyter', svelte: 'Svelte', zig: 'Zig', latex: 'TeX',
};

export function languageFromPath(file: string): string | undefined {
  const name = basename(file);
  return BY_NAME[name] ?? BY_EXTENSION[extname(name).toLowerCase()];
}

export function languageFromVscodeId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  return BY_VSCODE_ID[id] ?? id.charAt(0).toUpperCase() + id.slice(1);
}
