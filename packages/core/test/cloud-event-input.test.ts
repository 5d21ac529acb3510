/**
 * A CloudEvent delivered to a queue, topic or storage function (node push, GCP Eventarc, Knative):
 * the mapping core gives every adapter (adapter/cloud-event-input.ts). Attribute rules from the
 * CloudEvents 1.0 spec: extensions are named attributes beside the context attributes; `time` is
 * RFC 3339; `datacontenttype` describes `data`.
 */
import { describe, expect, it } from 'vitest';
import {
  cloudEventDataBytes,
  messageFromCloudEvent,
  storageEventFromCloudEvent,
} from '../src/cloud-events.ts';
import { type CloudEvent, InvalidEventError } from '../src/index.ts';

const ce = (fields: Partial<CloudEvent> & Record<string, unknown>): CloudEvent => ({
  specversion: '1.0',
  id: 'ev-1',
  source: '//example/source',
  type: 'com.example.thing',
  ...fields,
});
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();

describe('cloudEventDataBytes', () => {
  it('absent data is an empty body, bytes stay bytes, text is UTF-8, any other value JSON', () => {
    expect(cloudEventDataBytes(undefined).length).toBe(0);
    expect(cloudEventDataBytes(null).length).toBe(0);
    const bytes = new Uint8Array([0, 255]);
    expect(cloudEventDataBytes(bytes)).toBe(bytes);
    expect(text(cloudEventDataBytes('héllo'))).toBe('héllo');
    expect(text(cloudEventDataBytes(''))).toBe('');
    expect(text(cloudEventDataBytes({ a: [1, 'x'] }))).toBe('{"a":[1,"x"]}');
    expect(text(cloudEventDataBytes(0))).toBe('0');
    expect(text(cloudEventDataBytes(false))).toBe('false');
  });
});

describe('messageFromCloudEvent', () => {
  it('id, body, content type, time, source and the event itself as raw', () => {
    const ev = ce({ data: { order: 42 }, datacontenttype: 'application/json', time: '2026-11-27T03:00:00Z' });
    const m = messageFromCloudEvent(ev, 'orders');
    expect(m.id).toBe('ev-1');
    expect(m.json()).toEqual({ order: 42 });
    expect(m.contentType).toBe('application/json');
    expect(m.enqueuedAt).toEqual(new Date('2026-11-27T03:00:00Z'));
    expect(m.source).toBe('orders');
    expect(m.raw).toBe(ev);
  });

  it('without time, data or content type: no enqueue time, an empty body, no content type', () => {
    const m = messageFromCloudEvent(ce({}), 'orders');
    expect(m.enqueuedAt).toBeUndefined();
    expect(m.body.length).toBe(0);
    expect(m.contentType).toBeUndefined();
    expect(m.attributes).toEqual({});
    expect(m.groupId).toBeUndefined();
  });

  it('every extension becomes a string attribute; context attributes do not', () => {
    const m = messageFromCloudEvent(
      ce({ subject: 's', dataschema: 'https://x', tenant: 'acme', priority: 5, urgent: true }),
      'orders',
    );
    expect(m.attributes).toEqual({ tenant: 'acme', priority: '5', urgent: 'true' });
  });

  it('deliverycount is the delivery count when it is a positive integer, else 1', () => {
    const count = (deliverycount: unknown) =>
      messageFromCloudEvent(ce(deliverycount === undefined ? {} : { deliverycount }), 'q').deliveryCount;
    expect(count(3)).toBe(3);
    expect(count('4')).toBe(4);
    expect(count(undefined)).toBe(1);
    for (const bad of [0, -2, 2.5, 'x', '']) expect(count(bad), String(bad)).toBe(1);
  });

  it('partitionkey (the CloudEvents partitioning extension) is the ordered group when it is a string', () => {
    expect(messageFromCloudEvent(ce({ partitionkey: 'customer-7' }), 'q').groupId).toBe('customer-7');
    expect(messageFromCloudEvent(ce({ partitionkey: 7 }), 'q').groupId).toBeUndefined();
  });
});

describe('storageEventFromCloudEvent', () => {
  const data = { bucket: 'photos', key: 'a/b.jpg' };
  it('the change from the type’s last segment, in any case', () => {
    const type = (t: string) => storageEventFromCloudEvent(ce({ type: t, data }), 'default').type;
    expect(type('com.example.object.created')).toBe('created');
    expect(type('google.cloud.storage.object.v1.finalized')).toBe('created');
    expect(type('x.deleted')).toBe('deleted');
    expect(type('x.Deleted')).toBe('deleted');
    expect(type('x.archived')).toBe('archived');
    expect(type('google.cloud.storage.object.v1.metadataUpdated')).toBe('metadataUpdated');
    expect(type('x.METADATAUPDATED')).toBe('metadataUpdated');
  });

  it('a type ending in an Object.prototype member is no storage change', () => {
    for (const t of ['x.constructor', 'x.__proto__', 'x.valueOf'])
      expect(() => storageEventFromCloudEvent(ce({ type: t, data }), 'default')).toThrow(InvalidEventError);
  });

  it('a type that does not say falls back to data.type when that is a storage change', () => {
    expect(
      storageEventFromCloudEvent(ce({ type: 'polycloud.storage', data: { ...data, type: 'deleted' } }), 'd')
        .type,
    ).toBe('deleted');
    for (const t of [undefined, 'finalized', 'removed']) {
      expect(() =>
        storageEventFromCloudEvent(
          ce({ type: 'com.example.object.changed', data: { ...data, type: t } }),
          'd',
        ),
      ).toThrow(
        'type: cannot tell the storage change from type "com.example.object.changed" (expected a type ending in .created, .deleted, .archived or .metadataUpdated)',
      );
    }
  });

  it('bucket, key, id, raw; the function’s bucket when data names none; name when there is no key', () => {
    const ev = ce({ type: 'x.created', data });
    expect(storageEventFromCloudEvent(ev, 'default')).toEqual({
      id: 'ev-1',
      type: 'created',
      bucket: 'photos',
      key: 'a/b.jpg',
      raw: ev,
    });
    expect(storageEventFromCloudEvent(ce({ type: 'x.created', data: { key: 'k' } }), 'default').bucket).toBe(
      'default',
    );
    expect(
      storageEventFromCloudEvent(ce({ type: 'x.created', data: { bucket: 9, key: 'k' } }), 'default').bucket,
    ).toBe('default');
    expect(storageEventFromCloudEvent(ce({ type: 'x.created', data: { name: 'gcs/name' } }), 'd').key).toBe(
      'gcs/name',
    );
    expect(
      storageEventFromCloudEvent(ce({ type: 'x.created', data: { key: 'k', name: 'n' } }), 'd').key,
    ).toBe('k');
  });

  it('size (a number or an int64 string), etag, content type and time when present and well-typed', () => {
    const full = storageEventFromCloudEvent(
      ce({
        type: 'x.created',
        time: '2026-11-27T03:00:00Z',
        data: { ...data, size: '1024', etag: 'abc', contentType: 'image/jpeg' },
      }),
      'd',
    );
    expect(full).toMatchObject({ size: 1024, etag: 'abc', contentType: 'image/jpeg' });
    expect(full.time).toEqual(new Date('2026-11-27T03:00:00Z'));
    expect(storageEventFromCloudEvent(ce({ type: 'x.created', data: { ...data, size: 0 } }), 'd').size).toBe(
      0,
    );
    const bare = storageEventFromCloudEvent(
      ce({ type: 'x.created', data: { ...data, size: 'big', etag: 1, contentType: null } }),
      'd',
    );
    expect(Object.keys(bare).sort()).toEqual(['bucket', 'id', 'key', 'raw', 'type']);
  });

  it('no size unless it is a number or a string of digits (null, "", true or "1e3" are no sizes)', () => {
    const sized = (size: unknown) =>
      storageEventFromCloudEvent(ce({ type: 'x.created', data: { ...data, size } }), 'd').size;
    for (const size of [
      null,
      '',
      ' ',
      true,
      '1e3',
      '-1',
      '12 ',
      ['12'],
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]) {
      expect(sized(size)).toBeUndefined();
    }
    expect(sized('0')).toBe(0);
    expect(sized('9007199254740993')).toBe(9007199254740992);
    expect(sized(12)).toBe(12);
  });

  it('no key (or data that is not an object) is refused naming data.key', () => {
    for (const d of [{ bucket: 'b' }, { key: '' }, { key: 5 }, 'a.txt', new Uint8Array([1]), null]) {
      expect(() => storageEventFromCloudEvent(ce({ type: 'x.created', data: d }), 'd')).toThrow(
        'data.key: a storage event needs the object key',
      );
    }
  });
});
