/**
 * The Claude Code hook command (`node dist/hook.js`, every event, `"async": true`). It reads the
 * event from stdin, queues heartbeats on disk, starts a detached flusher and exits: no network I/O
 * here, and nothing on stdout (SessionStart's stdout would be added to Claude's context).
 * `node dist/hook.js --devtime-flush` is that flusher.
 */
import { CLIENT_VERSION, DevTimeClient, loadConfig, type DevTimeConfig } from '@devtime/core';
import { FLUSH_FLAG, hookLog, queueAndSpawnFlusher, readStdin, runFlusher } from '@devtime/cli';
import { parseHookPayload } from './payload.js';
import { handleHookEvent, loadState } from './handle.js';

const log = hookLog('claude-code', 'hook.log');

function client(config: DevTimeConfig, claudeVersion?: string): DevTimeClient {
  return new DevTimeClient({
    tool: 'claude-code',
    plugin: 'devtime-claude-code',
    pluginVersion: CLIENT_VERSION,
    editor: 'claude-code',
    editorVersion: claudeVersion,
    config,
    logger: { warn: (m) => log(config, m) },
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (process.argv.includes(FLUSH_FLAG)) {
    const r = await runFlusher(client(config));
    if (r?.error) log(config, `flush: ${r.error} (${r.remaining} waiting)`);
    return;
  }
  const payload = parseHookPayload(await readStdin());
  if (!payload) return;
  const knownVersion = loadState(config.home, payload.session_id).version;
  await handleHookEvent(payload, config.home, (activities, version) =>
    queueAndSpawnFlusher(client(config, version ?? knownVersion), activities),
  );
}

main().catch((e) => {
  // Exit 0 whatever happens: a tracking problem must never disturb the user's session.
  try {
    log(loadConfig(), `error: ${(e as Error).stack ?? e}`);
  } catch {
    // Nothing more to do.
  }
});
