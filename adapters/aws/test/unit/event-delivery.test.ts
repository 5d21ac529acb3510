/**
 * How each asynchronous and batch event source is delivered and answered, from AWS's docs:
 * - SQS partial batch responses (`batchItemFailures`), and FIFO queues stopping at the first failure:
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html;
 * - EventBridge rules can target FIFO queues (a message group id per target):
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html, and S3 events reach
 *   EventBridge as `Object Created` / `Object Deleted` events:
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html;
 * - SQS message attributes `{ stringValue | binaryValue, dataType }`:
 *   https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html; SNS `MessageAttributes` `{ Type, Value }`:
 *   https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html;
 * - asynchronous invocation (SNS, S3, EventBridge): a thrown error makes Lambda retry the event:
 *   https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html.
 */
import {
  defineApp,
  event,
  InvalidEventError,
  type Message,
  queue,
  type StorageEvent,
  schedule,
  storage,
  topic,
} from '@polycloud/core';
import { INVOKE_ENVELOPE_KEY, utf8 } from '@polycloud/core/adapter';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { s3EventBridgeEvent, s3Record, snsEvent, sqsRecord } from '../support/native-events.ts';

type Json = Record<string, any>;

function harness() {
  const lines: Json[] = [];
  const ran: string[] = [];
  const messages: Message[] = [];
  const onStorage = (ev: StorageEvent) => {
    ran.push(ev.key);
    if (ev.key.includes('fail')) throw new Error(`cannot process ${ev.key}`);
  };
  const onMessage = (m: Message) => {
    messages.push(m);
    if (m.text() === 'fail') throw new Error('failed');
  };
  const app = defineApp({
    functions: {
      files: storage('uploads', { events: ['created'] }, onStorage),
      jobs: queue('jobs', onMessage),
      news: topic('news', onMessage),
      nightly: schedule('nightly', '0 3 * * *', () => undefined),
      things: event({ type: 'Order Placed' }, () => undefined),
    },
  });
  const lambda = createLambda(app, { logWriter: (line) => lines.push(JSON.parse(line)) });
  const invoke = (fn: string, ev: unknown, requestId = 'req-1') =>
    lambda.handler(fn)(ev, lambdaContext({ requestId }));
  const failure = (fn: string, ev: unknown) =>
    invoke(fn, ev).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
  return { lines, ran, messages, invoke, failure };
}

/** An SQS record of a FIFO queue an EventBridge rule sends S3 events to. */
function fifoS3Record(id: string, key: string, seq: number): Json {
  const body = JSON.stringify(s3EventBridgeEvent({ type: 'created', bucket: 'uploads', key }));
  return sqsRecord({ messageId: id, body, groupId: 'uploads' }, 's3-events.fifo', seq);
}

describe('storage functions fed by SQS', () => {
  it('a FIFO queue stops at the first failed message: it and every later one are reported, none of the later ones run', async () => {
    const { invoke, ran } = harness();
    const res = await invoke('files', {
      Records: [
        fifoS3Record('m1', 'a.txt', 1),
        fifoS3Record('m2', 'fail.txt', 2),
        fifoS3Record('m3', 'c.txt', 3),
      ],
    });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect(ran).toEqual(['a.txt', 'fail.txt']);
  });
  it('a FIFO batch that all succeeds reports nothing', async () => {
    const { invoke, ran } = harness();
    const res = await invoke('files', { Records: [fifoS3Record('m1', 'a', 1), fifoS3Record('m2', 'b', 2)] });
    expect(res).toEqual({ batchItemFailures: [] });
    expect(ran).toEqual(['a', 'b']);
  });
  it('a malformed FIFO message blocks the rest of the batch too', async () => {
    const { invoke, ran } = harness();
    const bad = fifoS3Record('m1', 'a', 1);
    bad.body = '{"not": "an S3 event"}';
    const res = await invoke('files', { Records: [bad, fifoS3Record('m2', 'b', 2)] });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    expect(ran).toEqual([]);
  });
  it('a standard queue reports only the failed message; the others run', async () => {
    const { invoke, ran } = harness();
    const record = (id: string, key: string) =>
      sqsRecord(
        {
          messageId: id,
          body: JSON.stringify({ Records: [s3Record({ type: 'created', bucket: 'uploads', key })] }),
        },
        's3-events',
      );
    const res = await invoke('files', { Records: [record('m1', 'fail.txt'), record('m2', 'b.txt')] });
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(ran).toEqual(['fail.txt', 'b.txt']);
  });
  it('an SQS record that is malformed but has its messageId is reported alone and logged', async () => {
    const { invoke, lines, ran } = harness();
    const bad = sqsRecord({ messageId: 'bad-1', body: 'x' }, 's3-events');
    bad.body = { not: 'a string' };
    const good = sqsRecord(
      {
        messageId: 'ok-1',
        body: JSON.stringify({ Records: [s3Record({ type: 'created', bucket: 'uploads', key: 'k' })] }),
      },
      's3-events',
    );
    expect(await invoke('files', { Records: [bad, good] })).toEqual({
      batchItemFailures: [{ itemIdentifier: 'bad-1' }],
    });
    expect(ran).toEqual(['k']);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'rejected malformed record; reported in batchItemFailures',
        function: 'files',
        requestId: 'req-1',
        record: 'Records[0]',
        itemIdentifier: 'bad-1',
        error: 'Records[0].body: must be a string',
      }),
    );
  });
  it('an SQS record without a usable messageId fails the whole batch, naming why', async () => {
    for (const messageId of [undefined, '', 42]) {
      const { failure, ran } = harness();
      const bad = sqsRecord({ messageId: 'x', body: '{}' }, 's3-events');
      bad.messageId = messageId;
      const error = await failure('files', { Records: [bad] });
      expect(error).toBeInstanceOf(InvalidEventError);
      expect(error?.message).toBe(
        'Records[0]: record has no identifier Lambda could redeliver it by (Records[0].messageId: must be a non-empty string); failing the whole batch',
      );
      expect(ran).toEqual([]);
    }
  });
});

describe('storage functions fed directly, by SNS and by EventBridge', () => {
  it('a malformed S3 record is rejected through core: one WARN line, the error thrown so Lambda retries', async () => {
    const { failure, lines, ran } = harness();
    const record = s3Record({ type: 'created', bucket: 'uploads', key: 'a' });
    delete record.s3;
    const error = await failure('files', { Records: [record] });
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(ran).toEqual([]);
    const warn = lines.filter((l) => l.level === 'WARN');
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatchObject({ message: 'rejected invalid event', error: error!.message });
  });
  it('a malformed SNS record of S3 notifications is rejected naming its path', async () => {
    const { failure, ran } = harness();
    const ev = snsEvent({ id: 'n1', body: utf8('{}') }, 'uploads-topic') as Json;
    ev.Records[0].Sns.Message = 42;
    const error = await failure('files', ev);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error?.message).toMatch(/^Records\[0\]\.Sns: /);
    expect(ran).toEqual([]);
  });
  it('an S3 event via EventBridge with no neutral counterpart is acknowledged unrun, with one INFO line', async () => {
    const { invoke, lines, ran } = harness();
    // S3 sends "Object Restore Completed" to EventBridge too (S3 user guide, EventBridge event types); no neutral storage event stands for it.
    const ev = {
      ...s3EventBridgeEvent({ type: 'created', bucket: 'uploads', key: 'tagged' }),
      'detail-type': 'Object Restore Completed',
    };
    expect(await invoke('files', ev)).toBeUndefined();
    expect(ran).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'event has nothing for this function; acknowledged without running the handler',
        function: 'files',
        requestId: 'req-1',
        record: 'event',
        reason: 'S3 EventBridge event "Object Restore Completed" has no neutral storage event type',
      }),
    );
  });
  it('several failed records: the error lists each failed record, in order', async () => {
    const { failure, ran } = harness();
    const records = ['fail-1', 'ok', 'fail-2'].map((key) =>
      s3Record({ type: 'created', bucket: 'uploads', key }),
    );
    const error = await failure('files', { Records: records });
    expect(error).toBeInstanceOf(AggregateError);
    expect(error?.message).toBe('2 of 3 records failed: Records[0], Records[2]');
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual([
      'cannot process fail-1',
      'cannot process fail-2',
    ]);
    expect(ran).toEqual(['fail-1', 'ok', 'fail-2']);
  });
});

describe('events that are no JSON object are refused by every kind, never a crash', () => {
  for (const fn of ['files', 'jobs', 'news', 'nightly', 'things']) {
    it(fn, async () => {
      const { failure } = harness();
      for (const ev of [null, undefined, 'Records', 7, [{ eventSource: 'aws:sqs' }]]) {
        const error = await failure(fn, ev);
        expect(error, `${fn} ${JSON.stringify(ev)}`).toBeInstanceOf(InvalidEventError);
        expect(error?.message).toContain(`function "${fn}"`);
      }
    });
  }
});

describe('message attributes', () => {
  it('SQS: string and binary values; attributes without a value, null ones and non-objects are left out', async () => {
    const { invoke, messages } = harness();
    const record = sqsRecord({ messageId: 'm', body: 'x' }, 'jobs');
    record.messageAttributes = {
      tenant: { stringValue: 'acme', dataType: 'String' },
      blob: { binaryValue: 'AAEC', dataType: 'Binary' },
      empty: { dataType: 'String' },
      none: null,
      text: 'acme',
    };
    await invoke('jobs', { Records: [record] });
    expect(messages[0]!.attributes).toStrictEqual({ tenant: 'acme', blob: 'AAEC' });
  });
  it('SQS: messageAttributes that is a list is no attribute map', async () => {
    const { invoke, messages } = harness();
    const record = sqsRecord({ messageId: 'm', body: 'x' }, 'jobs');
    record.messageAttributes = [{ stringValue: 'acme', dataType: 'String' }];
    await invoke('jobs', { Records: [record] });
    expect(messages[0]!.attributes).toStrictEqual({});
  });
  it('SNS: `Value` strings only; attributes without one, null ones and lists are left out', async () => {
    const { invoke, messages } = harness();
    const ev = snsEvent({ id: 'n', body: utf8('x') }, 'news') as Json;
    ev.Records[0].Sns.MessageAttributes = {
      tenant: { Type: 'String', Value: 'acme' },
      count: { Type: 'Number', Value: '3' },
      empty: { Type: 'String' },
      none: null,
      text: 'acme',
    };
    await invoke('news', ev);
    expect(messages[0]!.attributes).toStrictEqual({ tenant: 'acme', count: '3' });
    const list = snsEvent({ id: 'n2', body: utf8('x') }, 'news') as Json;
    list.Records[0].Sns.MessageAttributes = [{ Type: 'String', Value: 'acme' }];
    await invoke('news', list);
    expect(messages[1]!.attributes).toStrictEqual({});
  });
  it('an unknown polycloud-body-encoding is named, clipped to 40 characters', async () => {
    const { invoke, lines } = harness();
    const record = sqsRecord({ messageId: 'm', body: 'x' }, 'jobs');
    record.messageAttributes = {
      'polycloud-body-encoding': { stringValue: `gzip${'z'.repeat(100)}`, dataType: 'String' },
    };
    expect(await invoke('jobs', { Records: [record] })).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm' }],
    });
    expect(lines.find((l) => l.level === 'WARN')?.error).toBe(
      `Records[0].body: unknown polycloud-body-encoding "gzip${'z'.repeat(36)}" (only "base64")`,
    );
  });
  it('a byte body keeps the other attributes and hides the encoding mark', async () => {
    const { invoke, messages } = harness();
    const record = sqsRecord({ messageId: 'm', body: 'AAEC' }, 'jobs');
    record.messageAttributes = {
      'polycloud-body-encoding': { stringValue: 'base64', dataType: 'String' },
      tenant: { stringValue: 'acme', dataType: 'String' },
    };
    await invoke('jobs', { Records: [record] });
    expect(messages[0]!.attributes).toStrictEqual({ tenant: 'acme' });
    expect([...messages[0]!.body]).toEqual([0, 1, 2]);
  });
});

describe('direct invoke envelope', () => {
  it('an envelope that is no object is refused, naming its shape', async () => {
    for (const envelope of ['jobs', null, ['jobs'], 3]) {
      const { failure } = harness();
      const error = await failure('jobs', { [INVOKE_ENVELOPE_KEY]: envelope });
      expect(error).toBeInstanceOf(InvalidEventError);
      expect(error?.message).toBe('polycloud:invoke: must be an object { function, payload }');
    }
  });
});
