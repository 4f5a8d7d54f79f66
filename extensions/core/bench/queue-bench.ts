// Queue cost per heartbeat, and the same for the design we did not choose (one JSONL file under a
// lock file). Not a test: run `npm run bench -w @devtime/core` after `npm run build`.
import { appendFile, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Heartbeat, Outcome } from '../src/index.js';
import { DurableQueue } from '../src/index.js';

const hb: Heartbeat = {
  entity: '/home/me/src/shop/src/components/cart/CartSummary.tsx',
  type: 'file',
  category: 'coding',
  time: 1_795_000_000.123,
  tool: 'vscode',
  user_agent: 'devtime/0.1.0 (linux-x64) node/20.20.2 vscode/1.95.0 devtime-vscode/0.1.0',
  project: 'shop',
  branch: 'main',
  language: 'TSX',
  lines: 240,
  lineno: 10,
  cursorpos: 5,
};

function temp(): string {
  return mkdtempSync(join(tmpdir(), 'devtime-bench-'));
}

async function time(label: string, n: number, fn: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < Math.min(50, n); i++) await fn(i); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  const us = Number(process.hrtime.bigint() - start) / 1000 / n;
  console.log(`${label.padEnd(58)} ${us.toFixed(1).padStart(8)} µs`);
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${process.platform}-${process.arch}, tmpdir ${tmpdir()}`);

  for (const backlog of [0, 100]) {
    const dir = temp();
    const q = new DurableQueue({ dir, maxSize: 100_000 });
    for (let i = 0; i < backlog; i++) await q.enqueue([hb]);
    await time(`enqueue 1 heartbeat, ${backlog}+ already queued`, 300, async () => {
      await q.enqueue([hb]);
    });
    rmSync(dir, { recursive: true });
  }
  {
    // A full queue (offline for long): every enqueue also drops the oldest.
    const dir = temp();
    const q = new DurableQueue({ dir, maxSize: 1000 });
    for (let i = 0; i < 1000; i++) await q.enqueue([hb]);
    await time('enqueue 1 heartbeat into a full queue of 1,000', 300, async () => {
      await q.enqueue([hb]);
    });
    rmSync(dir, { recursive: true });
  }
  {
    const dir = temp();
    const q = new DurableQueue({ dir, maxSize: 100_000 });
    for (let i = 0; i < 1000 + 70 * 25; i++) await q.enqueue([hb]);
    await time('claim 25 + settle them as sent, from 1,000+ queued', 20, async () => {
      const c = await q.claim(25);
      await q.complete(c, new Map(c.entries.map((e) => [e.id, 'sent' as Outcome])));
    });
    rmSync(dir, { recursive: true });
  }

  {
    // The alternative: one queue.jsonl, appends under a mkdir lock; taking entries off the head
    // rewrites the file (and a crash mid-append leaves a torn last line to detect).
    const dir = temp();
    const file = join(dir, 'queue.jsonl');
    const lock = join(dir, 'queue.lock');
    await writeFile(file, '');
    const withLock = async (fn: () => Promise<void>) => {
      for (;;) {
        try {
          await mkdir(lock);
          break;
        } catch {
          await new Promise((r) => setImmediate(r));
        }
      }
      try {
        await fn();
      } finally {
        await rmdir(lock);
      }
    };
    const line = JSON.stringify(hb) + '\n';
    await time('alternative: locked append to one JSONL file', 500, async () => {
      await withLock(() => appendFile(file, line));
    });
    await writeFile(file, line.repeat(1000));
    await time('alternative: locked take-25-from-head of 1,000 (rewrite)', 20, async () => {
      await withLock(async () => {
        const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
        await writeFile(file + '.tmp', lines.slice(25).concat(lines.slice(0, 25)).join('\n') + '\n');
        const { rename } = await import('node:fs/promises');
        await rename(file + '.tmp', file);
      });
    });
    rmSync(dir, { recursive: true });
  }
}

await main();
