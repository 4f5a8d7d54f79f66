// Account payloads (keys, settings). docs/api.md lists these routes but not yet their response
// shapes, so parsing here accepts the likely spellings and the UI shows whatever arrives.

export interface ApiKeyInfo {
  id: string;
  label: string;
  /** A non-secret hint such as the key's last characters, when the server gives one. */
  hint: string;
  createdAt: string;
  lastUsedAt: string;
  readOnly: boolean;
}

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function first(o: Record<string, unknown>, names: string[]): unknown {
  for (const n of names) if (o[n] !== undefined && o[n] !== null) return o[n];
  return undefined;
}

/** Epoch seconds, epoch milliseconds or an ISO string to a short local date-time; '' when absent. */
export function formatWhen(v: unknown): string {
  let d: Date | undefined;
  if (typeof v === 'number' && v > 0) d = new Date(v < 1e11 ? v * 1000 : v);
  else if (typeof v === 'string' && v) d = new Date(v);
  if (!d || Number.isNaN(d.getTime())) return '';
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/**
 * A key's last use as the hour it fell in: the server records a use at most once an hour (a write per
 * request would cost more than the request), so the real last use lies up to an hour after the stored time.
 */
export function formatUsedWindow(v: unknown): string {
  const from = formatWhen(v);
  if (!from) return '';
  const start = new Date(from.replace(' UTC', ':00Z').replace(' ', 'T'));
  const to = formatWhen(start.getTime() + 3_600_000);
  return from.slice(0, 10) === to.slice(0, 10) ? `${from.slice(0, 16)}–${to.slice(11)}` : `${from.slice(0, 16)} – ${to}`;
}

/** `GET /api/keys`: a bare array, or `{keys: [...]}`, or `{data: [...]}`. */
export function parseKeys(raw: unknown): ApiKeyInfo[] {
  const list = Array.isArray(raw) ? raw : (first(obj(raw), ['keys', 'data', 'items']) as unknown);
  if (!Array.isArray(list)) return [];
  return list
    .map((k) => {
      const o = obj(k);
      const scope = first(o, ['scope', 'scopes']);
      return {
        id: String(first(o, ['id', 'key_id', 'keyId']) ?? ''),
        label: String(first(o, ['label', 'name']) ?? ''),
        hint: String(first(o, ['hint', 'preview', 'last4', 'suffix', 'prefix']) ?? ''),
        createdAt: formatWhen(first(o, ['created_at', 'createdAt', 'created'])),
        lastUsedAt: formatUsedWindow(first(o, ['last_used_at', 'lastUsedAt', 'last_used'])),
        readOnly:
          first(o, ['read_only', 'readOnly']) === true ||
          scope === 'read' ||
          (Array.isArray(scope) && !scope.includes('write') && scope.includes('read')),
      };
    })
    .filter((k) => k.id !== '');
}

const KEY_PATTERN = /^(waka_)?[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The secret in a `POST /api/auth/token` answer: `key`, `api_key`, `token`, or nested under `data`. */
export function parseCreatedKey(raw: unknown): { key: string; id: string } | undefined {
  const o = obj(raw);
  for (const src of [o, obj(o.data), obj(o.key)]) {
    const named = first(src, ['key', 'api_key', 'apiKey', 'token', 'secret']);
    if (typeof named === 'string' && KEY_PATTERN.test(named)) {
      return { key: named, id: String(first(src, ['id', 'key_id', 'keyId']) ?? first(o, ['id']) ?? '') };
    }
  }
  // Last resort: any top-level string shaped like a key.
  for (const v of Object.values(o)) {
    if (typeof v === 'string' && KEY_PATTERN.test(v)) return { key: v, id: String(o.id ?? '') };
  }
  return undefined;
}

export interface SettingsForm {
  timezone: string;
  timeoutMinutes: number;
  hideFileNames: boolean;
  excludedProjects: string[];
  retentionDays: number | null;
}

/** Field names the server may use for each setting; the first one present is written back. */
const SETTING_NAMES = {
  timezone: ['timezone', 'time_zone', 'timeZone'],
  timeoutMinutes: ['timeout_minutes', 'timeoutMinutes', 'timeout', 'keystroke_timeout'],
  hideFileNames: ['hide_file_names', 'hideFileNames', 'anonymize_file_paths'],
  excludedProjects: ['excluded_projects', 'exclude_projects', 'excludedProjects'],
  retentionDays: ['retention_days', 'retentionDays', 'raw_retention_days'],
} as const;

/** Settings may sit at the top level or under `privacy`; reads both. */
export function parseSettings(raw: unknown): SettingsForm {
  const o = obj(raw);
  const all = { ...obj(o.privacy), ...o };
  const tz = first(all, [...SETTING_NAMES.timezone]);
  const timeout = first(all, [...SETTING_NAMES.timeoutMinutes]);
  const hide = first(all, [...SETTING_NAMES.hideFileNames]);
  const excl = first(all, [...SETTING_NAMES.excludedProjects]);
  const ret = first(all, [...SETTING_NAMES.retentionDays]);
  return {
    timezone: typeof tz === 'string' && tz ? tz : 'UTC',
    timeoutMinutes: typeof timeout === 'number' && timeout > 0 ? timeout : 15,
    hideFileNames: hide === true,
    excludedProjects: Array.isArray(excl) ? excl.filter((x): x is string => typeof x === 'string') : [],
    // 0 means keep for ever, as does a missing value.
    retentionDays: typeof ret === 'number' && ret > 0 ? ret : null,
  };
}

/**
 * The `PUT /api/settings` body: the server's own object with the edited values written under the
 * names it used (so unknown fields survive a round trip), defaulting to snake_case names.
 */
export function settingsBody(original: unknown, form: SettingsForm): Record<string, unknown> {
  const o = { ...obj(original) };
  const privacy = obj(o.privacy);
  const nested = Object.keys(privacy).length > 0;
  if (nested) o.privacy = { ...privacy };
  const put = (names: readonly string[], value: unknown) => {
    const inPrivacy = nested ? names.find((n) => n in privacy) : undefined;
    if (inPrivacy) {
      (o.privacy as Record<string, unknown>)[inPrivacy] = value;
      return;
    }
    o[names.find((n) => n in o) ?? names[0]] = value;
  };
  put(SETTING_NAMES.timezone, form.timezone);
  put(SETTING_NAMES.timeoutMinutes, form.timeoutMinutes);
  put(SETTING_NAMES.hideFileNames, form.hideFileNames);
  put(SETTING_NAMES.excludedProjects, form.excludedProjects);
  const hasRetention = SETTING_NAMES.retentionDays.some((n) => n in o || n in privacy);
  if (form.retentionDays !== null || hasRetention) put(SETTING_NAMES.retentionDays, form.retentionDays ?? 0);
  return o;
}

/** Time zones the browser knows, with the browser's own and UTC first. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const all = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return [...new Set(['UTC', own, ...all])];
}
