// Cost of the extension's work on the extension host's thread per editor event, measured on the
// real bundle (dist/extension.js) with the fake `vscode` module. Not a test: run
// `npm run build -w vscode && npm run bench -w vscode`.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeVscode, loadExtension } from '../test/fake-vscode.mjs';

const BUNDLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'extension.js');

const home = realpathSync(mkdtempSync(join(tmpdir(), 'devtime-bench-')));
process.env.DEVTIME_HOME = join(home, '.devtime');
process.env.WAKATIME_HOME = home;
const repo = join(home, 'code', 'shop');
mkdirSync(join(repo, '.git'), { recursive: true });
writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');

const fake = createFakeVscode({ 'devtime.endpoint': 'http://127.0.0.1:1' }); // no API key: nothing is sent
const mod = loadExtension(BUNDLE, fake);
const ext = await mod.activate(fake.context);

function measure(label: string, n: number, fn: (i: number) => void, warmup = 10_000): number {
  for (let i = 0; i < warmup; i++) fn(i); // warm up the JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - start) / n;
  console.log(`${label.padEnd(64)} ${(ns / 1000).toFixed(2).padStart(8)} µs/event`);
  return ns;
}

console.log(`node ${process.version}, ${process.platform}-${process.arch}`);

const a = fake.user.open(join(repo, 'src', 'components', 'cart', 'CartSummary.tsx'), 'typescriptreact', 240);
const b = fake.user.open(join(repo, 'src', 'api', 'orders.ts'), 'typescript', 90);
fake.user.focusEditor(a, 10, 4);

// 1. A keystroke: VS Code fires a document change and a selection change; both land here.
measure('keystroke (document change + selection change, same file)', 500_000, () => fake.user.type());
await ext.settled();

// 2. A file switch: the previous burst is decided, a heartbeat is built (project and branch from
//    the cached git lookup, denylist globs, language) and handed to the queue. The disk write
//    itself is asynchronous and not counted here; it is measured by the core's queue benchmark.
let i = 0;
measure(
  'file switch (decide + build heartbeat + start queue write)',
  2_000,
  () => fake.user.focusEditor(i++ % 2 ? a : b),
  500,
);
await ext.settled();

// 3. The heartbeat construction alone.
const client = ext.client; // private in TypeScript, reachable at run time
measure('client.prepare() alone (git cached, denylist, language)', 100_000, () => {
  client.prepare({ entity: a.fileName, category: 'coding' });
});

await mod.deactivate();
rmSync(home, { recursive: true, force: true });
