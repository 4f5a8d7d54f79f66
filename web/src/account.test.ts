import { describe, expect, it } from 'vitest';
import { formatUsedWindow, formatWhen, parseCreatedKey, parseKeys, parseSettings, settingsBody } from './account';
import { parseConfig, ConfigError } from './config';
import { setupSnippets } from './setup';
import { parseRoute } from './App';

const KEY = 'waka_3f2b8c1e-9d4a-4b6e-8f1c-2a7d5e9b0c13';

describe('API keys', () => {
  it('reads a key list given bare, under keys or under data', () => {
    const item = { id: 'k1', label: 'laptop', created_at: '2026-11-20T10:00:00Z', last_used_at: 1763719200000, read_only: true };
    for (const raw of [[item], { keys: [item] }, { data: [item] }]) {
      const [k] = parseKeys(raw);
      expect(k).toMatchObject({ id: 'k1', label: 'laptop', readOnly: true, createdAt: '2026-11-20 10:00 UTC' });
      expect(k.lastUsedAt).toBe('2025-11-21 10:00–11:00 UTC');
    }
  });
  it('shows the last use as the hour the server recorded it in', () => {
    expect(formatUsedWindow('2026-12-04T23:30:00Z')).toBe('2026-12-04 23:30 – 2026-12-05 00:30 UTC');
    expect(formatUsedWindow(null)).toBe('');
  });
  it('ignores entries without an id and unexpected shapes', () => {
    expect(parseKeys({ keys: [{ label: 'x' }] })).toEqual([]);
    expect(parseKeys('nope')).toEqual([]);
  });
  it('finds the secret in a create answer whatever it is called', () => {
    expect(parseCreatedKey({ id: 'k9', key: KEY, label: 'ci' })).toEqual({ key: KEY, id: 'k9' });
    expect(parseCreatedKey({ data: { api_key: KEY, id: 'k2' } })).toEqual({ key: KEY, id: 'k2' });
    expect(parseCreatedKey({ something: KEY })?.key).toBe(KEY);
    // A key without the waka_ prefix is valid too; a non-UUIDv4 string is not a key.
    expect(parseCreatedKey({ token: KEY.slice(5) })?.key).toBe(KEY.slice(5));
    expect(parseCreatedKey({ key: 'not-a-key' })).toBeUndefined();
  });
  it('formats epoch seconds, milliseconds and ISO strings alike', () => {
    expect(formatWhen(1763719200)).toBe(formatWhen(1763719200000));
    expect(formatWhen('')).toBe('');
    expect(formatWhen('garbage')).toBe('');
  });
});

describe('settings', () => {
  it('reads settings at the top level or under privacy', () => {
    expect(parseSettings({ timezone: 'Europe/Oslo', timeout_minutes: 10, privacy: { hide_file_names: true, exclude_projects: ['secret'] } })).toEqual({
      timezone: 'Europe/Oslo',
      timeoutMinutes: 10,
      hideFileNames: true,
      excludedProjects: ['secret'],
      retentionDays: null,
    });
    expect(parseSettings({}).timeoutMinutes).toBe(15);
    expect(parseSettings({ retention_days: 0 }).retentionDays).toBeNull();
  });
  it('round-trips the account service settings, keep-for-ever retention included', () => {
    const server = { timezone: 'UTC', timeout_minutes: 15, hide_file_names: false, excluded_projects: [], retention_days: 0 };
    const form = parseSettings(server);
    expect(settingsBody(server, form)).toEqual(server);
    expect(settingsBody(server, { ...form, retentionDays: 90 }).retention_days).toBe(90);
  });
  it('writes edits back under the names the server used and keeps unknown fields', () => {
    const original = { time_zone: 'UTC', timeout: 15, privacy: { hide_file_names: false }, rate_limit: 100 };
    const body = settingsBody(original, { timezone: 'Asia/Tokyo', timeoutMinutes: 20, hideFileNames: true, excludedProjects: ['a'], retentionDays: 30 });
    expect(body).toEqual({
      time_zone: 'Asia/Tokyo',
      timeout: 20,
      privacy: { hide_file_names: true },
      excluded_projects: ['a'],
      retention_days: 30,
      rate_limit: 100,
    });
    expect(original.privacy.hide_file_names).toBe(false);
  });
});

describe('runtime config', () => {
  it('accepts the documented config.json and trims the API URL', () => {
    const c = parseConfig({ apiUrl: 'http://127.0.0.1:8080/', oidc: { authority: 'http://127.0.0.1:8080/oidc', clientId: 'devtime-dashboard', scope: 'openid email devtime/api' } });
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
    expect(parseRoute('#/project/' + encodeURIComponent('a/b c'), '2026-11-22')).toEqual({ view: 'project', name: 'a/b c' });
    expect(parseRoute('#/project/%E0%A4%A', '2026-11-22')).toEqual({ view: 'overview' });
    expect(parseRoute('#/keys', '2026-11-22')).toEqual({ view: 'keys' });
    expect(parseRoute('', 'x')).toEqual({ view: 'overview' });
    expect(parseRoute('#/nonsense', 'x')).toEqual({ view: 'overview' });
  });
});
