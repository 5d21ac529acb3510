/**
 * Blob trigger, timer trigger and trigger metadata, field by field, as the Azure Functions host hands
 * them to @azure/functions (which lower-cases the first letter of every metadata key):
 * - blob trigger metadata `BlobTrigger` (`<container>/<blob name>`), `Uri`, `Properties` (the storage
 *   SDK's BlobProperties: `ContentLength` in the v12 SDK the current extension uses, `Length` in the
 *   older one, `ContentType`, `ETag`, `LastModified`, `VersionId`)
 *   (https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger#metadata);
 * - the timer's `{ schedule, scheduleStatus: { last, next, lastUpdated }, isPastDue }` (the @azure/functions
 *   `Timer` type); with schedule monitoring, `next` is the occurrence being fired ("Next will equal Now"),
 *   without it there is no `scheduleStatus`
 *   (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#usage);
 * - Service Bus and Storage Queue metadata as typed values (`deliveryCount` as a number or a JSON
 *   string, `enqueuedTimeUtc` as an ISO string, `applicationProperties` as an object).
 */
import type { Timer } from '@azure/functions';
import { InvalidEventError } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import {
  eventHubMessages,
  scheduleEventFromTimer,
  serviceBusMessage,
  storageEventFromBlob,
  storageQueueMessage,
} from '../../src/index.ts';

describe('blob trigger → StorageEvent', () => {
  it('container, blob name and every documented property', () => {
    const meta = {
      blobTrigger: 'uploads/photos/2026/a b.jpg',
      uri: 'https://acct.blob.core.windows.net/uploads/photos/2026/a%20b.jpg',
      properties: {
        contentLength: 1024,
        contentType: 'image/jpeg',
        eTag: '"0x8DC2"',
        lastModified: '2026-01-02T03:04:05Z',
        versionId: '2026-01-02T03:04:05.0000000Z',
      },
    };
    expect(storageEventFromBlob(meta, 'inv-1')).toStrictEqual({
      id: 'inv-1',
      type: 'created',
      bucket: 'uploads',
      key: 'photos/2026/a b.jpg',
      size: 1024,
      etag: '"0x8DC2"',
      contentType: 'image/jpeg',
      versionId: '2026-01-02T03:04:05.0000000Z',
      time: new Date('2026-01-02T03:04:05Z'),
      raw: meta,
    });
  });
  it('the older storage SDK names the size `length`', () => {
    const ev = storageEventFromBlob({ blobTrigger: 'c/b', properties: { length: 7 } }, 'i');
    expect(ev.size).toBe(7);
  });
  it('no properties, or properties of the wrong type: only what the path says, no undefined keys', () => {
    const bare = storageEventFromBlob({ blobTrigger: 'c/b' }, 'i');
    expect(bare).toStrictEqual({
      id: 'i',
      type: 'created',
      bucket: 'c',
      key: 'b',
      raw: { blobTrigger: 'c/b' },
    });
    const wrong = storageEventFromBlob(
      {
        blobTrigger: 'c/b',
        properties: {
          contentLength: '12',
          eTag: 1,
          contentType: null,
          versionId: 2,
          lastModified: 'not a date',
        },
      },
      'i',
    );
    expect(Object.keys(wrong).sort()).toEqual(['bucket', 'id', 'key', 'raw', 'type']);
  });
  it('a size of 0 is kept', () => {
    expect(storageEventFromBlob({ blobTrigger: 'c/b', properties: { contentLength: 0 } }, 'i').size).toBe(0);
  });
  it('a path that is not `<container>/<blob name>` is refused naming triggerMetadata.blobTrigger', () => {
    for (const meta of [
      undefined,
      {},
      { blobTrigger: '' },
      { blobTrigger: 'no-slash' },
      { blobTrigger: '/blob-without-container' },
      { blobTrigger: 'container-without-blob/' },
      { blobTrigger: { container: 'c' } },
    ]) {
      let error: unknown;
      try {
        storageEventFromBlob(meta, 'i');
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(meta)).toBeInstanceOf(InvalidEventError);
      expect((error as Error).message).toContain('triggerMetadata.blobTrigger');
      expect((error as Error).message).toContain('expected "<container>/<blob name>"');
    }
  });
});

describe('timer → ScheduleEvent', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  const timer = (next: string | undefined, isPastDue: unknown = false) =>
    ({
      schedule: { adjustForDST: true },
      ...(next === undefined ? {} : { scheduleStatus: { last: '', next, lastUpdated: '' } }),
      isPastDue,
    }) as Timer;

  it('with the schedule monitor, the occurrence being fired is scheduleStatus.next', () => {
    const t = timer('2026-03-01T12:00:00.000Z');
    expect(scheduleEventFromTimer(t, 'nightly', 'inv-1', now)).toStrictEqual({
      id: 'inv-1',
      name: 'nightly',
      scheduledTime: new Date('2026-03-01T12:00:00.000Z'),
      isPastDue: false,
      raw: t,
    });
  });
  it('a past-due run keeps the missed occurrence as its scheduled time', () => {
    const ev = scheduleEventFromTimer(timer('2026-03-01T03:30:00.000Z', true), 'nightly', 'i', now);
    expect(ev.scheduledTime.toISOString()).toBe('2026-03-01T03:30:00.000Z');
    expect(ev.isPastDue).toBe(true);
  });
  it('up to one second of clock skew ahead still counts as the occurrence; later is not this run', () => {
    const at = (ms: number) =>
      scheduleEventFromTimer(timer(new Date(now.getTime() + ms).toISOString()), 'n', 'i', now);
    expect(at(1000).scheduledTime.getTime()).toBe(now.getTime() + 1000);
    expect(at(1001).scheduledTime).toBe(now);
    expect(at(3_600_000).scheduledTime).toBe(now);
  });
  it('without the monitor (no scheduleStatus, or no timer at all) the invocation time stands in', () => {
    expect(scheduleEventFromTimer(timer(undefined), 'n', 'i', now).scheduledTime).toBe(now);
    expect(scheduleEventFromTimer(timer('not a date'), 'n', 'i', now).scheduledTime).toBe(now);
    const none = scheduleEventFromTimer(undefined, 'n', 'i', now);
    expect(none).toStrictEqual({ id: 'i', name: 'n', scheduledTime: now, isPastDue: false, raw: undefined });
  });
  it('isPastDue only when the host says true', () => {
    expect(scheduleEventFromTimer(timer(undefined, 'true'), 'n', 'i', now).isPastDue).toBe(false);
    expect(scheduleEventFromTimer(timer(undefined, 1), 'n', 'i', now).isPastDue).toBe(false);
  });
  it('without a clock handed in, the invocation time is the current time', () => {
    const before = Date.now();
    const ev = scheduleEventFromTimer(undefined, 'n', 'i');
    expect(ev.scheduledTime.getTime()).toBeGreaterThanOrEqual(before);
    expect(ev.scheduledTime.getTime()).toBeLessThanOrEqual(Date.now());
  });
});

describe('trigger metadata values as messages carry them', () => {
  it('numbers and numeric strings: delivery count, sequence number, message id', () => {
    const m = serviceBusMessage(
      'x',
      { messageId: 42, deliveryCount: '3', sequenceNumber: 9007199254740993n, sessionId: 7 },
      'q',
      'fallback',
    );
    expect(m.id).toBe('42');
    expect(m.deliveryCount).toBe(3);
    expect(m.sequence).toBe('9007199254740993');
    expect(m.groupId).toBe('7');
  });
  it('a delivery count that is not a finite number reads as a first delivery', () => {
    // '' and ' ' are 0 to Number(); 0, negatives and fractions are counts no broker sends.
    for (const deliveryCount of [
      'x',
      Number.POSITIVE_INFINITY,
      Number.NaN,
      true,
      null,
      '',
      ' ',
      0,
      '0',
      -2,
      1.5,
      '2.5',
    ]) {
      const m = serviceBusMessage('x', { messageId: 'm', deliveryCount }, 'q', 'f');
      expect(m.deliveryCount, String(deliveryCount)).toBe(1);
    }
    expect(storageQueueMessage('x', { id: 'm', dequeueCount: 'five' }, 'q', 'f').deliveryCount).toBe(1);
    expect(storageQueueMessage('x', { id: 'm', dequeueCount: '' }, 'q', 'f').deliveryCount).toBe(1);
    expect(storageQueueMessage('x', { id: 'm', dequeueCount: ' 4 ' }, 'q', 'f').deliveryCount).toBe(4);
    expect(storageQueueMessage('x', { id: 'm', dequeueCount: 5 }, 'q', 'f').deliveryCount).toBe(5);
  });
  it('ids of other types fall back to the invocation id', () => {
    expect(serviceBusMessage('x', { messageId: { v: 1 } }, 'q', 'inv-7').id).toBe('inv-7');
    expect(storageQueueMessage('x', { id: true }, 'q', 'inv-8').id).toBe('inv-8');
  });
  it('enqueue times from ISO strings, epoch milliseconds and Date objects; unreadable ones are absent', () => {
    const iso = serviceBusMessage('x', { enqueuedTimeUtc: '2026-02-01T10:00:00Z' }, 'q', 'f');
    expect(iso.enqueuedAt?.toISOString()).toBe('2026-02-01T10:00:00.000Z');
    const ms = storageQueueMessage('x', { insertionTime: 1_767_225_600_000 }, 'q', 'f');
    expect(ms.enqueuedAt?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    const date = new Date('2026-05-05T05:05:05Z');
    expect(serviceBusMessage('x', { enqueuedTimeUtc: date }, 'q', 'f').enqueuedAt).toEqual(date);
    for (const enqueuedTimeUtc of ['yesterday', new Date(Number.NaN), true, { t: 1 }]) {
      expect(serviceBusMessage('x', { enqueuedTimeUtc }, 'q', 'f').enqueuedAt).toBeUndefined();
    }
  });
  it('application properties: strings as they are, other values as JSON, null and undefined left out', () => {
    const m = serviceBusMessage(
      'x',
      {
        applicationProperties: {
          tenant: 'acme',
          priority: 2,
          flags: [1],
          on: false,
          gone: null,
          none: undefined,
        },
      },
      'q',
      'f',
    );
    expect(m.attributes).toStrictEqual({ tenant: 'acme', priority: '2', flags: '[1]', on: 'false' });
  });
  it('an own `__proto__` property (JSON.parse makes one) is dropped and changes nothing', () => {
    const m = serviceBusMessage(
      'x',
      { applicationProperties: JSON.parse('{"__proto__": {"polluted": "yes"}, "a": "1"}') },
      'q',
      'f',
    );
    expect(m.attributes).toStrictEqual({ a: '1' });
    expect(Object.getPrototypeOf(m.attributes)).toBe(Object.prototype);
  });
  it('Event Hub: a null or missing entry of PropertiesArray gives that event no attributes', () => {
    const [a, b, c] = eventHubMessages(
      ['x', 'y', 'z'],
      { propertiesArray: [null, { tenant: 'acme' }] },
      'hub',
      'f',
    );
    expect(a!.attributes).toStrictEqual({});
    expect(b!.attributes).toStrictEqual({ tenant: 'acme' });
    expect(c!.attributes).toStrictEqual({});
  });
  it('application properties that are not an object give no attributes', () => {
    for (const applicationProperties of ['a=1', ['a'], null, 3]) {
      const m = serviceBusMessage('x', { applicationProperties }, 'q', 'f');
      expect(m.attributes, JSON.stringify(applicationProperties)).toStrictEqual({});
    }
  });
});
