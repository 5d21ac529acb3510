/**
 * Every Azure payload under test/fixtures/azure decodes to the reviewed neutral event checked in
 * under golden/. Event Grid delivers arrays over webhooks and one event per trigger invocation: each
 * element is decoded on its own. `UPDATE_GOLDEN=1` rewrites them (then review the diff by hand).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goldenUpdateRequested } from '@polycloud/testing';
import { describe, expect, test } from 'vitest';

// Refuses to run in CI: regenerating is a reviewed, local step.
const UPDATE = goldenUpdateRequested('UPDATE_GOLDEN');

import { cloudEventFromEventGrid, storageEventFromEventGrid } from '../../src/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const fixtures = resolve(repoRoot, 'test/fixtures/azure');
const goldenDir = here;

function decode(event: unknown, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  try {
    const ce = cloudEventFromEventGrid(event, where);
    out.cloudEvent =
      ce.data instanceof Uint8Array
        ? { ...ce, data: { base64: Buffer.from(ce.data).toString('base64') } }
        : ce;
  } catch (error) {
    out.error = (error as Error).message;
    return out;
  }
  const type = String((out.cloudEvent as { type: string }).type);
  if (type.startsWith('Microsoft.Storage.')) {
    const storage = storageEventFromEventGrid(event, where);
    out.storageEvent = storage ? { ...storage, raw: undefined, time: storage.time?.toISOString() } : null;
  }
  return out;
}

const files = readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('azure goldens', () => {
  test('every fixture has a golden', () => {
    expect(files.length).toBe(15);
  });
  for (const file of files) {
    test(file, () => {
      const payload = JSON.parse(readFileSync(join(fixtures, file), 'utf8'));
      const decoded = Array.isArray(payload)
        ? payload.map((ev, i) => decode(ev, `event[${i}]`))
        : [decode(payload, 'event')];
      const actual = JSON.parse(JSON.stringify(decoded));
      const golden = join(goldenDir, file);
      if (UPDATE) {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, `${JSON.stringify(actual, null, 2)}\n`);
      }
      expect(existsSync(golden), `${golden} is missing (UPDATE_GOLDEN=1, then review)`).toBe(true);
      expect(actual).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
    });
  }
});
