/**
 * Every 1st-gen (background) event type a function can still receive, converted the way the
 * functions framework converts it for cloudEvent functions (its `background_event_to_cloud_event`
 * middleware: type table, service by event-type prefix, resource split into source and subject,
 * Pub/Sub message nesting, Firebase Auth metadata names, Realtime Database location from `domain`).
 * legacy.test.ts checks the conformance pairs; this covers each type and each rule on its own.
 */
import { describe, expect, it } from 'vitest';
import { fromLegacyEvent, isLegacyEvent } from '../../src/index.ts';

const STORAGE_RESOURCE = 'projects/_/buckets/my-bucket/objects/folder/photo.jpg';
const FIRESTORE_RESOURCE = 'projects/my-project/databases/(default)/documents/users/u1';

// [1st-gen event type, CloudEvent type, resource, CloudEvent source, subject]
const TYPES: [string, string, string, string, string | undefined][] = [
  [
    'google.pubsub.topic.publish',
    'google.cloud.pubsub.topic.v1.messagePublished',
    'projects/my-project/topics/my-topic',
    '//pubsub.googleapis.com/projects/my-project/topics/my-topic',
    undefined,
  ],
  [
    'providers/cloud.pubsub/eventTypes/topic.publish',
    'google.cloud.pubsub.topic.v1.messagePublished',
    'projects/my-project/topics/my-topic',
    '//pubsub.googleapis.com/projects/my-project/topics/my-topic',
    undefined,
  ],
  ...(
    [
      ['google.storage.object.finalize', 'google.cloud.storage.object.v1.finalized'],
      ['google.storage.object.delete', 'google.cloud.storage.object.v1.deleted'],
      ['google.storage.object.archive', 'google.cloud.storage.object.v1.archived'],
      ['google.storage.object.metadataUpdate', 'google.cloud.storage.object.v1.metadataUpdated'],
      ['providers/cloud.storage/eventTypes/object.change', 'google.cloud.storage.object.v1.finalized'],
    ] as const
  ).map(
    ([legacy, type]) =>
      [
        legacy,
        type,
        STORAGE_RESOURCE,
        '//storage.googleapis.com/projects/_/buckets/my-bucket',
        'objects/folder/photo.jpg',
      ] as [string, string, string, string, string],
  ),
  ...(['write', 'create', 'update', 'delete'] as const).map(
    (verb) =>
      [
        `providers/cloud.firestore/eventTypes/document.${verb}`,
        `google.cloud.firestore.document.v1.${verb === 'write' ? 'written' : `${verb}d`}`,
        FIRESTORE_RESOURCE,
        '//firestore.googleapis.com/projects/my-project/databases/(default)',
        'documents/users/u1',
      ] as [string, string, string, string, string],
  ),
  [
    'providers/firebase.auth/eventTypes/user.create',
    'google.firebase.auth.user.v1.created',
    'projects/my-project',
    '//firebaseauth.googleapis.com/projects/my-project',
    undefined,
  ],
  [
    'providers/firebase.auth/eventTypes/user.delete',
    'google.firebase.auth.user.v1.deleted',
    'projects/my-project',
    '//firebaseauth.googleapis.com/projects/my-project',
    undefined,
  ],
  [
    'providers/google.firebase.analytics/eventTypes/event.log',
    'google.firebase.analytics.log.v1.written',
    'projects/my-project/events/purchase',
    '//firebase.googleapis.com/projects/my-project',
    'events/purchase',
  ],
  ...(['create', 'write', 'update', 'delete'] as const).map(
    (verb) =>
      [
        `providers/google.firebase.database/eventTypes/ref.${verb}`,
        `google.firebase.database.ref.v1.${verb === 'write' ? 'written' : `${verb}d`}`,
        'projects/_/instances/my-db/refs/messages/m1',
        '//firebasedatabase.googleapis.com/projects/_/locations/us-central1/instances/my-db',
        'refs/messages/m1',
      ] as [string, string, string, string, string],
  ),
];

describe('each 1st-gen event type becomes its CloudEvent', () => {
  it.each(TYPES)('%s → %s', (eventType, type, resource, source, subject) => {
    const data = { value: 1 };
    const ev = fromLegacyEvent({
      eventId: 'evt-1',
      timestamp: '2026-01-02T03:04:05.000Z',
      eventType,
      resource,
      data,
      domain: 'firebaseio.com',
    });
    expect(ev.specversion).toBe('1.0');
    expect(ev.id).toBe('evt-1');
    expect(ev.type).toBe(type);
    expect(ev.source).toBe(source);
    expect(ev.subject).toBe(subject);
    expect(ev.time).toBe('2026-01-02T03:04:05.000Z');
    expect(ev.datacontenttype).toBe('application/json');
    if (type.includes('pubsub'))
      expect(ev.data).toEqual({
        message: { value: 1, publishTime: '2026-01-02T03:04:05.000Z', messageId: 'evt-1' },
      });
    else expect(ev.data).toEqual(data);
    if (ev.subject === undefined) expect(Object.keys(ev)).not.toContain('subject');
  });

  it('the {context, data} form reads the same fields from context, with a resource object naming its service', () => {
    const ev = fromLegacyEvent({
      context: {
        eventId: 'evt-2',
        timestamp: '2026-01-02T03:04:05.000Z',
        eventType: 'google.pubsub.topic.publish',
        resource: {
          service: 'pubsub.googleapis.com',
          name: 'projects/my-project/topics/orders',
          type: 'type.googleapis.com/google.pubsub.v1.PubsubMessage',
        },
      },
      data: { data: 'aGk=', publishTime: '2026-01-01T00:00:00.000Z', messageId: 'own-id' },
    });
    expect(ev).toEqual({
      specversion: '1.0',
      id: 'evt-2',
      source: '//pubsub.googleapis.com/projects/my-project/topics/orders',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      datacontenttype: 'application/json',
      time: '2026-01-02T03:04:05.000Z',
      // A message's own publish time and id are kept; the context's fill them only when missing.
      data: { message: { data: 'aGk=', publishTime: '2026-01-01T00:00:00.000Z', messageId: 'own-id' } },
    });
  });

  it('a resource object without a usable service or name falls back to the event type', () => {
    const ev = fromLegacyEvent({
      eventId: 'e',
      eventType: 'google.storage.object.finalize',
      resource: { service: 7, name: STORAGE_RESOURCE },
      data: {},
    });
    expect(ev.source).toBe('//storage.googleapis.com/projects/_/buckets/my-bucket');
    const nameless = fromLegacyEvent({
      eventId: 'e',
      eventType: 'google.pubsub.topic.publish',
      resource: { service: 'pubsub.googleapis.com', name: 42 },
      data: {},
    });
    expect(nameless.source).toBe('//pubsub.googleapis.com/');
  });

  it('without a timestamp the CloudEvent has no time', () => {
    const ev = fromLegacyEvent({
      eventId: 'e',
      timestamp: 1700000000,
      eventType: 'google.storage.object.finalize',
      resource: STORAGE_RESOURCE,
      data: {},
    });
    expect(Object.keys(ev)).not.toContain('time');
  });
});

describe('per-service rules', () => {
  it('1st-gen object.change is "deleted" only for a not_exists resource state of that type', () => {
    const change = (data: unknown, eventType = 'providers/cloud.storage/eventTypes/object.change') =>
      fromLegacyEvent({ eventId: 'e', eventType, resource: STORAGE_RESOURCE, data }).type;
    expect(change({ resourceState: 'exists' })).toBe('google.cloud.storage.object.v1.finalized');
    expect(change({ resourceState: 'not_exists' })).toBe('google.cloud.storage.object.v1.deleted');
    expect(change('not_exists')).toBe('google.cloud.storage.object.v1.finalized');
    expect(change({ resourceState: 'not_exists' }, 'google.storage.object.finalize')).toBe(
      'google.cloud.storage.object.v1.finalized',
    );
  });

  it('Firebase Auth: metadata gets the CloudEvent names, the subject is the user', () => {
    const ev = fromLegacyEvent({
      eventId: 'e',
      eventType: 'providers/firebase.auth/eventTypes/user.create',
      resource: 'projects/my-project',
      data: {
        uid: 'u-9',
        email: 'a@example.com',
        metadata: { createdAt: '2026-01-01T00:00:00Z', lastSignedInAt: '2026-01-02T00:00:00Z', other: 1 },
      },
    });
    expect(ev.subject).toBe('users/u-9');
    expect(ev.data).toEqual({
      uid: 'u-9',
      email: 'a@example.com',
      metadata: { createTime: '2026-01-01T00:00:00Z', lastSignInTime: '2026-01-02T00:00:00Z', other: 1 },
    });
    const noMetadata = fromLegacyEvent({
      eventId: 'e',
      eventType: 'providers/firebase.auth/eventTypes/user.delete',
      resource: 'projects/my-project',
      data: { uid: 7, metadata: 'n/a' },
    });
    expect(noMetadata.subject).toBeUndefined();
    expect(noMetadata.data).toEqual({ uid: 7, metadata: 'n/a' });
  });

  it('Realtime Database: the location comes from the domain; another domain is refused', () => {
    const db = (domain: unknown) =>
      fromLegacyEvent({
        eventId: 'e',
        eventType: 'providers/google.firebase.database/eventTypes/ref.write',
        resource: 'projects/_/instances/my-db/refs/a/b',
        data: {},
        domain,
      });
    expect(db('europe-west1.firebasedatabase.app').source).toBe(
      '//firebasedatabase.googleapis.com/projects/_/locations/europe-west1/instances/my-db',
    );
    expect(db('firebaseio.com').source).toBe(
      '//firebasedatabase.googleapis.com/projects/_/locations/us-central1/instances/my-db',
    );
    for (const bad of [
      undefined,
      'evil.example',
      'x.firebasedatabase.app.evil.example',
      'a b.firebasedatabase.app',
      5,
    ])
      expect(() => db(bad)).toThrow('body.domain: a Realtime Database event needs its domain');
  });

  it('resources that do not name an object of their service are refused', () => {
    const bad: [string, string][] = [
      ['google.storage.object.finalize', 'projects/_/buckets/my-bucket'],
      ['google.storage.object.finalize', 'x/projects/_/buckets/b/objects/o'],
      ['providers/cloud.firestore/eventTypes/document.write', 'projects/p/databases/other/documents/d'],
      ['providers/google.firebase.analytics/eventTypes/event.log', 'projects/p/events/a/b'],
      ['providers/google.firebase.database/eventTypes/ref.write', 'projects/_/instances/db'],
    ];
    for (const [eventType, resource] of bad)
      expect(() =>
        fromLegacyEvent({ eventId: 'e', eventType, resource, data: {}, domain: 'firebaseio.com' }),
      ).toThrow(`body.resource: resource "${resource}" does not name a`);
  });
});

describe('resource and data edge cases', () => {
  it('the service a resource object names wins over the one the event type implies (as in the framework)', () => {
    const ev = fromLegacyEvent({
      eventId: 'e',
      eventType: 'google.pubsub.topic.publish',
      resource: { service: 'example.googleapis.com', name: 'projects/p/things/t' },
      data: {},
    });
    expect(ev.source).toBe('//example.googleapis.com/projects/p/things/t');
  });

  it('a resource that is neither text nor an object names nothing', () => {
    for (const resource of [null, 5])
      expect(
        fromLegacyEvent({ eventId: 'e', eventType: 'google.pubsub.topic.publish', resource, data: {} })
          .source,
      ).toBe('//pubsub.googleapis.com/');
    expect(() =>
      fromLegacyEvent({ eventId: 'e', eventType: 'google.storage.object.finalize', resource: 5, data: {} }),
    ).toThrow('body.resource: resource "" does not name a storage.googleapis.com object');
  });

  it('a resource with anything before or after the object path is refused, not cut down', () => {
    const bad: [string, string][] = [
      ['google.storage.object.finalize', 'projects/_/buckets/b/objects/o\nprojects/_/buckets/c'],
      ['providers/cloud.firestore/eventTypes/document.write', 'x/projects/p/databases/(default)/documents/d'],
      [
        'providers/cloud.firestore/eventTypes/document.write',
        'projects/p/databases/(default)/documents/d\nx',
      ],
      ['providers/google.firebase.analytics/eventTypes/event.log', 'x/projects/p/events/e'],
      ['providers/google.firebase.database/eventTypes/ref.write', 'x/projects/_/instances/db/refs/r'],
      ['providers/google.firebase.database/eventTypes/ref.write', 'projects/_/instances/db/refs/r\nx'],
    ];
    for (const [eventType, resource] of bad)
      expect(
        () => fromLegacyEvent({ eventId: 'e', eventType, resource, data: {}, domain: 'firebaseio.com' }),
        resource,
      ).toThrow('body.resource: resource');
  });

  it('project ids of any length are read (not only the `_` placeholder)', () => {
    expect(
      fromLegacyEvent({
        eventId: 'e',
        eventType: 'google.storage.object.finalize',
        resource: 'projects/my-project/buckets/b/objects/o',
        data: {},
      }).source,
    ).toBe('//storage.googleapis.com/projects/my-project/buckets/b');
    expect(
      fromLegacyEvent({
        eventId: 'e',
        eventType: 'providers/google.firebase.database/eventTypes/ref.write',
        resource: 'projects/my-project/instances/db/refs/r',
        data: {},
        domain: 'firebaseio.com',
      }).subject,
    ).toBe('refs/r');
  });

  it("Firebase Auth's renames apply to Auth events only: a storage object's own metadata and uid are the user's", () => {
    const data = { bucket: 'b', name: 'o', uid: 'u-1', metadata: { createdAt: 'x', lastSignedInAt: 'y' } };
    const ev = fromLegacyEvent({
      eventId: 'e',
      eventType: 'google.storage.object.finalize',
      resource: 'projects/_/buckets/b/objects/o',
      data,
    });
    expect(ev.data).toEqual(data);
    expect(ev.subject).toBe('objects/o');
  });

  it('a Realtime Database domain must be text', () => {
    expect(() =>
      fromLegacyEvent({
        eventId: 'e',
        eventType: 'providers/google.firebase.database/eventTypes/ref.write',
        resource: 'projects/_/instances/db/refs/r',
        data: {},
        domain: ['europe-west1.firebasedatabase.app'],
      }),
    ).toThrow('body.domain: a Realtime Database event needs its domain');
  });
});

describe('malformed background events are refused with the field named', () => {
  it('names the field under `context` in the {context, data} form and under the caller-given root', () => {
    expect(() =>
      fromLegacyEvent(
        {
          context: { eventId: '', eventType: 'google.storage.object.finalize', resource: STORAGE_RESOURCE },
          data: {},
        },
        'push',
      ),
    ).toThrow(/^push\.context\.eventId: a 1st-gen event needs an eventId$/);
    expect(() =>
      fromLegacyEvent({ context: { eventId: 'e', eventType: 'google.nope', resource: 'r' }, data: {} }),
    ).toThrow(/^body\.context\.eventType: unknown 1st-gen event type "google\.nope"$/);
    expect(() =>
      fromLegacyEvent({
        eventId: 3,
        eventType: 'google.storage.object.finalize',
        resource: STORAGE_RESOURCE,
        data: {},
      }),
    ).toThrow(/^body\.eventId: /);
  });

  it('a Pub/Sub event without a data object', () => {
    for (const data of [null, 'aGk=', ['x']])
      expect(() =>
        fromLegacyEvent({
          eventId: 'e',
          eventType: 'google.pubsub.topic.publish',
          resource: 'projects/p/topics/t',
          data,
        }),
      ).toThrow(/^body\.data: a Pub\/Sub event needs a data object$/);
  });
});

describe('isLegacyEvent: what the http entry treats as a background event', () => {
  it('needs data, a string eventType and a resource, flat or under context', () => {
    expect(isLegacyEvent({ eventId: 'e', eventType: 'x', resource: 'r', data: null })).toBe(true);
    expect(isLegacyEvent({ context: { eventType: 'x', resource: 'r' }, data: {} })).toBe(true);
    expect(isLegacyEvent({ eventType: 'x', resource: 'r' })).toBe(false);
    expect(isLegacyEvent({ eventType: 1, resource: 'r', data: {} })).toBe(false);
    expect(isLegacyEvent({ eventType: 'x', data: {} })).toBe(false);
    expect(isLegacyEvent({ context: { eventType: 'x' }, eventType: 'x', resource: 'r', data: {} })).toBe(
      false,
    );
    // A `context` that is not an object is an ordinary field: the flat form is read.
    expect(isLegacyEvent({ context: 'c', eventType: 'x', resource: 'r', data: {} })).toBe(true);
    expect(isLegacyEvent({ context: ['c'], eventType: 'x', resource: 'r', data: {} })).toBe(true);
  });
});
