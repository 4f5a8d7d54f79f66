/**
 * The version of every DevTime client: the core and each adapter are released together, and each sends
 * it in its user agent. The manifests that cannot import it (each package.json, the Claude Code plugin's
 * plugin.json, the Zed extension's extension.toml and Cargo.toml) carry the same string; core's
 * version test holds them to it.
 */
export const CLIENT_VERSION = '0.1.0';
