/**
 * Throughput and peak memory of reading AI tool histories: writes a Codex rollout and a Claude Code
 * transcript of SIZE_MB each (default 512) in their real line shapes (tool output lines of a few KB
 * between the usage lines), then runs `devtime usage --json` on each in a fresh process and reports
 * MB/s and the process's peak resident memory.
 *
 *   npm run bench -w @devtime/cli [-- SIZE_MB]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sizeMb = Number(process.argv[2] ?? 512);
const devtime = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'devtime.js');
const root = mkdtempSync(join(tmpdir(), 'devtime-read-bench-'));
const output = 'x'.repeat(6000);

function write(path, header, block) {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  writeSync(fd, header);
  let i = 0;
  while (statSync(path).size < sizeMb * 1024 * 1024) {
    let chunk = '';
    for (let k = 0; k < 200; k++, i++) chunk += block(i);
    writeSync(fd, chunk);
  }
  closeSync(fd);
  return i;
}

const ts = (i) => new Date(Date.parse('2026-11-20T08:00:00Z') + i * 1000).toISOString();
const codex = join(
  root,
  'codex',
  'sessions',
  '2026',
  '11',
  '20',
  'rollout-2026-11-20T08-00-00-019a9e1c-4f2b-7c3d-9e8f-1a2b3c4d5e6f.jsonl',
);
const codexN = write(
  codex,
  `${JSON.stringify({ timestamp: ts(0), type: 'session_meta', payload: { id: '019a9e1c-4f2b-7c3d-9e8f-1a2b3c4d5e6f', timestamp: ts(0), cwd: '/home/dev/shop', originator: 'codex_cli_rs', cli_version: '0.63.0', source: 'cli', model_provider: 'openai' } })}\n` +
    `${JSON.stringify({ timestamp: ts(0), type: 'turn_context', payload: { cwd: '/home/dev/shop', model: 'gpt-5.1-codex-max' } })}\n`,
  (i) => {
    const u = {
      input_tokens: 1000,
      cached_input_tokens: 800,
      output_tokens: 50,
      reasoning_output_tokens: 10,
      total_tokens: 1050,
    };
    const total = {
      input_tokens: 1000 * (i + 1),
      cached_input_tokens: 800 * (i + 1),
      output_tokens: 50 * (i + 1),
      reasoning_output_tokens: 10 * (i + 1),
      total_tokens: 1050 * (i + 1),
    };
    return (
      `${JSON.stringify({ timestamp: ts(i), type: 'response_item', payload: { type: 'function_call_output', call_id: `call_${i}`, output } })}\n` +
      `${JSON.stringify({ timestamp: ts(i), type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: total, last_token_usage: u, model_context_window: 272000 } } })}\n`
    );
  },
);
const claude = join(root, 'claude', 'projects', '-home-dev-shop', '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f.jsonl');
const claudeN = write(
  claude,
  '',
  (i) =>
    `${JSON.stringify({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: output }] }, uuid: `u${i}`, timestamp: ts(i) })}\n` +
    `${JSON.stringify({ parentUuid: `u${i}`, isSidechain: false, cwd: '/home/dev/shop', sessionId: '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', version: '2.0.30', message: { id: `msg_${i}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 5 } }, requestId: `req_${i}`, type: 'assistant', uuid: `a${i}`, timestamp: ts(i) })}\n`,
);

for (const [source, dir, file, n] of [
  ['codex', join(root, 'codex', 'sessions'), codex, codexN],
  ['claude-code', join(root, 'claude', 'projects'), claude, claudeN],
]) {
  const mb = statSync(file).size / 1024 / 1024;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, devtime, 'usage', '--source', source, '--path', dir, '--json'],
    { encoding: 'utf8' },
  );
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(r.stderr);
  const peakKb = Number(r.stderr.trim().split('\n').pop());
  const models = JSON.parse(r.stdout).models;
  const out = Object.values(models)[0]?.output;
  console.log(
    `${source}: ${mb.toFixed(0)} MB, ${n} responses (output ${out}) in ${s.toFixed(2)} s = ${(mb / s).toFixed(0)} MB/s, peak RSS ${(peakKb / 1024).toFixed(0)} MB`,
  );
}
rmSync(root, { recursive: true, force: true });
