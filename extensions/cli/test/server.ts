/**
 * A real HTTP server on loopback that answers like DevTime's ingest API (WakaTime's bulk shape) and
 * records what it received; tests point clients at it through DEVTIME_API_URL.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** The status the server answered. */
  status?: number;
}

export interface FakeServer {
  url: string;
  requests: Received[];
  /** Every heartbeat posted to heartbeats.bulk, in arrival order. */
  heartbeats(): Record<string, unknown>[];
  /** The heartbeats of bulk requests that were answered 202. */
  accepted(): Record<string, unknown>[];
  /**
   * Answer n bulk requests with this status (e.g. 503), after letting `after` more through; with
   * `retryAfter` (seconds) the answers carry a Retry-After header, as API Gateway's throttling does.
   */
  failNext(n: number, status?: number, opts?: { after?: number; retryAfter?: number }): void;
  /** While true, bulk requests are held open without an answer (a server that hangs). */
  hang(on: boolean): void;
  close(): Promise<void>;
}

export async function startFakeServer(todaySeconds = 5400): Promise<FakeServer> {
  const requests: Received[] = [];
  let failures = 0;
  let failStatus = 503;
  let failAfter = 0;
  let retryAfter: number | undefined;
  let hanging = false;
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = data ? JSON.parse(data) : undefined;
      } catch {
        body = data;
      }
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.startsWith('/api/v1/users/current/heartbeats.bulk')) {
        if (hanging) return;
        if (failures > 0 && failAfter > 0) failAfter--;
        else if (failures > 0) {
          failures--;
          if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
          res.statusCode = failStatus;
          res.end('{"error":"unavailable"}');
          return;
        }
        const items = Array.isArray(body) ? body : [];
        res.statusCode = 202;
        requests[requests.length - 1].status = 202;
        res.end(JSON.stringify({ responses: items.map((h) => [{ data: h }, 201]) }));
        return;
      }
      if (req.url?.startsWith('/api/v1/users/current/statusbar/today')) {
        const h = Math.floor(todaySeconds / 3600);
        const m = Math.floor((todaySeconds % 3600) / 60);
        res.end(JSON.stringify({ data: { grand_total: { total_seconds: todaySeconds, text: `${h} hr ${m} mins`, hours: h, minutes: m } } }));
        return;
      }
      res.statusCode = 404;
      res.end('{"error":"not found"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    heartbeats: () =>
      requests.filter((r) => r.path.startsWith('/api/v1/users/current/heartbeats.bulk') && Array.isArray(r.body)).flatMap((r) => r.body as Record<string, unknown>[]),
    accepted: () =>
      requests.filter((r) => r.status === 202 && Array.isArray(r.body)).flatMap((r) => r.body as Record<string, unknown>[]),
    failNext(n, status = 503, opts = {}) {
      failures = n;
      failStatus = status;
      failAfter = opts.after ?? 0;
      retryAfter = opts.retryAfter;
    },
    hang(on) {
      hanging = on;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** An isolated DevTime home (config, queue) for one test. */
export function devtimeEnv(home: string, url: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    DEVTIME_HOME: `${home}/.devtime`,
    DEVTIME_API_URL: url,
    DEVTIME_API_KEY: 'waka_3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    WAKATIME_HOME: home,
    ...extra,
  };
}
