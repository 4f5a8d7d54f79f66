/**
 * Writes random but realistic Claude Code and Codex histories: responses streamed over several lines
 * with growing output counts, sidechain replays, sub-agent files, `<synthetic>` errors, corrupt and
 * half-written lines, repeated Codex token_count events and forked rollouts. Seeded, so a failure
 * can be replayed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLAUDE_MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-haiku-4-5-20251001'];
const CODEX_MODELS = ['gpt-5-codex', 'gpt-5.1-codex-max', 'gpt-5'];

function hex(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(r() * 16).toString(16);
  return s;
}

function uuid(r: () => number): string {
  return `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
}

const int = (r: () => number, max: number) => Math.floor(r() * max);

/** A `~/.claude/projects` tree under `root`; returns the projects directory. */
export function writeClaudeCorpus(root: string, seed: number, sessions = 6): string {
  const r = rng(seed);
  const projects = join(root, 'projects');
  let clock = Date.parse('2026-11-18T08:00:00.000Z');
  for (let s = 0; s < sessions; s++) {
    // Replays come from the same session, after the original, as Claude Code writes them. (ccusage's
    // daily report double counts a replay that sorts before its original; DevTime does not.)
    const allResponses: { mid: string; rid: string; model: string; usage: Record<string, unknown> }[] = [];
    const sessionId = uuid(r);
    const cwd = `/home/dev/project-${s % 3}`;
    const dir = join(projects, cwd.replace(/\//g, '-'));
    mkdirSync(dir, { recursive: true });
    const lines: string[] = [];
    const base = { userType: 'external', cwd, sessionId, version: '2.0.14', gitBranch: 'main' };
    const line = (o: Record<string, unknown>) => lines.push(JSON.stringify(o));
    let parent: string | null = null;
    const responses = 5 + int(r, 20);
    for (let i = 0; i < responses; i++) {
      clock += 1000 + int(r, 600_000);
      const uid = uuid(r);
      line({
        parentUuid: parent,
        isSidechain: false,
        ...base,
        type: 'user',
        message: { role: 'user', content: `prompt ${i}` },
        uuid: uid,
        timestamp: new Date(clock).toISOString(),
      });
      parent = uid;
      const sidechain = r() < 0.15;
      const model = CLAUDE_MODELS[int(r, CLAUDE_MODELS.length)];
      const mid = `msg_01${hex(r, 22)}`;
      const rid = `req_011C${hex(r, 20)}`;
      const input = 1 + int(r, 50);
      const cc = r() < 0.5 ? int(r, 20_000) : 0;
      const h1 = r() < 0.2 ? int(r, 5000) : 0;
      const cr = int(r, 80_000);
      let out = 1 + int(r, 30);
      const blocks = 1 + int(r, 4);
      for (let b = 0; b < blocks; b++) {
        clock += 200 + int(r, 3000);
        if (b > 0 && r() < 0.6) out += int(r, 400);
        const usage: Record<string, unknown> = {
          input_tokens: input,
          cache_creation_input_tokens: cc + h1,
          cache_read_input_tokens: cr,
          output_tokens: out,
          service_tier: 'standard',
        };
        if (r() < 0.7) usage.cache_creation = { ephemeral_5m_input_tokens: cc, ephemeral_1h_input_tokens: h1 };
        const aid = uuid(r);
        line({
          parentUuid: parent,
          isSidechain: sidechain,
          ...base,
          message: {
            id: mid,
            type: 'message',
            role: 'assistant',
            model,
            content: [{ type: 'text', text: `block ${b}` }],
            stop_reason: null,
            stop_sequence: null,
            usage,
          },
          requestId: rid,
          type: 'assistant',
          uuid: aid,
          timestamp: new Date(clock).toISOString(),
        });
        parent = aid;
        if (b === blocks - 1) allResponses.push({ mid, rid, model, usage });
      }
      if (r() < 0.1 && allResponses.length > 0) {
        // A sidechain replays an earlier response under a new request id.
        const old = allResponses[int(r, allResponses.length)];
        clock += 500;
        line({
          parentUuid: parent,
          isSidechain: true,
          ...base,
          message: {
            id: old.mid,
            type: 'message',
            role: 'assistant',
            model: old.model,
            content: [{ type: 'text', text: 'replay' }],
            stop_reason: null,
            stop_sequence: null,
            usage: old.usage,
          },
          requestId: `req_011C${hex(r, 20)}`,
          type: 'assistant',
          uuid: uuid(r),
          timestamp: new Date(clock).toISOString(),
        });
      }
      if (r() < 0.08) {
        line({
          parentUuid: parent,
          isSidechain: false,
          ...base,
          message: {
            id: uuid(r),
            model: '<synthetic>',
            role: 'assistant',
            stop_reason: 'stop_sequence',
            stop_sequence: '',
            type: 'message',
            usage: {
              input_tokens: 0,
              output_tokens: 0,
              cache_creation_input_tokens: 0,
              cache_read_input_tokens: 0,
              server_tool_use: { web_search_requests: 0 },
              service_tier: null,
              cache_creation: null,
            },
            content: [{ type: 'text', text: 'API Error: Request was aborted.' }],
          },
          type: 'assistant',
          uuid: uuid(r),
          timestamp: new Date(clock).toISOString(),
          isApiErrorMessage: true,
        });
      }
      if (r() < 0.08)
        lines.push(
          `{"parentUuid":"${parent}","type":"assistant","message":{"id":"msg_01cut","usage":{"input_tokens":${int(r, 99)}`,
        );
      if (r() < 0.05) lines.push('');
    }
    if (r() < 0.3) {
      // A sub-agent transcript in its own file (Claude Code 2.x).
      const sub = join(dir, sessionId, 'subagents');
      mkdirSync(sub, { recursive: true });
      const mid = `msg_01${hex(r, 22)}`;
      const rid = `req_011C${hex(r, 20)}`;
      const subLines = [1, 2].map((k) =>
        JSON.stringify({
          parentUuid: null,
          isSidechain: true,
          ...base,
          agentId: 'a1b2c3',
          message: {
            id: mid,
            type: 'message',
            role: 'assistant',
            model: CLAUDE_MODELS[0],
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: {
              input_tokens: 7,
              cache_creation_input_tokens: 3000,
              cache_read_input_tokens: 0,
              output_tokens: 40 * k,
            },
          },
          requestId: rid,
          type: 'assistant',
          uuid: uuid(r),
          timestamp: new Date(clock + k * 1000).toISOString(),
        }),
      );
      writeFileSync(join(sub, 'agent-a1b2c3.jsonl'), subLines.join('\n') + '\n');
    }
    const halfWritten =
      r() < 0.3 ? '{"parentUuid":null,"type":"assistant","message":{"id":"msg_01half","usage":{"input_tokens":3,' : '';
    writeFileSync(join(dir, `${sessionId}.jsonl`), lines.join('\n') + '\n' + halfWritten);
  }
  return projects;
}

/** A `~/.codex/sessions` tree under `root`; returns the sessions directory. */
export function writeCodexCorpus(root: string, seed: number, sessions = 5): string {
  const r = rng(seed);
  const sessionsDir = join(root, 'sessions');
  let clock = Date.parse('2026-11-18T08:00:00.000Z');
  const rate = {
    primary: { used_percent: 4.0, window_minutes: 299, resets_at: 1763640000 },
    secondary: { used_percent: 12.0, window_minutes: 10079, resets_at: 1764000000 },
  };
  let previousFile: string[] | undefined;
  for (let s = 0; s < sessions; s++) {
    const id = uuid(r);
    const cwd = `/home/dev/project-${s % 2}`;
    const ts = () => new Date(clock).toISOString();
    const lines: string[] = [];
    const line = (type: string, payload: unknown) => lines.push(JSON.stringify({ timestamp: ts(), type, payload }));
    line('session_meta', {
      id,
      timestamp: ts(),
      cwd,
      originator: 'codex_cli_rs',
      cli_version: '0.58.0',
      instructions: null,
      source: 'cli',
      model_provider: 'openai',
      git: { commit_hash: hex(r, 40), branch: 'main', repository_url: 'git@example.com:dev/p.git' },
    });
    if (previousFile && r() < 0.5) lines.push(...previousFile.slice(1, 1 + int(r, previousFile.length))); // fork: parent's history
    const total = {
      input_tokens: 0,
      cached_input_tokens: 0,
      output_tokens: 0,
      reasoning_output_tokens: 0,
      total_tokens: 0,
    };
    const withLast = r() < 0.75;
    const hasContext = r() < 0.85;
    const turns = 3 + int(r, 10);
    for (let t = 0; t < turns; t++) {
      clock += 1000 + int(r, 300_000);
      if (hasContext && (t === 0 || r() < 0.2))
        line('turn_context', {
          cwd,
          approval_policy: 'on-request',
          sandbox_policy: { type: 'workspace-write', network_access: false },
          model: CODEX_MODELS[int(r, CODEX_MODELS.length)],
          effort: 'medium',
          summary: 'auto',
        });
      line('event_msg', { type: 'user_message', message: `turn ${t}`, images: [] });
      line('event_msg', { type: 'token_count', info: null, rate_limits: rate });
      const calls = 1 + int(r, 4);
      for (let c = 0; c < calls; c++) {
        clock += 500 + int(r, 20_000);
        const input = 1000 + int(r, 30_000);
        const cached = int(r, input);
        const output = 10 + int(r, 2000);
        const reasoning = int(r, output);
        const last = {
          input_tokens: input,
          cached_input_tokens: cached,
          output_tokens: output,
          reasoning_output_tokens: reasoning,
          total_tokens: input + output,
        };
        for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += last[k];
        const info: Record<string, unknown> = { total_token_usage: { ...total } };
        if (withLast) info.last_token_usage = last;
        info.model_context_window = 272000;
        line('event_msg', { type: 'token_count', info, rate_limits: rate });
        if (r() < 0.3) {
          clock += 1 + int(r, 5000);
          line('event_msg', { type: 'token_count', info, rate_limits: rate }); // rate-limit refresh
        }
        if (r() < 0.05)
          lines.push('{"timestamp":"2026-11-18T09:00:00.000Z","type":"event_msg","payload":{"type":"token_co');
      }
      line('event_msg', { type: 'agent_message', message: 'done' });
    }
    const day = new Date(clock).toISOString().slice(0, 10).split('-');
    const dir = join(sessionsDir, ...day);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `rollout-${new Date(clock).toISOString().slice(0, 19).replace(/:/g, '-')}-${id}.jsonl`),
      lines.join('\n') + '\n',
    );
    previousFile = lines;
  }
  return sessionsDir;
}
