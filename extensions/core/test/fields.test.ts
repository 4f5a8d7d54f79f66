import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OPTIONAL_FIELDS } from '../src/index.js';

/** The server's heartbeat field table, as shared-model writes it for the clients (HeartbeatFieldTest checks it). */
const TABLE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  'shared-model',
  'src',
  'main',
  'resources',
  'dev',
  'devtime',
  'model',
  'wire',
  'heartbeat-fields.json',
);

test('the client passes through exactly the fields the server table marks passedThrough', () => {
  const fields = JSON.parse(readFileSync(TABLE, 'utf8')) as { name: string; passedThrough: boolean }[];
  const table = fields
    .filter((f) => f.passedThrough)
    .map((f) => f.name)
    .sort();
  assert.deepEqual([...OPTIONAL_FIELDS].sort(), table);
});
