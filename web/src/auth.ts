// OIDC sign-in (authorization code + PKCE) with oidc-client-ts: Cognito in AWS, the embedded
// issuer in `local`. The user (tokens) lives in sessionStorage, so closing the tab signs out.
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { RuntimeConfig } from './config';

export function createUserManager(cfg: RuntimeConfig): UserManager {
  // The callback lands on the page itself; App recognises ?code=&state= and completes it.
  const home = `${window.location.origin}/`;
  return new UserManager({
    authority: cfg.oidc.authority,
    client_id: cfg.oidc.clientId,
    scope: cfg.oidc.scope,
    redirect_uri: home,
    post_logout_redirect_uri: home,
    response_type: 'code',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // No silent-renew iframe: Cognito's hosted UI forbids framing; a refresh token renews instead.
    automaticSilentRenew: false,
  });
}

export function isCallback(search: string): boolean {
  const p = new URLSearchParams(search);
  return p.has('state') && (p.has('code') || p.has('error'));
}

/** Finishes a redirect, returning the signed-in user and the view the user wanted (a hash). */
export async function completeSignIn(um: UserManager): Promise<{ user: User; hash: string }> {
  const user = await um.signinRedirectCallback();
  const state = user.state as { hash?: string } | undefined;
  return { user, hash: state?.hash ?? '' };
}

export async function signIn(um: UserManager): Promise<void> {
  await um.signinRedirect({ state: { hash: window.location.hash } });
}

/** Signs out locally, then at the issuer when it advertises an end-session endpoint. */
export async function signOut(um: UserManager): Promise<void> {
  await um.removeUser();
  try {
    const meta = await um.metadataService.getMetadata();
    if (meta.end_session_endpoint) {
      await um.signoutRedirect();
      return;
    }
  } catch {
    // No metadata: the local sign-out above is all there is.
  }
  window.location.assign('/');
}
