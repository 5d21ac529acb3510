/**
 * Event Grid deliveries → CloudEvents and StorageEvents, field by field, from Microsoft's schema pages:
 * Event Grid schema (https://learn.microsoft.com/azure/event-grid/event-schema), CloudEvents schema
 * (https://learn.microsoft.com/azure/event-grid/cloud-event-schema) and the Blob Storage events
 * (https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage). A malformed event is an
 * InvalidEventError naming the field.
 */
import { InvalidEventError } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { cloudEventFromEventGrid, storageEventFromEventGrid } from '../../src/events/event-grid.ts';

type Json = Record<string, any>;

/** The documented Event Grid schema example of a BlobCreated event. */
function gridBlob(changes: Json = {}): Json {
  return {
    topic: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct',
    subject: '/blobServices/default/containers/test-container/blobs/new-file.txt',
    eventType: 'Microsoft.Storage.BlobCreated',
    eventTime: '2017-06-26T18:41:00.9584103Z',
    id: '831e1650-001e-001b-66ab-eeb76e069631',
    data: {
      api: 'PutBlockList',
      eTag: '0x8D4BCC2E4835CD0',
      contentType: 'text/plain',
      contentLength: 524288,
      blobType: 'BlockBlob',
      url: 'https://acct.blob.core.windows.net/test-container/new-file.txt',
      sequencer: '00000000000004420000000000028963',
    },
    dataVersion: '',
    metadataVersion: '1',
    ...changes,
  };
}

/** The same event in the CloudEvents 1.0 schema. */
function cloudBlob(changes: Json = {}): Json {
  return {
    specversion: '1.0',
    type: 'Microsoft.Storage.BlobCreated',
    source: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct',
    id: '9aeb0fdf-c01e-0131-0922-9eb54906e209',
    time: '2019-11-18T15:13:39.4589254Z',
    subject: 'blobServices/default/containers/test-container/blobs/new-file.txt',
    data: { eTag: '0x8D76C39E4407333', contentLength: 30, contentType: 'text/plain' },
    ...changes,
  };
}

function rejects(fn: () => unknown, message: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidEventError);
  expect((error as Error).message).toBe(message);
}

describe('Event Grid schema → CloudEvent', () => {
  it('id, topic → source, eventType → type, subject, eventTime → time, data as JSON', () => {
    const ce = cloudEventFromEventGrid(gridBlob({ dataVersion: '2.0' }));
    expect(ce).toEqual({
      specversion: '1.0',
      id: '831e1650-001e-001b-66ab-eeb76e069631',
      source: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct',
      type: 'Microsoft.Storage.BlobCreated',
      subject: '/blobServices/default/containers/test-container/blobs/new-file.txt',
      time: '2017-06-26T18:41:00.9584103Z',
      dataversion: '2.0',
      datacontenttype: 'application/json',
      data: gridBlob().data,
    });
  });
  it('an empty dataVersion or subject is left out; so are an absent subject, time and data', () => {
    const ce = cloudEventFromEventGrid({ id: 'i', topic: 't', eventType: 'x', subject: '', dataVersion: '' });
    expect(ce).toEqual({ specversion: '1.0', id: 'i', source: 't', type: 'x' });
    expect(
      cloudEventFromEventGrid({ id: 'i', topic: 't', eventType: 'x', dataVersion: 3 }),
    ).not.toHaveProperty('dataversion');
  });
  it('null data is data (Event Grid data is JSON)', () => {
    const ce = cloudEventFromEventGrid({ id: 'i', topic: 't', eventType: 'x', data: null });
    expect(ce.data).toBe(null);
    expect(ce.datacontenttype).toBe('application/json');
  });
  const malformed: [string, Json, string][] = [
    ['an empty id', { id: '' }, 'event.id: must be a non-empty string'],
    ['no topic', { topic: undefined }, 'event.topic: must be a non-empty string'],
    ['an eventType that is not a string', { eventType: 5 }, 'event.eventType: must be a non-empty string'],
    ['a subject that is not a string', { subject: 5 }, 'event.subject: must be a string'],
    [
      'an eventTime that is not a time',
      { eventTime: 'yesterday' },
      'event.eventTime: must be an ISO 8601 timestamp',
    ],
    ['an eventTime that is a number', { eventTime: 1 }, 'event.eventTime: must be an ISO 8601 timestamp'],
  ];
  for (const [what, changes, message] of malformed) {
    it(`${what} is rejected naming the field`, () => {
      rejects(() => cloudEventFromEventGrid(gridBlob(changes)), message);
    });
  }
  it('the error names the place given (a batch index)', () => {
    rejects(
      () => cloudEventFromEventGrid(gridBlob({ id: '' }), 'events[2]'),
      'events[2].id: must be a non-empty string',
    );
  });
  it('neither schema, or no object at all, is rejected', () => {
    rejects(
      () => cloudEventFromEventGrid({ id: 'x' }),
      'event: neither an Event Grid event (eventType) nor a CloudEvent (specversion)',
    );
    for (const value of [null, [1], 'x', 3]) {
      rejects(() => cloudEventFromEventGrid(value), 'event: an Event Grid event must be a JSON object');
    }
  });
});

describe('CloudEvents schema', () => {
  it("is validated and passed on; Event Grid's empty subject is dropped", () => {
    const ce = cloudEventFromEventGrid(cloudBlob({ subject: '' }));
    expect(ce).not.toHaveProperty('subject');
    expect(ce.id).toBe('9aeb0fdf-c01e-0131-0922-9eb54906e209');
    expect(cloudEventFromEventGrid(cloudBlob()).subject).toBe(
      'blobServices/default/containers/test-container/blobs/new-file.txt',
    );
  });
  it('data_base64 becomes the bytes; one that is not base64 or not a string is rejected', () => {
    const ce = cloudEventFromEventGrid(cloudBlob({ data: undefined, data_base64: 'AAH/' }));
    expect([...(ce.data as Uint8Array)]).toEqual([0, 1, 255]);
    expect(ce).not.toHaveProperty('data_base64');
    rejects(
      () => cloudEventFromEventGrid(cloudBlob({ data: undefined, data_base64: '%%' })),
      'event.data_base64: not valid base64',
    );
    rejects(
      () => cloudEventFromEventGrid(cloudBlob({ data: undefined, data_base64: 7 })),
      'event.data_base64: must be a string',
    );
  });
});

describe('Blob Storage events → StorageEvent', () => {
  it('container and blob name from the subject; id, size, eTag, content type and time from the event', () => {
    const raw = gridBlob({ data: { ...gridBlob().data, versionId: '2026-01-01T00:00:00.0000000Z' } });
    expect(storageEventFromEventGrid(raw)).toEqual({
      id: '831e1650-001e-001b-66ab-eeb76e069631',
      type: 'created',
      bucket: 'test-container',
      key: 'new-file.txt',
      size: 524288,
      etag: '0x8D4BCC2E4835CD0',
      contentType: 'text/plain',
      versionId: '2026-01-01T00:00:00.0000000Z',
      time: new Date('2017-06-26T18:41:00.958Z'),
      raw,
    });
  });
  it('a blob name keeps its slashes and is not percent-decoded (the subject is not encoded)', () => {
    const ev = storageEventFromEventGrid(
      gridBlob({ subject: '/blobServices/default/containers/c/blobs/dir/a%20b.txt' }),
    );
    expect([ev?.bucket, ev?.key]).toEqual(['c', 'dir/a%20b.txt']);
  });
  it('BlobDeleted → deleted; BlobTierChanged to Archive (any case) → archived', () => {
    expect(storageEventFromEventGrid(gridBlob({ eventType: 'Microsoft.Storage.BlobDeleted' }))?.type).toBe(
      'deleted',
    );
    for (const accessTier of ['Archive', 'archive']) {
      const ev = gridBlob({ eventType: 'Microsoft.Storage.BlobTierChanged', data: { accessTier } });
      expect(storageEventFromEventGrid(ev)?.type).toBe('archived');
    }
  });
  it('tier changes to other tiers, directory events and other storage events have no neutral type', () => {
    for (const [eventType, data] of [
      ['Microsoft.Storage.BlobTierChanged', { accessTier: 'Cool' }],
      ['Microsoft.Storage.BlobTierChanged', {}],
      ['Microsoft.Storage.BlobTierChanged', undefined],
      ['Microsoft.Storage.DirectoryCreated', {}],
      ['Microsoft.Storage.BlobRenamed', {}],
    ] as const) {
      expect(storageEventFromEventGrid(gridBlob({ eventType, data })), eventType).toBeUndefined();
    }
  });
  it('fields of the wrong type are left out', () => {
    const ev = storageEventFromEventGrid(
      gridBlob({ eventTime: undefined, data: { contentLength: '5', eTag: 1, contentType: 2, versionId: 3 } }),
    );
    expect(ev).toEqual({
      id: '831e1650-001e-001b-66ab-eeb76e069631',
      type: 'created',
      bucket: 'test-container',
      key: 'new-file.txt',
      raw: expect.anything(),
    });
  });
  it('CloudEvents-schema blob events use the same rules', () => {
    const ev = storageEventFromEventGrid(
      cloudBlob({ subject: '/blobServices/default/containers/c/blobs/k' }),
    );
    expect(ev).toMatchObject({ type: 'created', bucket: 'c', key: 'k', size: 30 });
    expect(ev?.time?.toISOString()).toBe('2019-11-18T15:13:39.458Z');
  });
  it('an event of another service, or a subject that names no blob, is rejected naming the field', () => {
    rejects(
      () => storageEventFromEventGrid(gridBlob({ eventType: 'Microsoft.Resources.ResourceWriteSuccess' })),
      'event.type: "Microsoft.Resources.ResourceWriteSuccess" is not a Blob Storage event',
    );
    for (const subject of [
      undefined,
      '/blobServices/default/containers/c',
      'x/blobServices/default/containers/c/blobs/k',
      '/blobServices/default/containers//blobs/k',
      '/blobServices/default/containers/c/blobs/',
    ]) {
      rejects(
        () => storageEventFromEventGrid(gridBlob({ subject }), 'events[0]'),
        'events[0].subject: expected /blobServices/default/containers/<container>/blobs/<name>',
      );
    }
  });
});
