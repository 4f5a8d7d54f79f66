import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PrivacyConfig } from '../src/index.js';
import { createPrivacyFilter, hashPath, normalizePath } from '../src/index.js';

const defaults: PrivacyConfig = {
  anonymizeFilePaths: false,
  anonymizeProjectNames: false,
  excludeProjects: [],
  excludeFilePatterns: [],
  defaultDenylist: true,
};
const ROOT = '/home/john/app';

// Every kind of sensitive file the denylist names, as a path inside a project.
const SENSITIVE = [
  '.env',
  '.env.local',
  '.env.production',
  'config/.env.test',
  'deploy/prod.env',
  'secrets.json',
  'credentials.json',
  'config/secrets.yaml',
  'credentials',
  'server.key',
  'certs/site.pem',
  'tls/site.crt',
  'a.p12',
  'b.pfx',
  'release.jks',
  'id_ed25519',
  '.htpasswd',
  'passwords.txt',
  'secrets.txt',
  'data/app.db',
  'x.sqlite',
  'x.sqlite3',
  'debug.log',
  'error.log',
  'server/out.log',
  'scratch.tmp',
  'x.temp',
  'build.cache',
  'notes.bak',
  'db.backup',
  'main.old',
  'main.ts~',
  'secrets/x.ts',
  'private/notes.md',
  'confidential/plan.md',
  'secure/a.ts',
  'keys/dev.txt',
  'certificates/ca.txt',
  'src/auth/token.ts',
  'credentials/aws.txt',
  'passwords/list.md',
  'tokens/t.json',
  'api-keys/stripe.md',
  'backup/dump.sql',
  'logs/today.txt',
  'temp/a.ts',
  'tmp/a.ts',
  'cache/x.json',
  // case does not help
  '.ENV',
  'Secrets/Plan.md',
  'SERVER.KEY',
];
const ORDINARY = [
  'src/app.ts',
  'README.md',
  'src/config.ts',
  'environment.ts',
  'src/keyboard.ts',
  'tokenizer.py',
  'src/logger.ts',
  'src/catalog.tsx',
  'src/backup-service.ts',
  'docs/authentication.md',
  'package.json',
  'src/db.ts',
  'src/temporal.ts',
  'old/readme.md',
];

test('the default denylist excludes every sensitive example and no ordinary file', () => {
  const f = createPrivacyFilter(defaults);
  for (const rel of SENSITIVE) assert.equal(f.excludedReason(`${ROOT}/${rel}`, 'app', ROOT), 'denylist', rel);
  for (const rel of ORDINARY) assert.equal(f.excludedReason(`${ROOT}/${rel}`, 'app', ROOT), undefined, rel);
});

test('sensitive directories are judged inside the project, not by the folders above it', () => {
  const f = createPrivacyFilter(defaults);
  // macOS puts temp and some homes under /private; a project can live under ~/tmp.
  assert.equal(f.excludedReason('/private/var/work/app/src/a.ts', 'app', '/private/var/work/app'), undefined);
  assert.equal(f.excludedReason('/home/john/tmp/app/src/a.ts', 'app', '/home/john/tmp/app'), undefined);
  // Without a known project root, the whole path is all we have.
  assert.equal(f.excludedReason('/home/john/tmp/a.ts'), 'denylist');
  // Windows paths from an editor on Windows.
  assert.equal(f.excludedReason('C:\\Users\\John\\app\\.env'), 'denylist');
  assert.equal(f.excludedReason('C:\\Users\\John\\app\\src\\main.ts'), undefined);
});

test('the denylist can be turned off; user globs and excluded projects still apply', () => {
  const f = createPrivacyFilter({
    ...defaults,
    defaultDenylist: false,
    excludeFilePatterns: ['*.secret', '**/generated/**', '/home/john/app/vendor/**'],
    excludeProjects: ['secret-work', 'client-*'],
  });
  assert.equal(f.excludedReason(`${ROOT}/.env`, 'app', ROOT), undefined);
  assert.equal(
    f.excludedReason(`${ROOT}/conf/db.secret`, 'app', ROOT),
    'pattern',
    'a slash-free glob matches at any depth',
  );
  assert.equal(f.excludedReason(`${ROOT}/src/generated/api.ts`, 'app', ROOT), 'pattern');
  assert.equal(f.excludedReason(`${ROOT}/vendor/lib.js`, 'app', ROOT), 'pattern', 'absolute globs');
  assert.equal(f.excludedReason(`${ROOT}/src/a.ts`, 'app', ROOT), undefined);
  assert.equal(f.excludedReason('/w/secret-work/a.ts', 'secret-work', '/w/secret-work'), 'project');
  assert.equal(f.excludedReason('/w/client-acme/a.ts', 'client-acme', '/w/client-acme'), 'project');
  assert.equal(f.excludedReason(undefined, 'Secret-Work'), 'project', 'project names ignore case');
});

test('hashing: sha256: and the SHA-256 of the normalized path, same file same hash', () => {
  // Expected values from `echo -n <path> | sha256sum`.
  assert.equal(
    hashPath('/home/john/project/src/app.ts'),
    'sha256:fa19a4be77372290c0c8e8f699c0ead621b75b30220a546d69e6738d22334f22',
  );
  assert.equal(hashPath('/home/john/project/lib/../src/./app.ts'), hashPath('/home/john/project/src/app.ts'));
  assert.equal(
    normalizePath('C:\\Users\\John\\Documents\\MyProject\\src\\components\\Button.tsx'),
    'c:/Users/John/Documents/MyProject/src/components/Button.tsx',
  );
  assert.equal(
    hashPath('C:\\Users\\John\\Documents\\MyProject\\src\\components\\Button.tsx'),
    'sha256:b23a8042282201b5c2cfcda981faffb6d3bcb471003e162362bf3d03b7d5e330',
  );
  assert.match(hashPath('/x'), /^sha256:[0-9a-f]{64}$/);
});

test('the filter hashes entities and project names only when asked', () => {
  const plain = createPrivacyFilter(defaults);
  assert.equal(plain.entity('/home/john/project/src/app.ts'), '/home/john/project/src/app.ts');
  assert.equal(plain.projectName('secret-work'), 'secret-work');
  const hashed = createPrivacyFilter({ ...defaults, anonymizeFilePaths: true, anonymizeProjectNames: true });
  assert.equal(
    hashed.entity('/home/john/project/src/app.ts'),
    'sha256:fa19a4be77372290c0c8e8f699c0ead621b75b30220a546d69e6738d22334f22',
  );
  assert.equal(hashed.projectName('secret-work'), '9a39e37428ae3f8b6e53c080c2f718d8814e33485f86d295d57b100cc311dd53');
  assert.equal(hashed.projectName(undefined), undefined);
});
