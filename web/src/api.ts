// The dashboard's API client: every call carries the OIDC access token as a Bearer credential.
// Errors arrive as {"error": "..."} (docs/api.md) and surface as ApiError with that message.
import { parseError } from './contract';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's Retry-After on a 429 or 503: how long to wait before sending the same request again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface Api {
  get(path: string): Promise<unknown>;
  send(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<unknown>;
  /** A page of a paged download: its text and the X-Next-Cursor header. */
  page(path: string): Promise<{ text: string; headerCursor: string | null }>;
  upload(path: string, file: Blob): Promise<unknown>;
}

/**
 * API Gateway's own 5xx answer, `{"message": "Internal Server Error"}` (DevTime's handlers answer
 * `{"error": "..."}`): the function did not run or did not answer. A SnapStart function version idle for
 * 14 days gives it once (Lambda's SnapStartNotReadyException) while Lambda restores it, so reads are asked
 * once more after a pause. Writes are not: a crashed write may have happened.
 */
export function isGatewayFailure(status: number, body: string): boolean {
  if (status !== 500 && status !== 502 && status !== 503) return false;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    return typeof parsed.message === 'string' && parsed.error === undefined;
  } catch {
    return false;
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`.trim();
  const text = await res.text();
  try {
    message = parseError(JSON.parse(text));
  } catch {
    // Not DevTime's answer: API Gateway's own {"message": "..."} (its authorizer, throttling, a function that
    // did not answer) or a proxy's HTML page, which keeps the status line.
    try {
      const m = (JSON.parse(text) as { message?: unknown }).message;
      if (typeof m === 'string') message = m;
    } catch {
      // not JSON
    }
  }
  if (res.status === 401) message = `Not signed in or the session expired (${message})`;
  if (res.status === 404) message = `Not available on this server yet (${message})`;
  const retryAfter = Number(res.headers.get('Retry-After'));
  return new ApiError(res.status, message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

type Credential = string | null | undefined;

export interface ApiOptions {
  /** After a 401: a fresh credential to retry once with, or null when there is none. */
  renew?: () => Promise<Credential>;
  /** The pause before a read API Gateway failed is sent again (see isGatewayFailure). */
  gatewayRetryMs?: number;
}

/** @param token the credential to send (a session may renew it first) */
export function createApi(
  baseUrl: string,
  token: () => Credential | Promise<Credential>,
  onUnauthorized: () => void,
  { renew, gatewayRetryMs = 3000 }: ApiOptions = {},
): Api {
  const sendWith = async (t: Credential, method: string, path: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (t) headers.set('Authorization', `Bearer ${t}`);
    try {
      return await fetch(`${baseUrl}${path}`, { ...init, method, headers });
    } catch (e) {
      throw new ApiError(0, `The server could not be reached (${(e as Error).message})`);
    }
  };
  const send = async (method: string, path: string, init: RequestInit): Promise<Response> => {
    const res = await sendWith(await token(), method, path, init);
    if (res.status !== 401 || !renew) return res;
    const fresh = await renew();
    return fresh ? sendWith(fresh, method, path, init) : res;
  };
  const call = async (method: string, path: string, init: RequestInit = {}): Promise<Response> => {
    let res = await send(method, path, init);
    if (method === 'GET' && isGatewayFailure(res.status, await res.clone().text())) {
      await new Promise((r) => setTimeout(r, gatewayRetryMs));
      res = await send(method, path, init);
    }
    if (!res.ok) {
      if (res.status === 401) onUnauthorized();
      throw await errorOf(res);
    }
    return res;
  };
  const json = async (res: Response): Promise<unknown> => {
    const text = await res.text();
    return text ? JSON.parse(text) : {};
  };
  return {
    get: async (path) => json(await call('GET', path)),
    send: async (method, path, body) =>
      json(
        await call(
          method,
          path,
          body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } },
        ),
      ),
    page: async (path) => {
      const res = await call('GET', path);
      return { text: await res.text(), headerCursor: res.headers.get('X-Next-Cursor') };
    },
    upload: async (path, file) =>
      json(await call('POST', path, { body: file, headers: { 'Content-Type': 'application/json' } })),
  };
}
