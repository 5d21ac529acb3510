/**
 * Kinesis and DynamoDB Streams records as queue messages, and EventBridge events as CloudEvents and
 * schedule ticks, field by field from AWS's documented shapes: Kinesis
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html), DynamoDB Streams
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html), the EventBridge envelope
 * (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html) and scheduled events
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html).
 */
import {
  type CloudEvent,
  defineApp,
  event,
  type Message,
  queue,
  type ScheduleEvent,
  schedule,
} from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';

type Json = Record<string, any>;

function harness(fail: (m: Message) => boolean = () => false) {
  const messages: Message[] = [];
  const events: CloudEvent[] = [];
  const ticks: ScheduleEvent[] = [];
  const lines: Json[] = [];
  const app = defineApp({
    functions: {
      clicks: queue('clicks', (m) => {
        // Reads the body: Kinesis data is decoded when first read.
        m.text();
        messages.push(m);
        if (fail(m)) throw new Error(`failed ${m.id}`);
      }),
      orders: event({ type: 'Order Placed' }, (ev) => {
        events.push(ev);
      }),
      nightly: schedule('nightly', '0 3 * * *', (ev) => {
        ticks.push(ev);
      }),
    },
  });
  const lambda = createLambda(app, { logWriter: (line) => lines.push(JSON.parse(line)) });
  const call = (fn: string, ev: unknown) => lambda.handler(fn)(ev, lambdaContext());
  return { messages, events, ticks, lines, call };
}

function kinesis(changes: Json = {}, kinesisChanges: Json = {}): Json {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: '1',
      sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
      data: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==',
      approximateArrivalTimestamp: 1545084650.987,
      ...kinesisChanges,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: 'shardId-000000000006:49590338271490256608559692538361571095921575989136588898',
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
    awsRegion: 'us-east-2',
    eventSourceARN: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
    ...changes,
  };
}

function dynamodb(changes: Json = {}, changeChanges: Json = {}): Json {
  return {
    eventID: '1',
    eventVersion: '1.0',
    dynamodb: {
      Keys: { Id: { N: '101' } },
      NewImage: { Message: { S: 'New item!' }, Id: { N: '101' } },
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      SequenceNumber: '111',
      SizeBytes: 26,
      ApproximateCreationDateTime: 1428537600,
      ...changeChanges,
    },
    awsRegion: 'us-west-2',
    eventName: 'INSERT',
    eventSourceARN:
      'arn:aws:dynamodb:us-west-2:123456789012:table/ExampleTableWithStream/stream/2015-06-27T00:48:05.899',
    eventSource: 'aws:dynamodb',
    ...changes,
  };
}

function bridge(changes: Json = {}): Json {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'Order Placed',
    source: 'com.example.orders',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { orderId: 'o-1' },
    ...changes,
  };
}

describe('Kinesis', () => {
  it('event id, decoded data, arrival time (epoch seconds), stream name, partition key and sequence', async () => {
    const { call, messages } = harness();
    const r = kinesis();
    await call('clicks', { Records: [r] });
    const m = messages[0]!;
    expect(m.id).toBe('shardId-000000000006:49590338271490256608559692538361571095921575989136588898');
    expect(m.text()).toBe('Hello, this is a test.');
    expect(m.enqueuedAt?.getTime()).toBe(1545084650987);
    expect(m.source).toBe('lambda-stream');
    expect(m.groupId).toBe('1');
    expect(m.sequence).toBe('49590338271490256608559692538361571095921575989136588898');
    expect(m.raw).toBe(r);
  });
  it('without an eventID the sequence number is the id; bad arrival times and partition keys are left out', async () => {
    const { call, messages } = harness();
    await call('clicks', {
      Records: [
        kinesis({ eventID: undefined }, { approximateArrivalTimestamp: 0, partitionKey: 5 }),
        kinesis({}, { sequenceNumber: '2', approximateArrivalTimestamp: 'soon' }),
      ],
    });
    expect(messages[0]!.id).toBe('49590338271490256608559692538361571095921575989136588898');
    expect(messages[0]!.enqueuedAt).toBeUndefined();
    expect(messages[0]!.groupId).toBeUndefined();
    expect(messages[1]!.enqueuedAt).toBeUndefined();
  });
  it('a failed record is reported by its sequence number (Lambda bisects the batch from it)', async () => {
    const { call } = harness((m) => m.sequence === '2');
    const res = await call('clicks', {
      Records: [kinesis({}, { sequenceNumber: '1' }), kinesis({}, { sequenceNumber: '2' })],
    });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });
  it('data that is not a string or not base64 fails that record and, the stream being ordered, the rest', async () => {
    const { call, lines, messages } = harness();
    const ok = kinesis({}, { sequenceNumber: '0' });
    const first = await call('clicks', {
      Records: [ok, kinesis({}, { sequenceNumber: '1', data: 5 }), kinesis({}, { sequenceNumber: '3' })],
    });
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '3' }] });
    const second = await call('clicks', { Records: [kinesis({}, { sequenceNumber: '2', data: '***' })] });
    expect(second).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(messages.map((m) => m.sequence)).toEqual(['0']);
    const text = JSON.stringify(lines);
    expect(text).toContain('Records[1].kinesis.data: must be a base64 string');
    expect(text).toContain('Records[0].kinesis.data: is not valid base64');
  });
  it('a record without a kinesis object or sequence number fails the whole batch', async () => {
    for (const [record, message] of [
      [{ eventSource: 'aws:kinesis' }, 'Records[1].kinesis: must hold a kinesis object'],
      [kinesis({}, { sequenceNumber: '' }), 'Records[1].kinesis.sequenceNumber: must be a string'],
      [kinesis({}, { sequenceNumber: 7 }), 'Records[1].kinesis.sequenceNumber: must be a string'],
    ] as const) {
      const { call } = harness();
      await expect(call('clicks', { Records: [kinesis(), record] })).rejects.toThrow(message);
    }
  });
});

describe('DynamoDB Streams', () => {
  it('the change record as JSON body, event name and view type as attributes, creation time, table name', async () => {
    const { call, messages } = harness();
    const r = dynamodb();
    await call('clicks', { Records: [r] });
    const m = messages[0]!;
    expect(m.id).toBe('1');
    expect(m.json()).toEqual(r.dynamodb);
    expect(m.contentType).toBe('application/json');
    expect(m.attributes).toEqual({ eventName: 'INSERT', streamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(m.enqueuedAt?.toISOString()).toBe('2015-04-09T00:00:00.000Z');
    expect(m.source).toBe('ExampleTableWithStream');
    expect(m.sequence).toBe('111');
    expect(m.raw).toBe(r);
  });
  it('without eventID the sequence number is the id; missing names and bad times are left out', async () => {
    const { call, messages } = harness();
    await call('clicks', {
      Records: [
        dynamodb(
          { eventID: undefined, eventName: 3 },
          { StreamViewType: undefined, ApproximateCreationDateTime: 0 },
        ),
        dynamodb({}, { SequenceNumber: '112', ApproximateCreationDateTime: 'x' }),
      ],
    });
    expect(messages[0]!.id).toBe('111');
    expect(Object.keys(messages[0]!.attributes)).toEqual([]);
    expect(messages[0]!.enqueuedAt).toBeUndefined();
    expect(messages[1]!.enqueuedAt).toBeUndefined();
  });
  it('a failed record is reported by its sequence number', async () => {
    const { call } = harness((m) => m.sequence === '112');
    const res = await call('clicks', {
      Records: [dynamodb({}, { SequenceNumber: '111' }), dynamodb({}, { SequenceNumber: '112' })],
    });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: '112' }] });
  });
  it('a record without a dynamodb object or sequence number fails the whole batch', async () => {
    for (const [record, message] of [
      [{ eventSource: 'aws:dynamodb' }, 'Records[1].dynamodb: must hold a dynamodb object'],
      [dynamodb({}, { SequenceNumber: '' }), 'Records[1].dynamodb.SequenceNumber: must be a string'],
      [dynamodb({}, { SequenceNumber: 112 }), 'Records[1].dynamodb.SequenceNumber: must be a string'],
    ] as const) {
      const { call } = harness();
      await expect(call('clicks', { Records: [dynamodb(), record] })).rejects.toThrow(message);
    }
  });
});

describe('EventBridge → CloudEvent', () => {
  it('id, source, detail-type → type, time, the one resource → subject, detail → data, account and region', async () => {
    const { call, events } = harness();
    await call('orders', bridge());
    expect(events[0]).toEqual({
      specversion: '1.0',
      id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      source: 'com.example.orders',
      type: 'Order Placed',
      time: '2017-12-22T18:43:48Z',
      subject: 'arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0',
      datacontenttype: 'application/json',
      data: { orderId: 'o-1' },
      awsaccount: '111122223333',
      awsregion: 'us-west-1',
    });
  });
  it('several resources, none, or a non-string one: no subject; a bad time, account or region is left out', async () => {
    const { call, events } = harness();
    await call('orders', bridge({ resources: ['a', 'b'], time: 'soon', account: 1, region: null }));
    await call('orders', bridge({ resources: [], time: 2017 }));
    await call('orders', bridge({ resources: [5] }));
    await call('orders', bridge({ resources: 'arn:x' }));
    for (const ev of events) expect(ev).not.toHaveProperty('subject');
    expect(events[0]).not.toHaveProperty('time');
    expect(events[1]).not.toHaveProperty('time');
    expect(events[0]).not.toHaveProperty('awsaccount');
    expect(events[0]).not.toHaveProperty('awsregion');
    expect(events).toHaveLength(4);
  });
  it('an empty id, source or detail-type is rejected naming the field', async () => {
    for (const [changes, message] of [
      [{ id: '' }, 'event.id: must be a non-empty string'],
      [{ id: 5 }, 'event.id: must be a non-empty string'],
      [{ source: '' }, 'event.source: must be a non-empty string'],
      [{ 'detail-type': '' }, 'event.detail-type: must be a non-empty string'],
    ] as const) {
      const { call, events } = harness();
      await expect(call('orders', bridge(changes))).rejects.toThrow(message);
      expect(events).toEqual([]);
    }
  });
});

describe('scheduled events', () => {
  for (const source of ['aws.events', 'aws.scheduler']) {
    it(`"Scheduled Event" from ${source}: the event id and time`, async () => {
      const { call, ticks } = harness();
      await call('nightly', bridge({ source, 'detail-type': 'Scheduled Event', detail: {} }));
      expect(ticks[0]).toMatchObject({
        id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
        name: 'nightly',
        isPastDue: false,
      });
      expect(ticks[0]!.scheduledTime.toISOString()).toBe('2017-12-22T18:43:48.000Z');
    });
  }
  it('without an id, the name and time make one', async () => {
    const { call, ticks } = harness();
    await call(
      'nightly',
      bridge({ source: 'aws.events', 'detail-type': 'Scheduled Event', id: undefined, detail: {} }),
    );
    expect(ticks[0]!.id).toBe('nightly@2017-12-22T18:43:48.000Z');
  });
  it('a tick without a usable time is rejected naming event.time', async () => {
    for (const time of ['soon', undefined, 5]) {
      const { call, ticks } = harness();
      await expect(
        call('nightly', bridge({ source: 'aws.events', 'detail-type': 'Scheduled Event', time, detail: {} })),
      ).rejects.toThrow('event.time: must be an ISO 8601 timestamp');
      expect(ticks).toEqual([]);
    }
  });
  it('another source or detail-type is no schedule tick', async () => {
    for (const changes of [
      { source: 'com.example', 'detail-type': 'Scheduled Event' },
      { source: 'aws.events', 'detail-type': 'Order Placed' },
    ]) {
      const { call, ticks } = harness();
      await expect(call('nightly', bridge({ ...changes, detail: {} }))).rejects.toThrow(
        '(schedule trigger) accepts',
      );
      expect(ticks).toEqual([]);
    }
  });
});
