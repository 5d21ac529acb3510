/**
 * S3 notifications as a storage function receives them, field by field, from the documented message
 * structure (S3 user guide, "Event message structure": https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html,
 * and "Supported event types": https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html),
 * and S3 events through EventBridge (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
 * Malformed records are rejected naming the field, before the handler runs.
 */
import { defineApp, InvalidEventError, type StorageEvent, storage } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { s3EventBridgeEvent, s3Record, snsEvent, sqsRecord } from '../support/native-events.ts';

type Json = Record<string, any>;

function harness() {
  const seen: StorageEvent[] = [];
  const lines: Json[] = [];
  const app = defineApp({
    functions: {
      files: storage('uploads', { events: ['created', 'deleted', 'archived', 'metadataUpdated'] }, (ev) => {
        seen.push(ev);
      }),
    },
  });
  const handler = createLambda(app, { logWriter: (line) => lines.push(JSON.parse(line)) }).handler('files');
  return { handler, seen, lines, invoke: (event: unknown) => handler(event, lambdaContext()) };
}

/** A notification record as S3 writes it (the documented example), with `changes` applied. */
function record(changes: Json = {}): Json {
  const r = s3Record({
    type: 'created',
    bucket: 'uploads',
    key: 'photo.jpg',
    size: 1024,
    etag: 'abc',
  }) as Json;
  r.responseElements['x-amz-request-id'] = 'C3D13FE58DE4C810';
  r.s3.object.sequencer = '0A1B2C3D4E5F678901';
  r.eventTime = '1970-01-01T00:00:00.000Z';
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const last = keys.pop()!;
    let at = r;
    for (const key of keys) at = at[key];
    if (value === undefined) delete at[last];
    else at[last] = value;
  }
  return r;
}

describe('S3 notification event names → neutral types', () => {
  const cases: [eventName: string, type: string | undefined][] = [
    ['ObjectCreated:Put', 'created'],
    ['ObjectCreated:CompleteMultipartUpload', 'created'],
    ['ObjectRemoved:Delete', 'deleted'],
    ['ObjectRemoved:DeleteMarkerCreated', 'deleted'],
    ['LifecycleExpiration:Delete', 'deleted'],
    ['LifecycleExpiration:DeleteMarkerCreated', 'deleted'],
    ['LifecycleTransition', 'archived'],
    ['ObjectTagging:Put', 'metadataUpdated'],
    ['ObjectTagging:Delete', 'metadataUpdated'],
    ['ObjectAcl:Put', 'metadataUpdated'],
    ['ObjectRestore:Post', undefined],
    ['ObjectRestore:Completed', undefined],
    ['Replication:OperationFailedReplication', undefined],
    ['IntelligentTiering', undefined],
    ['ReducedRedundancyLostObject', undefined],
  ];
  for (const [eventName, type] of cases) {
    it(`${eventName} → ${type ?? 'acknowledged unrun'}`, async () => {
      const { invoke, seen, lines } = harness();
      await invoke({ Records: [record({ eventName })] });
      expect(seen.map((e) => e.type)).toEqual(type ? [type] : []);
      if (!type) {
        expect(lines.some((l) => String(l.reason ?? '').includes(`"${eventName}"`))).toBe(true);
      }
    });
  }
  it('an event name written with the configuration prefix (s3:ObjectCreated:Put) is read the same', async () => {
    const { invoke, seen } = harness();
    await invoke({ Records: [record({ eventName: 's3:ObjectRemoved:Delete' })] });
    expect(seen.map((e) => e.type)).toEqual(['deleted']);
  });
  it('a name that only contains a known one is not it', async () => {
    const { invoke, seen } = harness();
    await invoke({ Records: [record({ eventName: 'LifecycleTransitionX' })] });
    await invoke({ Records: [record({ eventName: 'xObjectCreated:Put' })] });
    expect(seen).toEqual([]);
  });
});

describe('S3 notification fields', () => {
  it('id is the request id and the sequencer; bucket, key, size, eTag, versionId, time as documented', async () => {
    const { invoke, seen } = harness();
    const r = record({ 's3.object.versionId': '096fKKXTRTtl3on89fVO.nfljtsv6qko' });
    await invoke({ Records: [r] });
    expect(seen).toHaveLength(1);
    const ev = seen[0]!;
    expect(ev).toMatchObject({
      id: 'C3D13FE58DE4C810:0A1B2C3D4E5F678901',
      type: 'created',
      bucket: 'uploads',
      key: 'photo.jpg',
      size: 1024,
      etag: 'abc',
      versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
    });
    expect(ev.time?.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(ev.raw).toEqual(r);
  });
  it('without a request id the sequencer alone is the id; without both, bucket/key', async () => {
    const { invoke, seen } = harness();
    await invoke({ Records: [record({ responseElements: undefined })] });
    await invoke({
      Records: [record({ 'responseElements.x-amz-request-id': 7, 's3.object.sequencer': undefined })],
    });
    await invoke({ Records: [record({ responseElements: undefined, 's3.object.sequencer': 99 })] });
    expect(seen.map((e) => e.id)).toEqual(['0A1B2C3D4E5F678901', 'uploads/photo.jpg', 'uploads/photo.jpg']);
  });
  it('optional fields of the wrong type or empty are left out, not passed on', async () => {
    const { invoke, seen } = harness();
    await invoke({
      Records: [
        record({
          's3.object.size': Number.POSITIVE_INFINITY,
          's3.object.eTag': '',
          's3.object.versionId': '',
          eventTime: 'not a time',
        }),
        record({ 's3.object.size': '12', 's3.object.eTag': 5, 's3.object.versionId': 3, eventTime: 0 }),
      ],
    });
    for (const ev of seen) {
      expect(ev.size).toBeUndefined();
      expect(ev.etag).toBeUndefined();
      expect(ev.versionId).toBeUndefined();
      expect(ev.time).toBeUndefined();
    }
    expect(seen).toHaveLength(2);
  });
  it('a size of 0 (an empty object) is kept', async () => {
    const { invoke, seen } = harness();
    await invoke({ Records: [record({ 's3.object.size': 0 })] });
    expect(seen[0]!.size).toBe(0);
  });
  it('keys are URL-decoded once: "+" is a space, "%2B" a plus, "%25" a percent sign', async () => {
    const { invoke, seen } = harness();
    await invoke({
      Records: [
        record({ 's3.object.key': 'red+flower.jpg' }),
        record({ 's3.object.key': 'a%2Bb+c%25d' }),
        record({ 's3.object.key': 'plain/path.txt' }),
      ],
    });
    expect(seen.map((e) => e.key)).toEqual(['red flower.jpg', 'a+b c%d', 'plain/path.txt']);
  });

  const malformed: [what: string, changes: Json, message: string][] = [
    ['no s3 object', { s3: undefined }, 'Records[0].s3: must hold an s3 object'],
    ['no bucket', { 's3.bucket': undefined }, 'Records[0].s3.bucket.name: must be a string'],
    [
      'a bucket name that is not a string',
      { 's3.bucket.name': 1 },
      'Records[0].s3.bucket.name: must be a string',
    ],
    [
      'an object that is not an object',
      { 's3.object': 'photo.jpg' },
      'Records[0].s3.object: must be an object',
    ],
    ['no eventName', { eventName: undefined }, 'Records[0].eventName: must be a string'],
    ['a key that is not a string', { 's3.object.key': 42 }, 'Records[0].s3.object.key: must be a string'],
    [
      'a key with malformed percent-encoding',
      { 's3.object.key': 'bad%zzkey' },
      'Records[0].s3.object.key: malformed percent-encoding in object key "bad%zzkey"',
    ],
  ];
  for (const [what, changes, message] of malformed) {
    it(`a record with ${what} is rejected naming the field; the handler does not run`, async () => {
      const { invoke, seen } = harness();
      const error = await invoke({ Records: [record(changes)] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidEventError);
      expect((error as Error).message).toBe(message);
      expect(seen).toEqual([]);
    });
  }
  it('a record that is not an object is rejected too', async () => {
    const { invoke } = harness();
    const error = await invoke({ Records: [record(), 'x'] }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('Records[1].s3: must hold an s3 object');
  });
});

describe('S3 events through EventBridge', () => {
  function bridged(changes: Json = {}): Json {
    const ev = s3EventBridgeEvent({
      type: 'created',
      bucket: 'uploads',
      key: 'a b.txt',
      size: 5,
      etag: 'e1',
    }) as Json;
    ev.id = '17793124-05d4-b198-2fde-7ededc63b103';
    ev.time = '2021-11-12T00:00:00Z';
    for (const [path, value] of Object.entries(changes)) {
      const keys = path.split('.');
      const last = keys.pop()!;
      let at = ev;
      for (const key of keys) at = at[key];
      if (value === undefined) delete at[last];
      else at[last] = value;
    }
    return ev;
  }
  const types: [detailType: string, type: string | undefined][] = [
    ['Object Created', 'created'],
    ['Object Deleted', 'deleted'],
    ['Object Storage Class Changed', 'archived'],
    ['Object Tags Added', 'metadataUpdated'],
    ['Object Tags Deleted', 'metadataUpdated'],
    ['Object ACL Updated', 'metadataUpdated'],
    ['Object Restore Initiated', undefined],
    ['Object Access Tier Changed', undefined],
    // Named after Object.prototype members: no type, not that member (a fuzzed 1st-gen GCP event found this class of bug).
    ['toString', undefined],
    ['constructor', undefined],
  ];
  for (const [detailType, type] of types) {
    it(`"${detailType}" → ${type ?? 'acknowledged unrun'}`, async () => {
      const { invoke, seen, lines } = harness();
      await invoke(bridged({ 'detail-type': detailType }));
      expect(seen.map((e) => e.type)).toEqual(type ? [type] : []);
      if (!type) expect(lines.some((l) => String(l.reason ?? '').includes(`"${detailType}"`))).toBe(true);
    });
  }
  it('id, bucket, key (decoded), size, etag, version-id and time from the EventBridge event', async () => {
    const { invoke, seen } = harness();
    const ev = bridged({ 'detail.object.version-id': 'v-2' });
    await invoke(ev);
    expect(seen[0]).toMatchObject({
      id: '17793124-05d4-b198-2fde-7ededc63b103',
      type: 'created',
      bucket: 'uploads',
      key: 'a b.txt',
      size: 5,
      etag: 'e1',
      versionId: 'v-2',
    });
    expect(seen[0]!.time?.toISOString()).toBe('2021-11-12T00:00:00.000Z');
    expect(seen[0]!.raw).toEqual(ev);
  });
  it('an EventBridge event from another service, or an object that only says aws.s3, is no storage event', async () => {
    const { invoke, seen } = harness();
    await expect(invoke(bridged({ source: 'aws.ec2' }))).rejects.toThrow('accepts S3 notifications');
    await expect(invoke({ source: 'aws.s3', id: 'x' })).rejects.toThrow('accepts S3 notifications');
    expect(seen).toEqual([]);
  });
  it('an event without a string id gets an empty id, not a crash', async () => {
    const { invoke, seen } = harness();
    await invoke(bridged({ id: 3 }));
    expect(seen[0]!.id).toBe('');
  });
  const malformed: [what: string, changes: Json, message: string][] = [
    ['a detail that is not an object', { detail: 'x' }, 'event.detail: must be an object'],
    ['no bucket name', { 'detail.bucket': {} }, 'event.detail.bucket.name: must be a string'],
    ['an object that is not an object', { 'detail.object': null }, 'event.detail.object: must be an object'],
    [
      'a key that is not a string',
      { 'detail.object.key': null },
      'event.detail.object.key: must be a string',
    ],
  ];
  for (const [what, changes, message] of malformed) {
    it(`${what} is rejected naming the field`, async () => {
      const { invoke, seen } = harness();
      const error = await invoke(bridged(changes)).catch((e: unknown) => e);
      expect((error as Error).message).toBe(message);
      expect(seen).toEqual([]);
    });
  }
});

describe('S3 notifications in SQS and SNS bodies', () => {
  it('an S3 notification inside an SNS envelope inside an SQS body (S3 → SNS → SQS) is unwrapped', async () => {
    const { invoke, seen } = harness();
    const envelope = {
      Type: 'Notification',
      MessageId: 'sns-1',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:uploads-topic',
      Message: JSON.stringify({ Records: [record({ 's3.object.key': 'via+sns+sqs' })] }),
      Timestamp: '2026-01-01T00:00:00.000Z',
    };
    const res = await invoke({
      Records: [sqsRecord({ messageId: 'm1', body: JSON.stringify(envelope) }, 'q')],
    });
    expect(res).toEqual({ batchItemFailures: [] });
    expect(seen.map((e) => e.key)).toEqual(['via sns sqs']);
  });
  it('an S3 EventBridge event inside an SQS body (EventBridge → SQS) is read', async () => {
    const { invoke, seen } = harness();
    const body = JSON.stringify(bridgedCreated());
    await invoke({ Records: [sqsRecord({ messageId: 'm1', body }, 'q')] });
    expect(seen.map((e) => [e.type, e.key])).toEqual([['created', 'a b.txt']]);
  });
  it('every change of a multi-record body runs, in order', async () => {
    const { invoke, seen } = harness();
    const body = JSON.stringify({
      Records: [
        record({ 's3.object.key': 'one' }),
        record({ 's3.object.key': 'two', eventName: 'ObjectRemoved:Delete' }),
      ],
    });
    await invoke({ Records: [sqsRecord({ messageId: 'm1', body }, 'q')] });
    expect(seen.map((e) => `${e.type}:${e.key}`)).toEqual(['created:one', 'deleted:two']);
  });
  const bad: [what: string, body: string, message: string][] = [
    ['a JSON array', '[1]', 'Records[0].body: must be a JSON object holding an S3 event'],
    ['a JSON string', '"x"', 'Records[0].body: must be a JSON object holding an S3 event'],
    [
      'an object with no S3 event',
      '{"hello":1,"world":2}',
      'Records[0].body: holds no S3 event (keys: hello, world)',
    ],
    ['an empty object', '{}', 'Records[0].body: holds no S3 event (keys: none)'],
  ];
  for (const [what, body, message] of bad) {
    it(`an SQS body that is ${what} fails that message only, with the reason logged`, async () => {
      const { invoke, seen, lines } = harness();
      const good = JSON.stringify({ Records: [record()] });
      const res = await invoke({
        Records: [
          sqsRecord({ messageId: 'bad', body }, 'q'),
          sqsRecord({ messageId: 'good', body: good }, 'q'),
        ],
      });
      expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
      expect(seen).toHaveLength(1);
      expect(JSON.stringify(lines)).toContain(message);
    });
  }
  it('a malformed record inside an SQS body names its place in the body', async () => {
    const { invoke, lines } = harness();
    const body = JSON.stringify({ Records: [record(), { eventName: 'ObjectCreated:Put' }] });
    const res = await invoke({ Records: [sqsRecord({ messageId: 'm1', body }, 'q')] });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(JSON.stringify(lines)).toContain('Records[0].body.Records[1].s3: must hold an s3 object');
  });
  it('an SNS envelope in an SQS body whose Message holds no S3 event names body.Message', async () => {
    const { invoke, lines } = harness();
    const envelope = {
      Type: 'Notification',
      MessageId: 'sns-1',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:uploads-topic',
      Message: '{"a":1}',
    };
    const res = await invoke({
      Records: [sqsRecord({ messageId: 'm1', body: JSON.stringify(envelope) }, 'q')],
    });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(JSON.stringify(lines)).toContain('Records[0].body.Message: holds no S3 event (keys: a)');
  });
  it('the keys named for a body with no S3 event are the first ten, each clipped', async () => {
    const { invoke, lines } = harness();
    const body: Json = {};
    for (let i = 0; i < 12; i++) body[`k${i}`] = i;
    body.k3 = undefined;
    const long = 'x'.repeat(50);
    const res = await invoke({
      Records: [
        sqsRecord({ messageId: 'm1', body: JSON.stringify(body) }, 'q'),
        sqsRecord({ messageId: 'm2', body: JSON.stringify({ [long]: 1 }) }, 'q'),
      ],
    });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    const text = JSON.stringify(lines);
    expect(text).toContain('holds no S3 event (keys: k0, k1, k2, k4, k5, k6, k7, k8, k9, k10)');
    expect(text).toContain(`holds no S3 event (keys: ${'x'.repeat(40)}…(50 chars))`);
  });
  it("S3's test event published to an SNS topic is acknowledged unrun, with the reason logged", async () => {
    const { invoke, seen, lines } = harness();
    const test = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-01-01T00:00:00.000Z',
      Bucket: 'uploads',
    };
    await invoke(snsEvent({ id: 'n', body: new TextEncoder().encode(JSON.stringify(test)) }, 't'));
    expect(seen).toEqual([]);
    expect(lines.map((l) => l.reason)).toContain('S3 test event sent when the notification was configured');
  });
  it('an SQS body that is an SNS message of another Type is not unwrapped', async () => {
    const { invoke, seen } = harness();
    const other = {
      Type: 'SubscriptionConfirmation',
      MessageId: 'sns-1',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:uploads-topic',
      Message: JSON.stringify({ Records: [record()] }),
    };
    const res = await invoke({ Records: [sqsRecord({ messageId: 'm1', body: JSON.stringify(other) }, 'q')] });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(seen).toEqual([]);
  });
  it('an SNS message holding no S3 event is rejected naming Sns.Message', async () => {
    const { invoke, seen } = harness();
    const error = await invoke(snsEvent({ id: 'n', body: new TextEncoder().encode('{"a":1}') }, 't')).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('Records[0].Sns.Message: holds no S3 event (keys: a)');
    expect(seen).toEqual([]);
  });
});

function bridgedCreated(): Json {
  return s3EventBridgeEvent({ type: 'created', bucket: 'uploads', key: 'a b.txt' }) as Json;
}
