// Account answers (who am I, keys, settings) as docs/api.md describes them, and the settings form's body.
import { Fields } from './contract';

export interface ApiKeyInfo {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string;
  readOnly: boolean;
}

/** An ISO instant (as the API writes times) or epoch milliseconds to a short UTC date-time; '' for none. */
export function formatWhen(v: string | number | null): string {
  if (v === null || v === '') return '';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/**
 * A key's last use as the hour it fell in: the server records a use at most once an hour (a write per
 * request would cost more than the request), so the real last use lies up to an hour after the stored time.
 */
export function formatUsedWindow(v: string | null): string {
  const from = formatWhen(v);
  if (!from) return '';
  const start = new Date(from.replace(' UTC', ':00Z').replace(' ', 'T'));
  const to = formatWhen(start.getTime() + 3_600_000);
  return from.slice(0, 10) === to.slice(0, 10)
    ? `${from.slice(0, 16)}–${to.slice(11)}`
    : `${from.slice(0, 16)} – ${to}`;
}

function keyInfo(k: Fields): ApiKeyInfo {
  return {
    id: k.string('id'),
    label: k.string('label'),
    createdAt: formatWhen(k.string('created_at')),
    lastUsedAt: formatUsedWindow(k.stringOrNull('last_used_at')),
    readOnly: k.boolean('read_only'),
  };
}

/** `GET /api/me`: the signed-in user's id. */
export function parseMe(raw: unknown, strict = false): string {
  const f = Fields.of(raw, 'GET /api/me');
  return f.end(f.string('user_id'), strict);
}

/** `GET /api/keys`: `{"keys": [...]}`, oldest first; the secrets are never listed. */
export function parseKeys(raw: unknown, strict = false): ApiKeyInfo[] {
  const f = Fields.of(raw, 'GET /api/keys');
  return f.end(f.items('keys').map(keyInfo), strict);
}

/** `POST /api/auth/token`: the new key's listing plus its secret, shown once. */
export function parseCreatedKey(raw: unknown, strict = false): ApiKeyInfo & { key: string } {
  const f = Fields.of(raw, 'POST /api/auth/token');
  return f.end({ ...keyInfo(f), key: f.string('key') }, strict);
}

export interface SettingsForm {
  timezone: string;
  timeoutMinutes: number;
  hideFileNames: boolean;
  excludedProjects: string[];
  retentionDays: number | null;
}

/** `GET /api/settings`: the form's fields and the public-sharing switch. */
export interface AccountSettings extends SettingsForm {
  public: boolean;
}

function settingsOf(f: Fields): AccountSettings {
  const retention = f.number('retention_days');
  return {
    timezone: f.string('timezone'),
    timeoutMinutes: f.number('timeout_minutes'),
    hideFileNames: f.boolean('hide_file_names'),
    excludedProjects: f.strings('excluded_projects'),
    // 0 keeps raw heartbeats for ever.
    retentionDays: retention > 0 ? retention : null,
    public: f.boolean('public'),
  };
}

export function parseSettings(raw: unknown, strict = false): AccountSettings {
  const f = Fields.of(raw, 'GET /api/settings');
  return f.end(settingsOf(f), strict);
}

/** `PUT /api/settings`: the settings as stored, and how many days are being recomputed for a new time zone or timeout. */
export function parseSavedSettings(raw: unknown, strict = false): AccountSettings & { recomputingDays: number } {
  const f = Fields.of(raw, 'PUT /api/settings');
  return f.end({ ...settingsOf(f), recomputingDays: f.number('recomputing_days') }, strict);
}

/** The `PUT /api/settings` body for the form; sharing has its own switch and is left out. */
export function settingsBody(form: SettingsForm): Record<string, unknown> {
  return {
    timezone: form.timezone,
    timeout_minutes: form.timeoutMinutes,
    hide_file_names: form.hideFileNames,
    excluded_projects: form.excludedProjects,
    retention_days: form.retentionDays ?? 0,
  };
}

/** Time zones the browser knows, with the browser's own and UTC first. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const all = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return [...new Set(['UTC', own, ...all])];
}
