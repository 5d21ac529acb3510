/**
 * SQS and SNS records as queue and topic functions receive them, field by field, from the documented
 * event shapes: SQS (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html, the example event and
 * "Message attributes"), SNS (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html) and the SNS
 * envelope an SQS subscription without raw message delivery receives
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html).
 */
import { defineApp, InvalidEventError, type Message, queue, topic } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { snsEvent, snsNotification, sqsRecord } from '../support/native-events.ts';

type Json = Record<string, any>;

function harness(fail: (m: Message) => boolean = () => false) {
  const seen: Message[] = [];
  const lines: Json[] = [];
  const handler = (m: Message) => {
    seen.push(m);
    if (fail(m)) throw new Error(`failed ${m.id}`);
  };
  const app = defineApp({ functions: { orders: queue('orders', handler), news: topic('news', handler) } });
  const lambda = createLambda(app, { logWriter: (line) => lines.push(JSON.parse(line)) });
  return {
    seen,
    lines,
    queue: (event: unknown) => lambda.handler('orders')(event, lambdaContext()),
    topic: (event: unknown) => lambda.handler('news')(event, lambdaContext()),
  };
}

/** The documented SQS example record (standard queue), with `changes` applied (undefined deletes). */
function sqs(changes: Json = {}, queueName = 'orders'): Json {
  const r = sqsRecord(
    { messageId: '059f36b4-87a3-44ab-83d2-661975830a7d', body: 'Test message.' },
    queueName,
  ) as Json;
  r.attributes.ApproximateReceiveCount = '1';
  r.attributes.SentTimestamp = '1545082649183';
  return apply(r, changes);
}

function apply(target: Json, changes: Json): Json {
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const last = keys.pop()!;
    let at = target;
    for (const key of keys) at = at[key];
    if (value === undefined) delete at[last];
    else at[last] = value;
  }
  return target;
}

describe('SQS records', () => {
  it('id, body, receive count, sent time and queue name as documented', async () => {
    const { queue, seen } = harness();
    const r = sqs();
    await queue({ Records: [r] });
    const m = seen[0]!;
    expect(m.id).toBe('059f36b4-87a3-44ab-83d2-661975830a7d');
    expect(m.text()).toBe('Test message.');
    expect(m.deliveryCount).toBe(1);
    expect(m.enqueuedAt?.getTime()).toBe(1545082649183);
    expect(m.source).toBe('orders');
    expect(m.groupId).toBeUndefined();
    expect(m.sequence).toBeUndefined();
    expect(m.raw).toBe(r);
  });
  it('ApproximateReceiveCount is the delivery count; one that is no positive integer reads as a first delivery', async () => {
    const { queue, seen } = harness();
    const counts = ['3', '0', '-2', '1.5', 'x'];
    await queue({
      Records: counts.map((c, i) => sqs({ messageId: `m${i}`, 'attributes.ApproximateReceiveCount': c })),
    });
    expect(seen.map((m) => m.deliveryCount)).toEqual([3, 1, 1, 1, 1]);
  });
  it('a SentTimestamp that is 0 or not a number gives no enqueue time', async () => {
    const { queue, seen } = harness();
    await queue({
      Records: [
        sqs({ messageId: 'a', 'attributes.SentTimestamp': '0' }),
        sqs({ messageId: 'b', 'attributes.SentTimestamp': 'soon' }),
        sqs({ messageId: 'c', 'attributes.SentTimestamp': undefined }),
      ],
    });
    expect(seen.map((m) => m.enqueuedAt)).toEqual([undefined, undefined, undefined]);
  });
  it('records without an eventSourceARN are still delivered (no queue name), not a crash', async () => {
    const { queue, seen } = harness();
    await queue({
      Records: [sqs({ eventSourceARN: undefined }), sqs({ messageId: 'b', eventSourceARN: undefined })],
    });
    expect(seen.map((m) => [m.id, m.source])).toEqual([
      ['059f36b4-87a3-44ab-83d2-661975830a7d', ''],
      ['b', ''],
    ]);
  });
  it('a record without attributes is still a message', async () => {
    const { queue, seen } = harness();
    await queue({ Records: [sqs({ attributes: undefined })] });
    expect(seen.map((m) => m.deliveryCount)).toEqual([1]);
  });
  it('FIFO: MessageGroupId is the group, SequenceNumber the sequence, ".fifo" is not part of the name', async () => {
    const { queue, seen } = harness();
    await queue({ Records: [sqsRecord({ messageId: 'f1', body: 'x', groupId: 'g-7' }, 'orders.fifo', 4)] });
    expect(seen[0]!.groupId).toBe('g-7');
    expect(seen[0]!.sequence).toBe('18000000000000000004');
    expect(seen[0]!.source).toBe('orders');
  });
  it('message attributes: string values, and binary values as Lambda delivers them (base64)', async () => {
    const { queue, seen } = harness();
    await queue({
      Records: [
        sqs({
          messageAttributes: {
            Author: { stringValue: 'Jane', dataType: 'String', stringListValues: [], binaryListValues: [] },
            Count: { stringValue: '7', dataType: 'Number' },
            Blob: { binaryValue: 'AAEC', dataType: 'Binary' },
            Broken: 'not an attribute',
            Empty: { dataType: 'String' },
          },
        }),
      ],
    });
    expect(seen[0]!.attributes).toEqual({ Author: 'Jane', Count: '7', Blob: 'AAEC' });
  });
  it('no usable message attributes: an empty attribute map', async () => {
    const { queue, seen } = harness();
    await queue({
      Records: [sqs({ messageAttributes: { Broken: 1 } }), sqs({ messageId: 'b', messageAttributes: 'x' })],
    });
    expect(seen.map((m) => m.attributes)).toEqual([{}, {}]);
  });
  it('a byte body sent by Queue.send (base64, marked) arrives as the exact bytes; the mark is hidden', async () => {
    const { queue, seen } = harness();
    await queue({
      Records: [
        sqs({
          body: Buffer.from([0, 255, 1]).toString('base64'),
          messageAttributes: {
            'polycloud-body-encoding': { stringValue: 'base64', dataType: 'String' },
            kind: { stringValue: 'raw', dataType: 'String' },
          },
        }),
        sqs({
          messageId: 'only-mark',
          body: 'AQ==',
          messageAttributes: { 'polycloud-body-encoding': { stringValue: 'base64', dataType: 'String' } },
        }),
      ],
    });
    expect([...seen[0]!.body]).toEqual([0, 255, 1]);
    expect(seen[0]!.attributes).toEqual({ kind: 'raw' });
    expect([...seen[1]!.body]).toEqual([1]);
    expect(seen[1]!.attributes).toEqual({});
  });
  it('a body marked base64 that is not base64, or an unknown encoding, fails that message only', async () => {
    const { queue, seen, lines } = harness();
    const mark = (v: string) => ({ 'polycloud-body-encoding': { stringValue: v, dataType: 'String' } });
    const res = await queue({
      Records: [
        sqs({ messageId: 'bad64', body: 'not base64!', messageAttributes: mark('base64') }),
        sqs({ messageId: 'gzip', body: 'AQ==', messageAttributes: mark('gzip') }),
        sqs({ messageId: 'ok' }),
      ],
    });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad64' }, { itemIdentifier: 'gzip' }] });
    expect(seen.map((m) => m.id)).toEqual(['ok']);
    const text = JSON.stringify(lines);
    expect(text).toContain('Records[0].body: is marked polycloud-body-encoding: base64 but is not base64');
    expect(text).toContain('Records[1].body: unknown polycloud-body-encoding \\"gzip\\" (only \\"base64\\")');
  });

  const malformed: [what: string, changes: Json, message: string][] = [
    ['a body that is not a string', { body: 5 }, 'Records[0].body: must be a string'],
    ['attributes that are not an object', { attributes: 'x' }, 'Records[0].attributes: must be an object'],
  ];
  for (const [what, changes, message] of malformed) {
    it(`a record with ${what} fails that message only, naming the field`, async () => {
      const { queue, seen, lines } = harness();
      const res = await queue({ Records: [sqs({ messageId: 'bad', ...changes }), sqs({ messageId: 'ok' })] });
      expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
      expect(seen.map((m) => m.id)).toEqual(['ok']);
      expect(JSON.stringify(lines)).toContain(message);
    });
  }
  it('a record with an empty or missing messageId fails the whole batch: Lambda cannot redeliver it alone', async () => {
    for (const messageId of ['', undefined, 7]) {
      const { queue, seen } = harness();
      await expect(queue({ Records: [sqs({ messageId: 'ok' }), sqs({ messageId })] })).rejects.toThrow(
        'Records[1]: record has no identifier Lambda could redeliver it by (Records[1].messageId: must be a non-empty string); failing the whole batch',
      );
      expect(seen).toEqual([]);
    }
  });
  it('a record that is not an object fails the whole batch', async () => {
    const { queue } = harness();
    for (const bad of ['x', null]) {
      await expect(queue({ Records: [sqs(), bad] })).rejects.toThrow(
        'Records[1]: record has no identifier Lambda could redeliver it by (Records[1]: must be an object)',
      );
    }
  });

  describe('FIFO batches stop at the first failure (the rest are reported failed, unrun)', () => {
    const fifoFailure = { batchItemFailures: [{ itemIdentifier: 'b' }, { itemIdentifier: 'c' }] };
    it('recognised by a queue ARN ending in .fifo', async () => {
      const { queue, seen } = harness((m) => m.id === 'b');
      const records = ['a', 'b', 'c'].map((id) => sqs({ messageId: id, attributes: {} }, 'orders.fifo'));
      expect(await queue({ Records: records })).toEqual(fifoFailure);
      expect(seen.map((m) => m.id)).toEqual(['a', 'b']);
    });
    it('recognised by MessageGroupId on the record (whatever the ARN says)', async () => {
      const { queue, seen } = harness((m) => m.id === 'b');
      const records = ['a', 'b', 'c'].map((id) =>
        sqs({
          messageId: id,
          'attributes.MessageGroupId': 'g',
          eventSourceARN: 'arn:aws:sqs:us-east-1:1:orders',
        }),
      );
      expect(await queue({ Records: records })).toEqual(fifoFailure);
      expect(seen.map((m) => m.id)).toEqual(['a', 'b']);
    });
    it('a standard queue runs every message and reports only the failed one', async () => {
      const { queue, seen } = harness((m) => m.id === 'b');
      const records = ['a', 'b', 'c'].map((id) => sqs({ messageId: id }));
      expect(await queue({ Records: records })).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
      expect(seen.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    });
    it('a MessageGroupId that is not a string does not make a batch FIFO', async () => {
      const { queue, seen } = harness((m) => m.id === 'b');
      const records = ['a', 'b', 'c'].map((id) =>
        sqs({ messageId: id, 'attributes.MessageGroupId': 3, 'attributes.SequenceNumber': 4 }),
      );
      expect(await queue({ Records: records })).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
      expect(seen.map((m) => m.id)).toEqual(['a', 'b', 'c']);
      expect(seen[0]!.groupId).toBeUndefined();
      expect(seen[0]!.sequence).toBeUndefined();
    });
  });
});

describe('SNS envelopes in SQS bodies (raw message delivery off) for topic functions', () => {
  function envelope(changes: Json = {}): Json {
    const n = snsNotification(
      { id: 'sns-42', body: new TextEncoder().encode('hello'), attributes: { a: '1' } },
      'news',
    );
    n.Timestamp = '2019-01-02T12:45:07.000Z';
    return apply(n, changes);
  }
  it('the handler sees the published message: SNS id, text, attributes, topic name and timestamp', async () => {
    const { topic, seen } = harness();
    const r = sqs(
      { body: JSON.stringify(envelope()), 'attributes.ApproximateReceiveCount': '2' },
      'news-queue',
    );
    await topic({ Records: [r] });
    const m = seen[0]!;
    expect(m.id).toBe('sns-42');
    expect(m.text()).toBe('hello');
    expect(m.attributes).toEqual({ a: '1' });
    expect(m.source).toBe('news');
    expect(m.enqueuedAt?.toISOString()).toBe('2019-01-02T12:45:07.000Z');
    expect(m.deliveryCount).toBe(2);
    expect(m.raw).toBe(r);
  });
  it('on a FIFO queue the SQS message group is the group', async () => {
    const { topic, seen } = harness();
    const r = sqsRecord(
      { messageId: 'q1', body: JSON.stringify(envelope()), groupId: 'grp' },
      'news.fifo',
      1,
    );
    await topic({ Records: [r] });
    expect(seen[0]!.groupId).toBe('grp');
  });
  it('a body that only mentions "Notification", or is no SNS envelope, is the message itself', async () => {
    const { topic, seen } = harness();
    const notJson = 'a "Notification" in plain text';
    const noTopic = JSON.stringify({ Type: 'Notification', MessageId: 'x', Message: 'm' });
    await topic({
      Records: [sqs({ messageId: 'a', body: notJson }), sqs({ messageId: 'b', body: noTopic })],
    });
    expect(seen.map((m) => [m.id, m.text()])).toEqual([
      ['a', notJson],
      ['b', noTopic],
    ]);
  });
  it('an envelope missing any documented field (Type, MessageId, TopicArn, Message) is the message itself', async () => {
    const { topic, seen } = harness();
    const variants = [
      envelope({ Type: 'SubscriptionConfirmation', Subject: 'Notification' }),
      envelope({ MessageId: undefined }),
      envelope({ TopicArn: undefined }),
      envelope({ Message: undefined, Note: 'Notification' }),
    ];
    await topic({ Records: variants.map((e, i) => sqs({ messageId: `q${i}`, body: JSON.stringify(e) })) });
    expect(seen.map((m) => m.id)).toEqual(['q0', 'q1', 'q2', 'q3']);
    expect(seen.map((m) => m.source)).toEqual(['orders', 'orders', 'orders', 'orders']);
  });
  it('an enveloped byte body that is not base64 fails that message, naming body.Message', async () => {
    const { topic, seen, lines } = harness();
    const e = envelope({
      Message: '***',
      MessageAttributes: { 'polycloud-body-encoding': { Type: 'String', Value: 'base64' } },
    });
    const res = await topic({
      Records: [sqs({ messageId: 'bad', body: JSON.stringify(e) }), sqs({ messageId: 'ok' })],
    });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
    expect(seen.map((m) => m.id)).toEqual(['ok']);
    expect(JSON.stringify(lines)).toContain('Records[0].body.Message: is marked polycloud-body-encoding');
  });
  it('a queue function gets the envelope as it is (only topic functions unwrap it)', async () => {
    const { queue, seen } = harness();
    const body = JSON.stringify(envelope());
    await queue({ Records: [sqs({ body })] });
    expect(seen[0]!.text()).toBe(body);
    expect(seen[0]!.id).toBe('059f36b4-87a3-44ab-83d2-661975830a7d');
  });
  it('a malformed SQS record is still reported for a topic function', async () => {
    const { topic, seen } = harness();
    const res = await topic({ Records: [sqs({ messageId: 'bad', body: 1 }), sqs({ messageId: 'ok' })] });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
    expect(seen.map((m) => m.id)).toEqual(['ok']);
  });
});

describe('SNS records (SNS → Lambda)', () => {
  function event(changes: Json = {}): Json {
    const ev = snsEvent(
      { id: '95df01b4-ee98-5cb9-9903-4c221d41eb5e', body: new TextEncoder().encode('Hello from SNS!') },
      'news',
    ) as Json;
    ev.Records[0].Sns.Timestamp = '2019-01-02T12:45:07.000Z';
    ev.Records[0].Sns.MessageAttributes = {
      Test: { Type: 'String', Value: 'TestString' },
      TestBinary: { Type: 'Binary', Value: 'TestBinary' },
      Broken: { Type: 'String' },
    };
    return apply(ev, changes);
  }
  it('MessageId, Message, MessageAttributes, topic name and Timestamp as documented', async () => {
    const { topic, seen } = harness();
    const ev = event();
    await topic(ev);
    const m = seen[0]!;
    expect(m.id).toBe('95df01b4-ee98-5cb9-9903-4c221d41eb5e');
    expect(m.text()).toBe('Hello from SNS!');
    expect(m.attributes).toEqual({ Test: 'TestString', TestBinary: 'TestBinary' });
    expect(m.source).toBe('news');
    expect(m.enqueuedAt?.toISOString()).toBe('2019-01-02T12:45:07.000Z');
    expect(m.deliveryCount).toBe(1);
    expect(m.raw).toBe(ev.Records[0]);
  });
  it('FIFO topics: MessageGroupId and SequenceNumber', async () => {
    const { topic, seen } = harness();
    await topic(
      event({
        'Records.0.Sns.MessageGroupId': 'g1',
        'Records.0.Sns.SequenceNumber': '10000000000000000001',
        'Records.0.Sns.TopicArn': 'arn:aws:sns:us-east-1:123456789012:news.fifo',
      }),
    );
    expect(seen[0]!.groupId).toBe('g1');
    expect(seen[0]!.sequence).toBe('10000000000000000001');
    expect(seen[0]!.source).toBe('news');
  });
  it('a Timestamp that is not a time, or not a string, gives no enqueue time', async () => {
    const { topic, seen } = harness();
    await topic(event({ 'Records.0.Sns.Timestamp': 'yesterday' }));
    await topic(event({ 'Records.0.Sns.Timestamp': 1546433107000 }));
    expect(seen.map((m) => m.enqueuedAt)).toEqual([undefined, undefined]);
  });
  it('an Sns object without its Type field (as some local emulators send it) is still a notification', async () => {
    const { topic, seen } = harness();
    await topic(event({ 'Records.0.Sns.Type': undefined }));
    expect(seen.map((m) => m.text())).toEqual(['Hello from SNS!']);
  });
  it('a MessageGroupId or SequenceNumber that is not a string is left out', async () => {
    const { topic, seen } = harness();
    await topic(event({ 'Records.0.Sns.MessageGroupId': 5, 'Records.0.Sns.SequenceNumber': 6 }));
    expect(seen[0]!.groupId).toBeUndefined();
    expect(seen[0]!.sequence).toBeUndefined();
  });
  it('no MessageAttributes: an empty attribute map', async () => {
    const { topic, seen } = harness();
    await topic(event({ 'Records.0.Sns.MessageAttributes': undefined }));
    expect(seen[0]!.attributes).toEqual({});
  });
  const malformed: [what: string, changes: Json, message: string][] = [
    ['no Sns object', { 'Records.0.Sns': undefined }, 'Records[0].Sns: must hold an Sns object'],
    [
      'no MessageId',
      { 'Records.0.Sns.MessageId': undefined },
      'Records[0].Sns: must carry string MessageId, TopicArn and Message',
    ],
    [
      'a TopicArn that is not a string',
      { 'Records.0.Sns.TopicArn': 1 },
      'Records[0].Sns: must carry string MessageId, TopicArn and Message',
    ],
    [
      'a Message that is not a string',
      { 'Records.0.Sns.Message': { a: 1 } },
      'Records[0].Sns: must carry string MessageId, TopicArn and Message',
    ],
  ];
  for (const [what, changes, message] of malformed) {
    it(`a notification with ${what} is rejected naming the field; the handler does not run`, async () => {
      const { topic, seen } = harness();
      const error = await topic(event(changes)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidEventError);
      expect((error as Error).message).toBe(message);
      expect(seen).toEqual([]);
    });
  }
  it('a byte body published by Topic.publish (base64, marked) arrives as the exact bytes', async () => {
    const { topic, seen } = harness();
    await topic(
      event({
        'Records.0.Sns.Message': Buffer.from([9, 8, 250]).toString('base64'),
        'Records.0.Sns.MessageAttributes': { 'polycloud-body-encoding': { Type: 'String', Value: 'base64' } },
      }),
    );
    expect([...seen[0]!.body]).toEqual([9, 8, 250]);
    expect(seen[0]!.attributes).toEqual({});
  });
  it('a marked body that is not base64 is rejected naming Sns.Message', async () => {
    const { topic, seen } = harness();
    const error = await topic(
      event({
        'Records.0.Sns.Message': '***',
        'Records.0.Sns.MessageAttributes': { 'polycloud-body-encoding': { Type: 'String', Value: 'base64' } },
      }),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'Records[0].Sns.Message: is marked polycloud-body-encoding: base64 but is not base64',
    );
    expect(seen).toEqual([]);
  });
});
