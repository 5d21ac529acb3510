/**
 * GCP goldens checked against the documentation, not only against themselves: for every golden, the
 * fields a handler relies on are recomputed from its fixture by rules written from Google's
 * documentation (cited per rule) and compared with the golden. It does not import the adapter, and a
 * golden whose fixture family has no rule fails, so regenerating (UPDATE_GOLDEN=1) cannot bless a
 * wrong mapping.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

type Json = Record<string, any>;
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = resolve(here, '../../../../test/fixtures');
const load = (p: string) => JSON.parse(readFileSync(join(fixtures, p), 'utf8')) as Json;

/**
 * 1st-gen event types → CloudEvent types: "Cloud Storage triggers" and "Google Cloud Firestore
 * triggers" (https://cloud.google.com/functions/1stgendocs/calling/storage,
 * https://cloud.google.com/functions/1stgendocs/calling/cloud-firestore), Pub/Sub
 * (https://cloud.google.com/functions/1stgendocs/calling/pubsub), and the Eventarc event types
 * (https://cloud.google.com/eventarc/docs/reference/supported-events).
 */
const LEGACY_TYPES: Record<string, string> = {
  'google.pubsub.topic.publish': 'google.cloud.pubsub.topic.v1.messagePublished',
  'providers/cloud.pubsub/eventTypes/topic.publish': 'google.cloud.pubsub.topic.v1.messagePublished',
  'google.storage.object.finalize': 'google.cloud.storage.object.v1.finalized',
  'google.storage.object.delete': 'google.cloud.storage.object.v1.deleted',
  'google.storage.object.archive': 'google.cloud.storage.object.v1.archived',
  'google.storage.object.metadataUpdate': 'google.cloud.storage.object.v1.metadataUpdated',
  'providers/cloud.firestore/eventTypes/document.write': 'google.cloud.firestore.document.v1.written',
  'providers/cloud.firestore/eventTypes/document.create': 'google.cloud.firestore.document.v1.created',
  'providers/cloud.firestore/eventTypes/document.update': 'google.cloud.firestore.document.v1.updated',
  'providers/cloud.firestore/eventTypes/document.delete': 'google.cloud.firestore.document.v1.deleted',
  'providers/firebase.auth/eventTypes/user.create': 'google.firebase.auth.user.v1.created',
  'providers/google.firebase.database/eventTypes/ref.write': 'google.firebase.database.ref.v1.written',
};

/** Cloud Storage CloudEvent types → neutral storage types (finalized is a new or overwritten object). */
const STORAGE_TYPES: Record<string, string> = {
  'google.cloud.storage.object.v1.finalized': 'created',
  'google.cloud.storage.object.v1.deleted': 'deleted',
  'google.cloud.storage.object.v1.archived': 'archived',
  'google.cloud.storage.object.v1.metadataUpdated': 'metadataUpdated',
};

/** The binary-mode cases send these types with the data files (the inputs of golden.test.ts). */
const BINARY_STORAGE_TYPES: Record<string, string> = {
  'gcp/storage-object/data-simple.json': 'google.cloud.storage.object.v1.finalized',
  'gcp/storage-object/data-complex.json': 'google.cloud.storage.object.v1.deleted',
};

/** The CloudEvent type and data a fixture stands for, from its delivery mode. */
function delivered(golden: Json): { type?: string; data: Json; ce?: Json; legacy?: Json } {
  const f = load(golden.fixture);
  if (golden.mode === 'structured') return { type: f.type, data: f.data, ce: f };
  if (golden.mode === 'binary') return { type: BINARY_STORAGE_TYPES[golden.fixture], data: f };
  const context = f.context ?? f;
  const type = LEGACY_TYPES[context.eventType];
  // A legacy Pub/Sub event's data is the message itself; the CloudEvent wraps it in {message}.
  const data = type?.includes('pubsub') ? { message: { ...f.data, messageId: f.data.messageId ?? context.eventId, publishTime: f.data.publishTime ?? context.timestamp } } : f.data;
  return { type, data, legacy: context };
}

const RULES: Record<string, (golden: Json) => Json> = {
  // Pub/Sub message → neutral message: PubsubMessage (https://cloud.google.com/pubsub/docs/reference/rest/v1/PubsubMessage):
  // messageId, data (base64), attributes, publishTime.
  goldenQueue: (g) => {
    const { message } = delivered(g).data;
    return {
      id: message.messageId,
      bodyBase64: message.data ?? '',
      attributes: message.attributes ?? {},
      enqueuedAt: new Date(message.publishTime).toISOString(),
    };
  },
  // Storage object → neutral storage event: the object resource (https://cloud.google.com/storage/docs/json_api/v1/objects#resource):
  // bucket, name (the key, not encoded), size as a decimal string.
  goldenStorage: (g) => {
    const { type, data } = delivered(g);
    return {
      type: STORAGE_TYPES[type!],
      bucket: data.bucket,
      key: data.name,
      ...(data.size !== undefined ? { size: Number(data.size) } : {}),
    };
  },
  // Cloud Scheduler through Eventarc: the job's name is the schedule's (binary-mode case only).
  goldenSchedule: () => ({ name: 'golden-schedule' }),
  // Any other event: the CloudEvent itself (CloudEvents 1.0 spec, https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md):
  // id, type, source, subject and time as sent; legacy events by the type table and their context.
  goldenEvent: (g) => {
    const { type, data, ce, legacy } = delivered(g);
    if (ce) {
      const out: Json = { id: ce.id, type: ce.type, source: ce.source };
      if (ce.subject !== undefined && ce.subject !== null) out.subject = ce.subject;
      return out;
    }
    if (legacy) return { id: legacy.eventId, type, time: legacy.timestamp, data: authRenames(type!, data) };
    return { data };
  },
};

/**
 * Firebase Auth's background format names user metadata `createdAt` / `lastSignedInAt`; its CloudEvent
 * data (AuthEventData, https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/firebase/auth/v1/data.proto)
 * names them `createTime` / `lastSignInTime`.
 */
function authRenames(type: string, data: Json): Json {
  if (!type.startsWith('google.firebase.auth.') || !data?.metadata) return data;
  const { createdAt, lastSignedInAt, ...rest } = data.metadata;
  return { ...data, metadata: { ...rest, createTime: createdAt, lastSignInTime: lastSignedInAt } };
}

const goldens = readdirSync(here, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('every GCP golden agrees with the documented mapping of its fixture', () => {
  it('covers every golden', () => {
    expect(goldens.length).toBeGreaterThan(45);
  });

  for (const file of goldens) {
    it(file, () => {
      const golden = JSON.parse(readFileSync(join(here, file), 'utf8')) as Json;
      expect(golden.fixture, 'the golden names its fixture').toBe(file);
      const rule = RULES[golden.function];
      expect(rule, `no documented rule for ${golden.function}`).toBeDefined();
      if (golden.status !== 204) {
        // Refused input is a 4xx, never a 5xx: the sdk-java negative cases, and CloudEvents 0.3, which
        // Eventarc never sends (it delivers CloudEvents 1.0: https://cloud.google.com/eventarc/docs/cloudevents).
        expect(golden.status).toBeGreaterThanOrEqual(400);
        expect(golden.status).toBeLessThan(500);
        const fixture = load(golden.fixture);
        expect(file.includes('invalid') || fixture.specversion !== '1.0', `${file} refused without reason`).toBe(true);
        return;
      }
      const expected = rule!(golden);
      const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, golden.event[k]]));
      expect(actual).toEqual(expected);
    });
  }
});
