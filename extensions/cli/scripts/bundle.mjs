// Bundles one entry point of a DevTime client package into a single ESM file runnable with `node`,
// so hooks and servers start without resolving node_modules at run time.
// Usage: node ../cli/scripts/bundle.mjs <entry.ts> <out.js> [more entry/out pairs]
import { build } from 'esbuild';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.error('usage: bundle.mjs <entry> <outfile> [<entry> <outfile> ...]');
  process.exit(2);
}
for (let i = 0; i < args.length; i += 2) {
  await build({
    entryPoints: [args[i]],
    outfile: args[i + 1],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: false,
    logLevel: 'warning',
    // CommonJS dependencies (vscode-languageserver, proper-lockfile) call require() on Node built-ins.
    banner: {
      js: "import { createRequire as __devtimeRequire } from 'node:module';\nconst require = __devtimeRequire(import.meta.url);",
    },
  });
}
