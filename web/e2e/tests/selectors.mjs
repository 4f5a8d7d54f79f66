// Every selector of pages the dashboard does not own, in one place.

/**
 * The local OIDC issuer's interactive login form (NAV's mock-oauth2-server): a `username` input,
 * a claims textarea (JSON merged into the tokens) and a submit button.
 */
export const LOGIN = {
  username: 'input[name="username"]',
  claims: 'textarea[name="claims"]',
  submit: 'form [type="submit"]',
};

/**
 * Who signs in. The local stack's default user is the one of `--api-key`; the issuer maps the
 * signed-in subject onto it. DEVTIME_E2E_USER overrides the name.
 */
export const E2E_USER = process.env.DEVTIME_E2E_USER || 'local';
export const E2E_CLAIMS = { email: 'dev@devtime.local' };
