// A local HTTP server speaking the bulk route's contract (docs/api.md): 202 with one
// [body, status] tuple per item. Tests switch its behaviour to fail, hang or reject items.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Heartbeat } from '../src/index.js';

export type Behaviour =
  | 'ok'
  | 'fail' // 500 for the whole request, from the handler ({"error": ...})
  | 'gateway' // 500 from API Gateway itself ({"message": ...}), as when Lambda answers SnapStartNotReadyException
  | 'unauthorized' // 401
  | 'hang' // never answers
  | 'stall' // sends headers, then never finishes the body
  | 'reset' // destroys the connection
  | { statuses: number[] }; // per-item statuses, in order

export interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  items: Heartbeat[];
  behaviour: Behaviour;
}

export interface FakeServer {
  url: string;
  requests: Received[];
  /** Items answered with a 2xx status, in the order the server took them. */
  accepted: Heartbeat[];
  behave: (items: Heartbeat[]) => Behaviour;
  close(): Promise<void>;
}

export async function startFakeServer(): Promise<FakeServer> {
  const hanging = new Set<ServerResponse>();
  const state: FakeServer = {
    url: '',
    requests: [],
    accepted: [],
    behave: () => 'ok',
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const items = JSON.parse(body || '[]') as Heartbeat[];
      const behaviour = state.behave(items);
      state.requests.push({ url: req.url ?? '', headers: req.headers, items, behaviour });
      const json = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (behaviour === 'hang') {
        hanging.add(res);
        return;
      }
      if (behaviour === 'stall') {
        hanging.add(res);
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
      const statuses = behaviour === 'ok' ? items.map(() => 201) : behaviour.statuses;
      const responses = items.map((item, i) => {
        const status = statuses[i] ?? 201;
        if (status >= 200 && status < 300) {
          state.accepted.push(item);
          return [{ data: { id: `${item.time}-${item.entity}` } }, status];
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
