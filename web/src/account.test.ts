import { describe, expect, it } from 'vitest';
import { formatUsedWindow, formatWhen, parseCreatedKey, parseKeys, parseSettings, settingsBody } from './account';
import { ContractError } from './contract';
import { parseConfig, ConfigError } from './config';
import { setupSnippets } from './setup';
import { parseRoute } from './App';

const KEY = 'waka_3f2b8c1e-9d4a-4b6e-8f1c-2a7d5e9b0c13';

describe('API keys', () => {
  const item = {
    id: 'k1',
    label: 'laptop',
    read_only: true,
    created_at: '2026-11-20T10:00:00Z',
    last_used_at: '2025-11-21T10:00:00Z',
  };
  it('reads the key list', () => {
    const [k] = parseKeys({ keys: [item] });
    expect(k).toEqual({
      id: 'k1',
      label: 'laptop',
      readOnly: true,
      createdAt: '2026-11-20 10:00 UTC',
      lastUsedAt: '2025-11-21 10:00–11:00 UTC',
    });
    expect(parseKeys({ keys: [{ ...item, last_used_at: null }] })[0].lastUsedAt).toBe('');
  });
  it('shows the last use as the hour the server recorded it in', () => {
    expect(formatUsedWindow('2026-12-04T23:30:00Z')).toBe('2026-12-04 23:30 – 2026-12-05 00:30 UTC');
    expect(formatUsedWindow(null)).toBe('');
  });
  it('refuses a list that is not the documented one, naming the field', () => {
    expect(() => parseKeys([item])).toThrow(ContractError);
    expect(() => parseKeys({ data: [item] })).toThrow('GET /api/keys.keys: missing');
    expect(() => parseKeys({ keys: [{ ...item, read_only: 'yes' }] })).toThrow(
      'GET /api/keys.keys[0].read_only: expected true or false',
    );
    // Unknown fields are ignored at run time and refused by the contract tests.
    expect(parseKeys({ keys: [{ ...item, hint: '0c13' }] })).toHaveLength(1);
    expect(() => parseKeys({ keys: [{ ...item, hint: '0c13' }] }, true)).toThrow('unknown field(s) hint');
  });
  it('reads the secret of a created key', () => {
    expect(parseCreatedKey({ ...item, key: KEY }).key).toBe(KEY);
    expect(() => parseCreatedKey({ ...item, api_key: KEY })).toThrow('POST /api/auth/token.key: missing');
  });
  it('formats ISO instants and epoch milliseconds alike', () => {
    expect(formatWhen('2025-11-21T10:00:00Z')).toBe(formatWhen(1763719200000));
    expect(formatWhen('')).toBe('');
    expect(formatWhen('garbage')).toBe('');
  });
});

describe('settings', () => {
  const server = {
    timezone: 'Europe/Oslo',
    timeout_minutes: 10,
    hide_file_names: true,
    excluded_projects: ['secret'],
    retention_days: 0,
    public: false,
  };
  it('reads the settings, 0 retention as keep for ever', () => {
    expect(parseSettings(server)).toEqual({
      timezone: 'Europe/Oslo',
      timeoutMinutes: 10,
      hideFileNames: true,
      excludedProjects: ['secret'],
      retentionDays: null,
      public: false,
    });
    expect(parseSettings({ ...server, retention_days: 90 }).retentionDays).toBe(90);
    const { timeout_minutes: _timeout, ...withoutTimeout } = server;
    expect(() => parseSettings(withoutTimeout)).toThrow('GET /api/settings.timeout_minutes: missing');
  });
  it('writes the form back as the body PUT /api/settings takes, without the sharing switch', () => {
    const { public: _shared, ...fields } = server;
    expect(settingsBody(parseSettings(server))).toEqual(fields);
    expect(settingsBody({ ...parseSettings(server), retentionDays: 30 }).retention_days).toBe(30);
  });
});

describe('runtime config', () => {
  it('accepts the documented config.json and trims the API URL', () => {
    const c = parseConfig({
      apiUrl: 'http://127.0.0.1:8080/',
      oidc: {
        authority: 'http://127.0.0.1:8080/oidc',
        clientId: 'devtime-dashboard',
        scope: 'openid email devtime/api',
      },
    });
    expect(c.apiUrl).toBe('http://127.0.0.1:8080');
    expect(c.oidc?.scope).toBe('openid email devtime/api');
  });
  it('names the missing field', () => {
    expect(() => parseConfig({ apiUrl: 'x', oidc: { authority: 'a' } })).toThrow(ConfigError);
    expect(() => parseConfig({ apiUrl: 'x', oidc: { authority: 'a' } })).toThrow(/oidc.clientId/);
    expect(parseConfig({ apiUrl: 'http://h/', oidc: null })).toEqual({ apiUrl: 'http://h', oidc: null });
  });
});

describe('setup snippets', () => {
  it('writes a ~/.wakatime.cfg that WakaTime plugins read, with /api/v1', () => {
    const waka = setupSnippets('https://devtime.example.com', KEY).find((s) => s.id === 'wakatime')!;
    expect(waka.file).toBe('~/.wakatime.cfg');
    expect(waka.code).toBe(`[settings]\napi_url = https://devtime.example.com/api/v1\napi_key = ${KEY}\n`);
  });
  it('covers VS Code, Claude Code, Codex and Zed and uses a placeholder without a key', () => {
    const s = setupSnippets('http://127.0.0.1:8080', undefined);
    expect(s.map((x) => x.id)).toEqual(expect.arrayContaining(['vscode', 'claude-code', 'codex', 'zed', 'wakatime']));
    expect(s.find((x) => x.id === 'devtime-config')!.code).toContain('key = "YOUR_API_KEY"');
    expect(s.find((x) => x.id === 'zed')!.intro).toContain('not published yet');
  });
});

describe('routes', () => {
  it('parses hash routes and falls back to the overview', () => {
    expect(parseRoute('#/timeline/2026-11-16', '2026-11-22')).toEqual({ view: 'timeline', date: '2026-11-16' });
    expect(parseRoute('#/timeline', '2026-11-22')).toEqual({ view: 'timeline', date: '2026-11-22' });
    expect(parseRoute('#/project/' + encodeURIComponent('a/b c'), '2026-11-22')).toEqual({
      view: 'project',
      name: 'a/b c',
    });
    expect(parseRoute('#/project/%E0%A4%A', '2026-11-22')).toEqual({ view: 'overview' });
    expect(parseRoute('#/keys', '2026-11-22')).toEqual({ view: 'keys' });
    expect(parseRoute('#/leaders', '2026-11-22')).toEqual({ view: 'leaders' });
    expect(parseRoute('', 'x')).toEqual({ view: 'overview' });
    expect(parseRoute('#/nonsense', 'x')).toEqual({ view: 'overview' });
  });
});
