/**
 * Azure goldens checked against the documentation, not only against themselves: for every golden, the
 * fields a handler relies on are recomputed from its fixture by rules written from Microsoft's
 * documentation (cited per rule), without importing the adapter. Regenerating (UPDATE_GOLDEN=1) cannot
 * bless a wrong mapping.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

type Json = Record<string, any>;
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = resolve(here, '../../../../test/fixtures/azure');

/**
 * Event Grid schema → CloudEvent attributes (https://learn.microsoft.com/azure/event-grid/event-schema):
 * id, eventType → type, topic → source, subject, eventTime → time, data. An event already in the
 * CloudEvents schema (https://learn.microsoft.com/azure/event-grid/cloud-event-schema) keeps its
 * attributes. A custom-schema event (none of the above) is refused.
 */
function expectedCloudEvent(ev: Json): Json | 'refused' {
  if (ev.specversion === '1.0') return { id: ev.id, type: ev.type, source: ev.source };
  if (typeof ev.eventType !== 'string' || typeof ev.id !== 'string') return 'refused';
  const out: Json = { id: ev.id, type: ev.eventType, source: ev.topic ?? '' };
  if (ev.subject) out.subject = ev.subject;
  out.time = ev.eventTime;
  // data is optional in both schemas: absent stays absent.
  if (ev.data !== undefined) out.data = ev.data;
  return out;
}

/**
 * Blob Storage events (https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage): subject
 * `/blobServices/default/containers/<container>/blobs/<blob path>`; BlobCreated → created (data.contentLength
 * is the size), BlobDeleted → deleted.
 */
function expectedStorage(ev: Json): Json | undefined {
  const type = ev.eventType ?? ev.type;
  if (!String(type).startsWith('Microsoft.Storage.Blob')) return undefined;
  const m = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/.exec(ev.subject);
  const neutral = type === 'Microsoft.Storage.BlobCreated' ? 'created' : type === 'Microsoft.Storage.BlobDeleted' ? 'deleted' : undefined;
  return {
    id: ev.id,
    type: neutral,
    bucket: m![1],
    key: m![2],
    ...(neutral === 'created' ? { size: ev.data.contentLength } : {}),
  };
}

const pick = (o: Json | null | undefined, keys: string[]) =>
  Object.fromEntries(keys.map((k) => [k, o?.[k] === undefined ? undefined : o[k]]));

const goldens = readdirSync(here, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('every Azure golden agrees with the documented Event Grid mapping of its fixture', () => {
  it('covers every golden', () => expect(goldens.length).toBe(15));

  for (const file of goldens) {
    it(file, () => {
      const payload = JSON.parse(readFileSync(join(fixtures, file), 'utf8'));
      const events: Json[] = Array.isArray(payload) ? payload : [payload];
      const golden = JSON.parse(readFileSync(join(here, file), 'utf8')) as Json[];
      expect(golden).toHaveLength(events.length);
      events.forEach((ev, i) => {
        const want = expectedCloudEvent(ev);
        if (want === 'refused') {
          expect(golden[i]!.error, `${file}[${i}] must be refused`).toEqual(expect.any(String));
          return;
        }
        const got = golden[i]!.cloudEvent as Json;
        const keys = Object.keys(want).filter((k) => !(k === 'data' && ev.data_base64 !== undefined));
        const actual = pick(got, keys);
        if ('time' in want) actual.time = got.time === undefined ? undefined : new Date(got.time).getTime();
        const wanted = { ...pick(want, keys) };
        if ('time' in want) wanted.time = new Date(want.time).getTime();
        expect(actual).toEqual(wanted);
        const storage = expectedStorage(ev);
        if (storage) expect(pick(golden[i]!.storageEvent, Object.keys(storage))).toEqual(storage);
      });
    });
  }
});
