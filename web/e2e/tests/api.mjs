// The real HTTP API, called the way plugins and scripts call it (API key as Basic auth).

export function basic(key) {
  return `Basic ${Buffer.from(key).toString('base64')}`;
}

export async function apiGet(baseUrl, key, path) {
  const res = await fetch(`${baseUrl}${path}`, { headers: { Authorization: basic(key) } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Sends WakaTime-shaped heartbeats in bulk requests of at most 25, as wakatime-cli does. */
export async function ingest(baseUrl, key, heartbeats, { userAgent, machine = 'e2e-laptop' } = {}) {
  for (let i = 0; i < heartbeats.length; i += 25) {
    const chunk = heartbeats.slice(i, i + 25);
    const res = await fetch(`${baseUrl}/api/v1/users/current/heartbeats.bulk`, {
      method: 'POST',
      headers: {
        Authorization: basic(key),
        'Content-Type': 'application/json',
        'X-Machine-Name': machine,
        ...(userAgent ? { 'User-Agent': userAgent } : {}),
      },
      body: JSON.stringify(chunk),
    });
    const text = await res.text();
    if (res.status !== 201 && res.status !== 202) throw new Error(`heartbeats.bulk: ${res.status} ${text}`);
    const statuses = JSON.parse(text).responses.map((r) => r[1]);
    const bad = statuses.filter((s) => s !== 201 && s !== 202);
    if (bad.length) throw new Error(`heartbeats.bulk rejected items: ${text}`);
  }
}

const UA = {
  vscode: 'devtime/0.1.0 (linux-x64) node/20.20.2 vscode/1.95.0 devtime-vscode/0.1.0',
  'claude-code': 'devtime/0.1.0 (linux-x64) node/20.20.2 claude-code/2.0.31 devtime-claude-code/0.1.0',
  zed: 'devtime/0.1.0 (linux-x64) node/20.20.2 zed/0.210.4 devtime-zed/0.1.0',
};

/** Heartbeats every `stepMin` minutes from `startMs` for `minutes` minutes, as the tool sends them. */
export function series({
  tool,
  startMs,
  minutes,
  stepMin,
  project,
  language,
  branch = 'main',
  entity,
  extra = () => ({}),
}) {
  const out = [];
  for (let t = 0, i = 0; t <= minutes; t += stepMin, i++) {
    out.push({
      entity,
      type: 'file',
      category: tool === 'claude-code' ? 'ai coding' : 'coding',
      time: (startMs + t * 60_000) / 1000,
      project,
      branch,
      language,
      is_write: i % 3 === 0,
      lines: 120 + i,
      lineno: 10 + i,
      cursorpos: 4,
      tool,
      user_agent: UA[tool],
      ...extra(i),
    });
  }
  return out;
}

export async function waitFor(what, fn, { timeoutMs = 60_000, everyMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * An access token for `user` from the local issuer, through the code flow with PKCE the dashboard uses
 * (its sign-in form posted without a browser): for tests that need many signed-in users.
 */
export async function signInToken(baseUrl, user) {
  const { createHash, randomBytes } = await import('node:crypto');
  const { oidc } = await (await fetch(`${baseUrl}/config.json`)).json();
  const discovery = await (await fetch(`${oidc.authority}/.well-known/openid-configuration`)).json();
  const verifier = randomBytes(32).toString('base64url');
  const redirect = `${baseUrl}/`;
  const authorize = new URL(discovery.authorization_endpoint);
  for (const [k, v] of Object.entries({
    client_id: oidc.clientId,
    redirect_uri: redirect,
    response_type: 'code',
    scope: oidc.scope || 'openid',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: 'e2e',
  }))
    authorize.searchParams.set(k, v);
  const page = await (await fetch(authorize)).text();
  const signIn = page.match(/name="sign_in" value="([^"]+)"/)?.[1];
  if (!signIn) throw new Error(`no sign-in form at ${authorize}`);
  const posted = await fetch(new URL('/login', authorize), {
    method: 'POST',
    body: new URLSearchParams({ sign_in: signIn, username: user }),
    redirect: 'manual',
  });
  const code = new URL(posted.headers.get('location') ?? '', redirect).searchParams.get('code');
  if (!code) throw new Error(`sign-in of ${user}: ${posted.status} ${await posted.text()}`);
  const res = await fetch(discovery.token_endpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
      code_verifier: verifier,
      client_id: oidc.clientId,
    }),
  });
  const tokens = await res.json();
  if (!res.ok) throw new Error(`token for ${user}: ${res.status} ${JSON.stringify(tokens)}`);
  return tokens.access_token;
}
