// Every selector of pages the dashboard does not own, in one place.

/**
 * The local issuer's sign-in page (DevTime's own, served by `local`): a user name and a submit button.
 */
export const LOGIN = {
  username: '#username',
  submit: 'form button[type="submit"]',
  hint: '#user-hint',
};

/**
 * Who signs in. The local stack's default user is the one of `--api-key`; the issuer maps the
 * signed-in subject onto it. DEVTIME_E2E_USER overrides the name.
 */
export const E2E_USER = process.env.DEVTIME_E2E_USER || 'local';
