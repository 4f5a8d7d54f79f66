// A real HTTP server on loopback that answers like DevTime's ingest API (docs/api.md) and records what it
// received: the bulk route answers 202 with one [body, status] tuple per item, the status bar route a day's
// total. Client tests (the core's sender and queue, the CLI and the tool adapters, through
// @devtime/core/testing) point at it and switch its behaviour to fail, hang or reject items.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A heartbeat as sent on the wire. */
export type WireHeartbeat = Record<string, unknown>;

export type Behaviour =
  | 'ok'
  | 'fail' // 500 for the whole request, from the handler ({"error": ...})
  | 'gateway' // 500 from API Gateway itself ({"message": ...}), as when Lambda answers SnapStartNotReadyException
  | 'unauthorized' // 401
  | 'hang' // never answers
  | 'stall' // sends headers, then never finishes the body
  | 'reset' // destroys the connection
  | { statuses: number[] } // per-item statuses, in order
  | { status: number; retryAfter?: number }; // the whole request refused (503, 429 with Retry-After as throttling does)

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed body (the raw text when it is not JSON). */
  body: unknown;
  /** The heartbeats of a bulk request; empty for other routes. */
  items: WireHeartbeat[];
  /** The status the server answered; undefined while it has not. */
  status?: number;
}

export interface FakeServer {
  url: string;
  requests: Received[];
  /** Decides how the bulk route answers a request; 'ok' unless a test says otherwise. */
  behave: (items: WireHeartbeat[]) => Behaviour;
  /** Every heartbeat posted to the bulk route, in arrival order. */
  heartbeats(): WireHeartbeat[];
  /** The heartbeats answered with a 2xx status, in the order the server took them. */
  accepted(): WireHeartbeat[];
  /** Refuse the next n bulk requests with this status, after letting `after` more through. */
  failNext(n: number, status?: number, opts?: { after?: number; retryAfter?: number }): void;
  /** While true, bulk requests are held open without an answer. */
  hang(on: boolean): void;
  /** Forgets what was received and answers 'ok' again. */
  reset(): void;
  close(): Promise<void>;
}

const BULK = '/api/v1/users/current/heartbeats.bulk';
const STATUS_BAR = '/api/v1/users/current/statusbar/today';

/** @param todaySeconds what the status bar route reports for today */
export async function startFakeServer(todaySeconds = 5400): Promise<FakeServer> {
  const held = new Set<ServerResponse>();
  let accepted: WireHeartbeat[] = [];
  let failures = 0;
  let failAfter = 0;
  let failStatus = 503;
  let retryAfter: number | undefined;
  let hanging = false;
  const state: FakeServer = {
    url: '',
    requests: [],
    behave: () => 'ok',
    heartbeats: () => state.requests.flatMap((r) => r.items),
    accepted: () => [...accepted],
    failNext(n, status = 503, opts = {}) {
      failures = n;
      failStatus = status;
      failAfter = opts.after ?? 0;
      retryAfter = opts.retryAfter;
    },
    hang(on) {
      hanging = on;
    },
    reset() {
      state.requests.length = 0;
      accepted = [];
      failures = 0;
      hanging = false;
      state.behave = () => 'ok';
    },
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  /** What the bulk route does with this request: the count-based switches first, then behave. */
  const decide = (items: WireHeartbeat[]): Behaviour => {
    if (hanging) return 'hang';
    if (failures > 0 && failAfter > 0) failAfter--;
    else if (failures > 0) {
      failures--;
      return { status: failStatus, retryAfter };
    }
    return state.behave(items);
  };

  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const path = req.url ?? '';
      const bulk = path.startsWith(BULK);
      const items = bulk && Array.isArray(body) ? (body as WireHeartbeat[]) : [];
      const received: Received = { path, headers: req.headers, body, items };
      state.requests.push(received);
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        received.status = status;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (path.startsWith(STATUS_BAR)) {
        const h = Math.floor(todaySeconds / 3600);
        const m = Math.floor((todaySeconds % 3600) / 60);
        return json(200, {
          data: { grand_total: { total_seconds: todaySeconds, text: `${h} hr ${m} mins`, hours: h, minutes: m } },
        });
      }
      if (!bulk) return json(404, { error: 'not found' });
      const behaviour = decide(items);
      if (behaviour === 'hang') {
        held.add(res);
        return;
      }
      if (behaviour === 'stall') {
        held.add(res);
        res.writeHead(202, { 'content-type': 'application/json' });
        res.write('{"responses": [');
        return;
      }
      if (behaviour === 'reset') {
        req.socket.destroy();
        return;
      }
      if (behaviour === 'fail') return json(500, { error: 'internal error' });
      if (behaviour === 'gateway') return json(500, { message: 'Internal Server Error' });
      if (behaviour === 'unauthorized') return json(401, { error: 'invalid API key' });
      if (typeof behaviour === 'object' && 'status' in behaviour) {
        return json(
          behaviour.status,
          { error: 'unavailable' },
          behaviour.retryAfter === undefined ? {} : { 'Retry-After': String(behaviour.retryAfter) },
        );
      }
      const statuses = behaviour === 'ok' ? items.map(() => 201) : behaviour.statuses;
      const responses = items.map((item, i) => {
        const status = statuses[i] ?? 201;
        if (status >= 200 && status < 300) {
          accepted.push(item);
          return [{ data: item }, status];
        }
        return [{ error: status === 400 ? 'time is more than 1 h in the future' : 'try again' }, status];
      });
      json(202, { responses });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** An isolated DevTime home (config, queue) for one test, pointed at `url`. */
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
