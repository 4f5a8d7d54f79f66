// Sign-in. With an OIDC issuer (Cognito in AWS, the embedded issuer in `local`): authorization code
// + PKCE through oidc-client-ts, renewed with the refresh token, signed out through Cognito's /logout.
// Without one (a server whose config.json has "oidc": null): the user's API key, which the read routes
// accept as a Bearer credential (docs/api.md). Either way the credential lives in sessionStorage, so
// closing the tab signs out.
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { RuntimeConfig } from './config';

export interface Session {
  /** The credential sent as `Authorization: Bearer`; an expired access token is renewed first. */
  token(): Promise<string | null>;
  /** A fresh credential after the API answered 401, or null when the session cannot be renewed. */
  renew(): Promise<string | null>;
  /** Who is signed in, for the header. */
  who: string;
  kind: 'oidc' | 'api-key';
}

export type Boot = { state: 'signed-in'; session: Session } | { state: 'signed-out'; message?: string };

export interface Auth {
  kind: 'oidc' | 'api-key';
  /** Completes a redirect back from the issuer, or restores the stored session. */
  restore(): Promise<Boot>;
  /** OIDC: redirects to the issuer. API key: stores the key. */
  signIn(apiKey?: string): Promise<Session | void>;
  signOut(): Promise<void>;
  /** Forgets the credential after the API answered 401. */
  forget(): Promise<void>;
}

export function isCallback(search: string): boolean {
  const p = new URLSearchParams(search);
  return p.has('state') && (p.has('code') || p.has('error'));
}

/**
 * Cognito's sign-out: `/logout` on the hosted domain with `client_id` and `logout_uri`, which must be one
 * of the app client's sign-out URLs (the dashboard's own address). Cognito rejects the standard
 * `post_logout_redirect_uri` that oidc-client-ts's signoutRedirect would send.
 */
export function logoutUrl(domain: string, clientId: string, home: string): string {
  return `${domain}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: home })}`;
}

function oidcAuth(oidc: NonNullable<RuntimeConfig['oidc']>): Auth {
  // The callback lands on the page itself; restore() recognises ?code=&state= and completes it.
  const home = `${window.location.origin}/`;
  const um = new UserManager({
    authority: oidc.authority,
    client_id: oidc.clientId,
    scope: oidc.scope,
    redirect_uri: home,
    response_type: 'code',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // Renewal is by refresh token, when the token has expired or the API answers 401 (no timers, and no
    // silent-renew iframe: Cognito's hosted UI and `local` forbid framing).
    automaticSilentRenew: false,
  });
  let current: User | null = null;
  let renewing: Promise<string | null> | null = null;
  const renew = (): Promise<string | null> =>
    (renewing ??= (async () => {
      try {
        // With a stored refresh token, signinSilent posts grant_type=refresh_token to the token endpoint.
        current = current?.refresh_token ? await um.signinSilent() : null;
        return current?.access_token ?? null;
      } catch {
        return null;
      } finally {
        renewing = null;
      }
    })());
  const session = (u: User): Session => {
    current = u;
    return {
      token: async () => (current && !current.expired ? current.access_token : renew()),
      renew,
      who: String(
        u.profile.email ?? u.profile['cognito:username'] ?? u.profile.preferred_username ?? u.profile.sub ?? '',
      ),
      kind: 'oidc',
    };
  };
  return {
    kind: 'oidc',
    async restore() {
      if (isCallback(window.location.search)) {
        try {
          const user = await um.signinRedirectCallback();
          const hash = (user.state as { hash?: string } | undefined)?.hash ?? '';
          window.history.replaceState(null, '', `/${hash}`);
          return { state: 'signed-in', session: session(user) };
        } catch (e) {
          window.history.replaceState(null, '', '/');
          return { state: 'signed-out', message: `Sign-in failed: ${(e as Error).message}` };
        }
      }
      const user = await um.getUser();
      if (user && (!user.expired || user.refresh_token)) return { state: 'signed-in', session: session(user) };
      if (user) await um.removeUser();
      return { state: 'signed-out', message: user ? 'Your session expired. Sign in again.' : undefined };
    },
    async signIn() {
      await um.signinRedirect({ state: { hash: window.location.hash } });
    },
    async signOut() {
      current = null;
      await um.removeUser();
      window.location.assign(oidc.domain ? logoutUrl(oidc.domain, oidc.clientId, home) : '/');
    },
    forget: async () => {
      current = null;
      await um.removeUser();
    },
  };
}

const KEY_STORE = 'devtime.apiKey';

function apiKeyAuth(): Auth {
  const session = (key: string): Session => ({
    token: async () => key,
    renew: async () => null,
    who: `API key …${key.slice(-4)}`,
    kind: 'api-key',
  });
  return {
    kind: 'api-key',
    async restore() {
      const key = sessionStorage.getItem(KEY_STORE);
      return key ? { state: 'signed-in', session: session(key) } : { state: 'signed-out' };
    },
    async signIn(apiKey) {
      const key = (apiKey ?? '').trim();
      sessionStorage.setItem(KEY_STORE, key);
      return session(key);
    },
    async signOut() {
      sessionStorage.removeItem(KEY_STORE);
      window.location.assign('/');
    },
    async forget() {
      sessionStorage.removeItem(KEY_STORE);
    },
  };
}

export function createAuth(cfg: RuntimeConfig): Auth {
  return cfg.oidc ? oidcAuth(cfg.oidc) : apiKeyAuth();
}
