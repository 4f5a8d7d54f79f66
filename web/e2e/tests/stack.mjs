// Starts the real local stack (`java -jar devtime-local.jar`) on a free port with a fresh data
// directory, waits for /api/health, and stops it again within a bounded time, whatever happened.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const E2E_DIR = resolve(here, '..');
export const TARGET = join(E2E_DIR, 'target');
/** The jar under test: DEVTIME_LOCAL_JAR, else the repository's own build. */
export const LOCAL_JAR = process.env.DEVTIME_LOCAL_JAR || resolve(E2E_DIR, '../../local/target/devtime-local.jar');

export function newApiKey() {
  return `waka_${randomUUID()}`;
}

async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {{startTimeoutMs?: number, jvmArgs?: string[], logName?: string, jar?: string}} [options] jvmArgs go before -jar
 *   (system properties); the JVM's output goes to target/<logName>.log; jar defaults to LOCAL_JAR
 * @returns {Promise<{baseUrl: string, apiKey: string, logPath: string, stop: () => Promise<void>}>}
 */
export async function startLocal(options = {}) {
  // The free port is found before the JVM binds it (and sign-in takes the next one), so another program can take
  // either in between: start again on other ports when that is why it stopped.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt === 5) throw e;
    }
  }
}

class PortTaken extends Error {}

async function startOnce({ startTimeoutMs = 120_000, jvmArgs = [], logName = 'local', jar = LOCAL_JAR } = {}) {
  if (!existsSync(jar)) {
    throw new Error(
      `${jar} does not exist: build it first (mvn -pl local -am package -DskipTests) or set DEVTIME_LOCAL_JAR`,
    );
  }
  mkdirSync(TARGET, { recursive: true });
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'devtime-e2e-'));
  const apiKey = newApiKey();
  const logPath = join(TARGET, `${logName}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(
    'java',
    [...jvmArgs, '-jar', jar, '--port', String(port), '--data-dir', dataDir, '--api-key', apiKey],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exitPromise = new Promise((r) => child.on('exit', (code, signal) => r((exited = { code, signal }))));
  // If the test runner itself dies, do not leave a JVM behind.
  const onExit = () => child.kill('SIGKILL');
  process.on('exit', onExit);

  const stop = async () => {
    process.off('exit', onExit);
    if (!exited) {
      child.kill('SIGTERM');
      const done = await Promise.race([exitPromise, sleep(20_000).then(() => null)]);
      if (!done) {
        child.kill('SIGKILL');
        await Promise.race([exitPromise, sleep(5_000)]);
      }
    }
    await new Promise((r) => log.end(r));
    rmSync(dataDir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      const why = `devtime-local exited during start-up (${JSON.stringify(exited)}); see ${logPath}`;
      throw readFileSync(logPath, 'utf8').includes(' is in use') ? new PortTaken(why) : new Error(why);
    }
    try {
      // Ready means healthy and our key seeded: /api/health can answer before --api-key is stored.
      const health = await fetch(`${baseUrl}/api/health`);
      if (health.ok && (await health.json()).ok === true) {
        const auth = { Authorization: `Basic ${Buffer.from(apiKey).toString('base64')}` };
        if ((await fetch(`${baseUrl}/api/stats?range=today`, { headers: auth })).ok) break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `devtime-local did not answer /api/health and accept the key within ${startTimeoutMs} ms; see ${logPath}`,
      );
    }
    await sleep(250);
  }
  return { baseUrl, apiKey, logPath, stop };
}
