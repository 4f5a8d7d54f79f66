import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from './api';
import { logoutUrl } from './auth';
import { parseConfig } from './config';

describe('sign-out URL', () => {
  it("is Cognito's /logout with client_id and logout_uri, never post_logout_redirect_uri", () => {
    const u = new URL(
      logoutUrl('https://devtime-prod.auth.eu-west-1.amazoncognito.com', 'abc123', 'https://dash.example/'),
    );
    expect(u.origin + u.pathname).toBe('https://devtime-prod.auth.eu-west-1.amazoncognito.com/logout');
    expect(Object.fromEntries(u.searchParams)).toEqual({ client_id: 'abc123', logout_uri: 'https://dash.example/' });
  });

  it('takes the hosted domain from config.json, without a trailing slash', () => {
    const oidc = {
      authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x',
      clientId: 'c',
      scope: 'openid',
    };
    expect(parseConfig({ oidc: { ...oidc, domain: 'https://d.example/' } }).oidc?.domain).toBe('https://d.example');
    expect(parseConfig({ oidc }).oidc?.domain).toBeNull();
  });
});

describe('API calls when the access token has expired', () => {
  afterEach(() => vi.unstubAllGlobals());

  const server = (valid: string) => {
    const seen: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const auth = new Headers(init.headers).get('Authorization') ?? '';
        seen.push(auth);
        return auth === `Bearer ${valid}`
          ? new Response('{"ok":true}', { status: 200 })
          : new Response('{"message":"Unauthorized"}', { status: 401 });
      }),
    );
    return seen;
  };

  it('renews once after a 401 and retries with the new token', async () => {
    const seen = server('fresh');
    const onUnauthorized = vi.fn();
    const renew = vi.fn(async () => 'fresh');
    const api = createApi('http://api', async () => 'stale', onUnauthorized, { renew });
    expect(await api.send('POST', '/api/x', { a: 1 })).toEqual({ ok: true });
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(renew).toHaveBeenCalledTimes(1);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('signs out when the session cannot be renewed', async () => {
    const seen = server('fresh');
    const onUnauthorized = vi.fn();
    const api = createApi('http://api', async () => 'stale', onUnauthorized, { renew: async () => null });
    await expect(api.get('/api/x')).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual(['Bearer stale']);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('retries only once', async () => {
    const seen = server('never');
    const onUnauthorized = vi.fn();
    const api = createApi('http://api', async () => 'stale', onUnauthorized, { renew: async () => 'also-refused' });
    await expect(api.get('/api/x')).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual(['Bearer stale', 'Bearer also-refused']);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });
});
