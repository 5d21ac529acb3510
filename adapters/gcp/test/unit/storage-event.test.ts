/**
 * Cloud Storage CloudEvents (`google.cloud.storage.object.v1.*`, data: StorageObjectData) → the
 * neutral StorageEvent a storage() handler receives. StorageObjectData follows the proto3 JSON
 * mapping: int64 fields such as `size` and `generation` arrive as strings
 * (https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/storage/v1/data.proto).
 */
import type { CloudEvent } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { storageEventFromCloudEvent } from '../../src/index.ts';

const cloudEvent = (data: unknown, over: Partial<CloudEvent> = {}): CloudEvent => ({
  specversion: '1.0',
  id: 'evt-7',
  source: '//storage.googleapis.com/projects/_/buckets/my-bucket',
  type: 'google.cloud.storage.object.v1.finalized',
  datacontenttype: 'application/json',
  data,
  ...over,
});

describe('storage CloudEvent → StorageEvent', () => {
  it('maps each object event type to the neutral one', () => {
    const types: [string, string][] = [
      ['google.cloud.storage.object.v1.finalized', 'created'],
      ['google.cloud.storage.object.v1.deleted', 'deleted'],
      ['google.cloud.storage.object.v1.archived', 'archived'],
      ['google.cloud.storage.object.v1.metadataUpdated', 'metadataUpdated'],
    ];
    for (const [type, neutral] of types)
      expect(storageEventFromCloudEvent(cloudEvent({ bucket: 'b', name: 'k' }, { type })).type).toBe(neutral);
  });

  it('refuses a type named after an Object.prototype member', () => {
    for (const type of ['constructor', 'toString', '__proto__'])
      expect(() => storageEventFromCloudEvent(cloudEvent({ bucket: 'b', name: 'k' }, { type }))).toThrow(
        /expected a google.cloud.storage.object.v1.\* event/,
      );
  });

  it('carries every StorageObjectData field a handler uses, int64s given as strings', () => {
    const ev = cloudEvent(
      {
        bucket: 'my-bucket',
        name: 'folder/my photo+1.jpg',
        size: '1024',
        etag: 'CJ+x8bK9',
        contentType: 'image/jpeg',
        generation: '1700000000123456',
        metageneration: '1',
        updated: '2026-01-01T00:00:00.000Z',
      },
      { time: '2026-01-02T03:04:05.678Z' },
    );
    const out = storageEventFromCloudEvent(ev);
    expect(out).toEqual({
      id: 'evt-7',
      type: 'created',
      bucket: 'my-bucket',
      // Plain text in JSON: no URL-decoding, `+` stays a plus.
      key: 'folder/my photo+1.jpg',
      size: 1024,
      etag: 'CJ+x8bK9',
      contentType: 'image/jpeg',
      versionId: '1700000000123456',
      time: new Date('2026-01-02T03:04:05.678Z'),
      raw: ev,
    });
    expect(out.raw).toBe(ev);
  });

  it('accepts numbers where samples use them, and zero-byte objects', () => {
    const out = storageEventFromCloudEvent(cloudEvent({ bucket: 'b', name: 'k', size: 0, generation: 42 }));
    expect(out.size).toBe(0);
    expect(out.versionId).toBe('42');
  });

  it('leaves out what the event does not carry, and ignores fields of the wrong type', () => {
    const out = storageEventFromCloudEvent(
      cloudEvent({ bucket: 'b', name: 'k', etag: 5, contentType: null, generation: true, updated: 7 }),
    );
    expect(out).toEqual({ id: 'evt-7', type: 'created', bucket: 'b', key: 'k', raw: expect.anything() });
    for (const field of ['size', 'etag', 'contentType', 'versionId', 'time'])
      expect(Object.keys(out)).not.toContain(field);
  });

  it('takes the time from `updated` when the CloudEvent has none', () => {
    const out = storageEventFromCloudEvent(
      cloudEvent({ bucket: 'b', name: 'k', updated: '2026-03-04T05:06:07.000Z' }, { time: undefined }),
    );
    expect(out.time).toEqual(new Date('2026-03-04T05:06:07.000Z'));
  });
});

describe('malformed storage events are refused with the field named', () => {
  const refused = (ev: CloudEvent) => {
    try {
      storageEventFromCloudEvent(ev);
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('another event type', () => {
    expect(
      refused(cloudEvent({ bucket: 'b', name: 'k' }, { type: 'google.cloud.storage.object.v1.created' })),
    ).toBe(
      'event.type: expected a google.cloud.storage.object.v1.* event, got "google.cloud.storage.object.v1.created"',
    );
  });

  it('data that is not a JSON object', () => {
    for (const data of [null, undefined, 'text', ['b', 'k'], new Uint8Array([123, 125])])
      expect(refused(cloudEvent(data))).toBe('event.data: expected a StorageObjectData JSON object');
  });

  it('a missing or empty bucket or name', () => {
    expect(refused(cloudEvent({ name: 'k' }))).toBe('event.data.bucket: missing bucket');
    expect(refused(cloudEvent({ bucket: '', name: 'k' }))).toBe('event.data.bucket: missing bucket');
    expect(refused(cloudEvent({ bucket: 'b', name: '' }))).toBe('event.data.name: missing name');
    expect(refused(cloudEvent({ bucket: 'b', name: 3 }))).toBe('event.data.name: missing name');
  });

  it('a size that is not a non-negative safe integer', () => {
    for (const size of ['-1', -1, '1.5', 'abc', '9007199254740993'])
      expect(refused(cloudEvent({ bucket: 'b', name: 'k', size }))).toBe(
        'event.data.size: must be a non-negative integer',
      );
  });
});
