// Runtime configuration: fetched from /config.json at start-up (written by the CDK app into the
// Amplify deployment, served by `local`), so one build runs against any deployment.

export interface RuntimeConfig {
  /** API base URL; empty means this page's own origin. */
  apiUrl: string;
  /** The OIDC issuer; null on a server without one (the dashboard then asks for an API key). */
  oidc: {
    authority: string;
    clientId: string;
    scope: string;
    /**
     * Base URL of the sign-in pages (Cognito's hosted domain, which is not the issuer): sign-out goes to
     * its `/logout`. Null when not given; signing out then only forgets the tokens.
     */
    domain: string | null;
  } | null;
}

export class ConfigError extends Error {}

export function parseConfig(raw: unknown): RuntimeConfig {
  const o = (raw ?? {}) as Record<string, unknown>;
  const apiUrl = typeof o.apiUrl === 'string' ? o.apiUrl.trim().replace(/\/+$/, '') : '';
  if (o.oidc === null || o.oidc === undefined) return { apiUrl, oidc: null };
  const oidc = o.oidc as Record<string, unknown>;
  const need = (v: unknown, name: string): string => {
    if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(`config.json: "${name}" is missing`);
    return v.trim();
  };
  return {
    apiUrl,
    oidc: {
      authority: need(oidc.authority, 'oidc.authority'),
      clientId: need(oidc.clientId, 'oidc.clientId'),
      scope: typeof oidc.scope === 'string' && oidc.scope.trim() ? oidc.scope.trim() : 'openid',
      domain: typeof oidc.domain === 'string' && oidc.domain.trim() ? oidc.domain.trim().replace(/\/+$/, '') : null,
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
