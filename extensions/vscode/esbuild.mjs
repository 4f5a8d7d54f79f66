// One CommonJS file for the extension host: the core and its libraries inlined, `vscode` provided by the host.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  sourcemap: true,
  minify: process.env.DEVTIME_MINIFY === '1',
  logLevel: 'warning',
});
