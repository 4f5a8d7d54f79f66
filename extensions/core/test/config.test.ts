import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig, normalizeEndpoint } from '../src/index.js';
import { tempDir } from './temp.js';

function home(): string {
  return tempDir('devtime-cfg-');
}

// The documented config.toml (extensions/README.md shows it with a comment on each line).
const DOCUMENTED_TOML = `
[api]
endpoint = "https://api.devtime.dev"  # or self-hosted URL
key = "dt_xxxxxxxxxxxxxxxxxxxx"

[privacy]
anonymize_file_paths = false
exclude_projects = ["secret-work"]
exclude_file_patterns = ["*.env", "*.secret"]

[tracking]
idle_timeout_minutes = 15
heartbeat_interval_seconds = 120
`;

test('reads the documented config.toml', () => {
  const h = home();
  mkdirSync(join(h, '.devtime'));
  writeFileSync(join(h, '.devtime', 'config.toml'), DOCUMENTED_TOML);
  const cfg = loadConfig({ homeDir: h, env: {} });
  assert.equal(cfg.endpoint, 'https://api.devtime.dev');
  assert.equal(cfg.apiKey, 'dt_xxxxxxxxxxxxxxxxxxxx');
  assert.deepEqual(cfg.privacy.excludeProjects, ['secret-work']);
  assert.deepEqual(cfg.privacy.excludeFilePatterns, ['*.env', '*.secret']);
  assert.equal(cfg.privacy.anonymizeFilePaths, false);
  assert.equal(cfg.privacy.defaultDenylist, true);
  assert.equal(cfg.tracking.idleTimeoutMinutes, 15);
  assert.equal(cfg.tracking.heartbeatIntervalSeconds, 120);
  assert.equal(cfg.queue.maxSize, 1000);
  assert.equal(cfg.queue.dir, join(h, '.devtime', 'queue'));
  assert.deepEqual(cfg.sources, { endpoint: 'config.toml', apiKey: 'config.toml' });
  assert.deepEqual(cfg.warnings, []);
});

test('environment wins over config.toml, which wins over ~/.wakatime.cfg', () => {
  const h = home();
  mkdirSync(join(h, '.devtime'));
  writeFileSync(join(h, '.devtime', 'config.toml'), '[api]\nkey = "from-toml"\n[queue]\nmax_size = 50\n');
  writeFileSync(
    join(h, '.wakatime.cfg'),
    '[settings]\napi_url = https://devtime.example.com/api/v1\napi_key = waka_6f1c3d2e-0b7a-4c5e-9f8d-1a2b3c4d5e6f\n',
  );
  const cfg = loadConfig({
    homeDir: h,
    env: { DEVTIME_IDLE_TIMEOUT_MINUTES: '5', DEVTIME_ANONYMIZE_FILE_PATHS: 'true' },
  });
  assert.equal(cfg.apiKey, 'from-toml');
  assert.equal(
    cfg.endpoint,
    'https://devtime.example.com',
    'wakatime api_url fills the missing endpoint, /api/v1 stripped',
  );
  assert.deepEqual(cfg.sources, { endpoint: 'wakatime.cfg', apiKey: 'config.toml' });
  assert.equal(cfg.tracking.idleTimeoutMinutes, 5);
  assert.equal(cfg.privacy.anonymizeFilePaths, true);
  assert.equal(cfg.queue.maxSize, 50);

  const env = loadConfig({ homeDir: h, env: { DEVTIME_API_KEY: 'from-env', DEVTIME_API_URL: 'http://127.0.0.1:9/' } });
  assert.equal(env.apiKey, 'from-env');
  assert.equal(env.endpoint, 'http://127.0.0.1:9');
  const over = loadConfig({
    homeDir: h,
    env: { DEVTIME_API_KEY: 'from-env' },
    overrides: { apiKey: 'from-secret-storage' },
  });
  assert.equal(over.apiKey, 'from-secret-storage');
  assert.equal(over.sources.apiKey, 'override');
});

test('WAKATIME_HOME and DEVTIME_HOME move the files', () => {
  const h = home();
  const waka = join(h, 'waka');
  mkdirSync(waka);
  writeFileSync(join(waka, '.wakatime.cfg'), '[settings]\napi_key = k1\n');
  const cfg = loadConfig({ homeDir: join(h, 'nowhere'), env: { WAKATIME_HOME: waka, DEVTIME_HOME: join(h, 'dt') } });
  assert.equal(cfg.apiKey, 'k1');
  assert.equal(cfg.queue.dir, join(h, 'dt', 'queue'));
});

test('a broken config.toml is reported, not fatal', () => {
  const h = home();
  mkdirSync(join(h, '.devtime'));
  writeFileSync(join(h, '.devtime', 'config.toml'), '[api\nendpoint = 1');
  const cfg = loadConfig({ homeDir: h, env: {} });
  assert.equal(cfg.endpoint, 'http://127.0.0.1:8080');
  assert.equal(cfg.warnings.length, 1);
  assert.match(cfg.warnings[0]!, /config\.toml/);
});

test('normalizeEndpoint accepts WakaTime-style api_url values', () => {
  assert.equal(normalizeEndpoint('https://x.dev/api/v1/'), 'https://x.dev');
  assert.equal(normalizeEndpoint('https://x.dev/api/compat/wakatime/v1'), 'https://x.dev');
  assert.equal(normalizeEndpoint('https://x.dev/prefix'), 'https://x.dev/prefix');
});

test('heartbeat_rate_limit_seconds: 120 by default, 0 allowed, read like the other keys', () => {
  const h = home();
  assert.equal(loadConfig({ homeDir: h, env: {} }).tracking.heartbeatRateLimitSeconds, 120);
  writeFileSync(join(h, '.wakatime.cfg'), '[settings]\nheartbeat_rate_limit_seconds = 30\n');
  assert.equal(loadConfig({ homeDir: h, env: {} }).tracking.heartbeatRateLimitSeconds, 30, 'from wakatime.cfg');
  mkdirSync(join(h, '.devtime'));
  writeFileSync(join(h, '.devtime', 'config.toml'), '[tracking]\nheartbeat_rate_limit_seconds = 0\n');
  assert.equal(
    loadConfig({ homeDir: h, env: {} }).tracking.heartbeatRateLimitSeconds,
    0,
    'config.toml wins; 0 is kept',
  );
  const env = { DEVTIME_HEARTBEAT_RATE_LIMIT_SECONDS: '60' };
  assert.equal(loadConfig({ homeDir: h, env }).tracking.heartbeatRateLimitSeconds, 60, 'the environment wins');
  const over = loadConfig({ homeDir: h, env, overrides: { tracking: { heartbeatRateLimitSeconds: 5 } } });
  assert.equal(over.tracking.heartbeatRateLimitSeconds, 5, 'an editor setting wins');
  const bad = loadConfig({ homeDir: h, env: { DEVTIME_HEARTBEAT_RATE_LIMIT_SECONDS: '-1' } });
  assert.equal(bad.tracking.heartbeatRateLimitSeconds, 120, 'a negative value falls back to the default');
});
