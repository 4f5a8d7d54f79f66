// Runtime configuration: fetched from /config.json at start-up (written by the CDK app into the
// Amplify deployment, served by `local`), so one build runs against any deployment.

export interface RuntimeConfig {
  /** API base URL; empty means this page's own origin. */
  apiUrl: string;
  oidc: {
    authority: string;
    clientId: string;
    scope: string;
  };
}

export class ConfigError extends Error {}

export function parseConfig(raw: unknown): RuntimeConfig {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (o.oidc === null || typeof o.oidc !== 'object') {
    throw new ConfigError('this server has no sign-in configured (config.json has no "oidc" section)');
  }
  const oidc = o.oidc as Record<string, unknown>;
  const need = (v: unknown, name: string): string => {
    if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(`config.json: "${name}" is missing`);
    return v.trim();
  };
  return {
    apiUrl: typeof o.apiUrl === 'string' ? o.apiUrl.trim().replace(/\/+$/, '') : '',
    oidc: {
      authority: need(oidc.authority, 'oidc.authority'),
      clientId: need(oidc.clientId, 'oidc.clientId'),
      scope: typeof oidc.scope === 'string' && oidc.scope.trim() ? oidc.scope.trim() : 'openid',
    },
  };
}

export async function loadConfig(): Promise<RuntimeConfig> {
  let res: Response;
  try {
    res = await fetch('/config.json', { cache: 'no-store' });
  } catch (e) {
    throw new ConfigError(`config.json could not be loaded: ${(e as Error).message}`);
  }
  if (!res.ok) throw new ConfigError(`config.json could not be loaded (HTTP ${res.status})`);
  return parseConfig(await res.json());
}
