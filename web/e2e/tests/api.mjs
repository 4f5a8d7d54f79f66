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
