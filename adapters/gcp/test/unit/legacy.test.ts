/**
 * 1st-gen background events. Registered with http(), our entry converts them itself; this checks
 * the conversion against the conformance pairs and against the framework's own conversion (a
 * cloudEvent() function served by the same framework receives what the framework makes of them).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import functions from '@google-cloud/functions-framework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromLegacyEvent } from '../../src/index.ts';
import { type Served, serveFunction } from '../support/framework-server.ts';

const fixtures = resolve(fileURLToPath(import.meta.url), '../../../../../test/fixtures');
const load = (p: string) => JSON.parse(readFileSync(resolve(fixtures, p), 'utf8')) as Record<string, unknown>;

const PAIRS: [legacy: string, cloudevent: string][] = [
  [
    'gcp/pubsub-message-published/conformance-legacy-gcf-input.json',
    'gcp/pubsub-message-published/conformance-legacy-gcf-expected-cloudevent.json',
  ],
  [
    'gcp/storage-object/conformance-finalize-legacy.json',
    'gcp/storage-object/conformance-finalize-cloudevent.json',
  ],
  [
    'gcp/firestore-document/conformance-simple-legacy.json',
    'gcp/firestore-document/conformance-simple-cloudevent.json',
  ],
  ['gcp/firebase-auth/conformance-legacy.json', 'gcp/firebase-auth/conformance-cloudevent.json'],
  [
    'gcp/firebase-database/conformance-db1-legacy.json',
    'gcp/firebase-database/conformance-db1-cloudevent.json',
  ],
];

describe('legacy → CloudEvent conversion', () => {
  it.each(PAIRS)('%s converts to %s', (legacy, cloudevent) => {
    expect(fromLegacyEvent(load(legacy))).toEqual(load(cloudevent));
  });

  it('pubsub text legacy (context/resource object form) converts like its CloudEvent, minus the subscription Eventarc adds', () => {
    const ours = fromLegacyEvent(load('gcp/pubsub-message-published/conformance-text-legacy.json'));
    const theirs = load('gcp/pubsub-message-published/conformance-text-cloudevent.json');
    const { subscription: _s, ...data } = theirs.data as Record<string, unknown>;
    expect(ours).toEqual({ ...theirs, data });
  });

  it('names what is wrong in a background event it cannot convert', () => {
    expect(() =>
      fromLegacyEvent({ eventId: '1', eventType: 'providers/unknown/x', resource: 'r', data: {} }),
    ).toThrow(/eventType: unknown 1st-gen event type/);
    expect(() =>
      fromLegacyEvent({
        eventType: 'google.storage.object.finalize',
        resource: 'projects/_/buckets/b/objects/o',
        data: {},
      }),
    ).toThrow(/eventId: a 1st-gen event needs an eventId/);
    expect(() =>
      fromLegacyEvent({
        eventId: '1',
        eventType: 'google.storage.object.finalize',
        resource: 'nonsense',
        data: {},
      }),
    ).toThrow(/resource: resource "nonsense"/);
  });

  it('reads an event type or a service named after an Object.prototype member as unknown, not as that member', () => {
    // Found by the fuzzer: `resource.service: "toString"` reached `RESOURCE_SPLIT.toString.exec` (a 500).
    for (const eventType of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      expect(() => fromLegacyEvent({ eventId: '1', eventType, resource: 'r', data: {} })).toThrow(
        /eventType: unknown 1st-gen event type/,
      );
    const legacy = load('gcp/pubsub-message-published/conformance-text-legacy.json');
    const context = legacy.context as { resource: { service: string } };
    for (const service of ['toString', 'valueOf', 'constructor']) {
      context.resource.service = service;
      expect(fromLegacyEvent(structuredClone(legacy)).type).toBe(
        'google.cloud.pubsub.topic.v1.messagePublished',
      );
    }
  });

  it('a 1st-gen object.change for a deleted object becomes deleted, not finalized', () => {
    const ev = fromLegacyEvent({
      eventId: '1',
      eventType: 'providers/cloud.storage/eventTypes/object.change',
      resource: 'projects/_/buckets/b/objects/o',
      data: { bucket: 'b', name: 'o', resourceState: 'not_exists' },
    });
    expect(ev.type).toBe('google.cloud.storage.object.v1.deleted');
  });
});

describe('agrees with the framework’s own conversion', () => {
  let seen: unknown;
  let served: Served;
  beforeAll(async () => {
    functions.cloudEvent('frameworkLegacy', (ce: unknown) => {
      seen = JSON.parse(JSON.stringify(ce));
    });
    served = await serveFunction('frameworkLegacy');
  });
  afterAll(() => served.close());

  it.each(PAIRS.map(([legacy]) => legacy))('%s', async (legacy) => {
    seen = undefined;
    const res = await fetch(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: readFileSync(resolve(fixtures, legacy)),
    });
    expect(res.status).toBe(204);
    expect(fromLegacyEvent(load(legacy))).toEqual(seen);
  });
});

/**
 * Written from the documentation, independent of the goldens: the 1st-gen event types of Cloud
 * Storage ("Cloud Storage triggers", https://cloud.google.com/functions/1stgendocs/calling/storage)
 * and Firestore ("Google Cloud Firestore triggers",
 * https://cloud.google.com/functions/1stgendocs/calling/cloud-firestore) and the CloudEvent type each
 * one is delivered as in 2nd gen (Eventarc event types, https://cloud.google.com/eventarc/docs/reference/supported-events).
 */
describe('documented 1st-gen → CloudEvent types (fixtures written from the docs)', () => {
  it.each([
    [
      'gcp/storage-object/docs-archive-legacy.json',
      'google.cloud.storage.object.v1.archived',
      'objects/logs/2025/app.log',
    ],
    [
      'gcp/storage-object/docs-metadata-update-legacy.json',
      'google.cloud.storage.object.v1.metadataUpdated',
      'objects/images/cat.png',
    ],
    [
      'gcp/firestore-document/docs-create-legacy.json',
      'google.cloud.firestore.document.v1.created',
      'documents/users/alice',
    ],
    [
      'gcp/firestore-document/docs-update-legacy.json',
      'google.cloud.firestore.document.v1.updated',
      'documents/users/alice',
    ],
    [
      'gcp/firestore-document/docs-delete-legacy.json',
      'google.cloud.firestore.document.v1.deleted',
      'documents/users/alice',
    ],
  ])('%s → %s', (file, type, subject) => {
    const legacy = load(file);
    const ev = fromLegacyEvent(legacy);
    expect(ev.type).toBe(type);
    expect(ev.subject).toBe(subject);
    const context = (legacy.context ?? legacy) as Record<string, unknown>;
    expect(ev.id).toBe(context.eventId);
    expect(ev.time).toBe(context.timestamp);
    expect(ev.data).toEqual(legacy.data);
  });
});
