import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message as SqsMessage,
} from '@aws-sdk/client-sqs';
import { defineApp, type Message, Queue, queue, Topic, topic } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsQueue } from '../../src/clients/queue-client.ts';
import { createSnsTopic } from '../../src/clients/topic-client.ts';
import { createLambda } from '../../src/index.ts';
import { type Fauxqs, startFauxqs } from '../support/fauxqs.ts';
import { lambdaContext } from '../support/lambda-context.ts';

// Queue and Topic on AWS against fauxqs, a real SQS/SNS emulator speaking the AWS wire protocol:
// what polycloud sends is received with the SDK, then fed back as a Lambda SQS event through the
// polycloud handler, so both directions of the adapter are checked on the same message.

const CREDENTIAL_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;
const savedEnv: Record<string, string | undefined> = {};
let fauxqs: Fauxqs;
let sqs: SQSClient;
let sns: SNSClient;
const urls: Record<string, string> = {};
const arns: Record<string, string> = {};

const received: Message[] = [];
const app = defineApp({
  name: 'svc',
  functions: {
    work: queue('orders', (message) => {
      received.push(message);
    }),
    onEvent: topic('events', (message) => {
      received.push(message);
    }),
  },
});

function lambda(extra: Record<string, unknown> = {}) {
  const config = resolveConfig(
    { provider: 'aws', providers: { aws: { endpoint: fauxqs.endpoint, region: 'us-east-1', ...extra } } },
    {},
  );
  return createLambda(app, { config, logWriter: () => undefined });
}

async function queueArn(url: string): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return out.Attributes!.QueueArn!;
}

async function createQueue(name: string): Promise<void> {
  const fifo = name.endsWith('.fifo');
  const out = await sqs.send(
    new CreateQueueCommand({ QueueName: name, ...(fifo ? { Attributes: { FifoQueue: 'true' } } : {}) }),
  );
  urls[name] = out.QueueUrl!;
}

/** The next `expected` messages of a queue, deleted (bounded: 1 s long polls, five rounds). */
async function receiveAll(queueName: string, expected = 1): Promise<SqsMessage[]> {
  const out: SqsMessage[] = [];
  for (let round = 0; round < 5 && out.length < expected; round++) {
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: urls[queueName],
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    for (const m of got.Messages ?? []) {
      out.push(m);
      // Deleted at once: the next test starts from an empty queue, and a FIFO group (one message in
      // flight at a time) releases its next message.
      await sqs.send(new DeleteMessageCommand({ QueueUrl: urls[queueName], ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return out;
}

/** A received SQS message as Lambda's SQS event source mapping hands it to a function. */
async function lambdaSqsEvent(queueName: string, messages: SqsMessage[]) {
  const arn = await queueArn(urls[queueName]!);
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body,
      attributes: m.Attributes ?? {},
      messageAttributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
          k,
          { stringValue: v.StringValue, stringListValues: [], binaryListValues: [], dataType: v.DataType },
        ]),
      ),
      md5OfBody: m.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
      awsRegion: 'us-east-1',
    })),
  };
}

async function roundTrip(functionName: 'work' | 'onEvent', queueName: string, messages: SqsMessage[]) {
  received.length = 0;
  const result = await lambda().handler(functionName)(
    await lambdaSqsEvent(queueName, messages),
    lambdaContext(),
  );
  expect(result).toEqual({ batchItemFailures: [] });
  return [...received];
}

beforeAll(async () => {
  for (const name of CREDENTIAL_ENV) savedEnv[name] = process.env[name];
  // The SDK's default chain, as in Lambda, but with the emulator's throwaway credentials.
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = 'us-east-1';
  fauxqs = await startFauxqs();
  const target = { endpoint: fauxqs.endpoint, region: 'us-east-1' };
  sqs = new SQSClient(target);
  sns = new SNSClient(target);
  for (const name of [
    'orders',
    'orders.fifo',
    'other',
    'delayed',
    'events-sub',
    'events-raw',
    'events-sub.fifo',
  ]) {
    await createQueue(name);
  }
  arns.events = (await sns.send(new CreateTopicCommand({ Name: 'events' }))).TopicArn!;
  arns['events.fifo'] = (
    await sns.send(new CreateTopicCommand({ Name: 'events.fifo', Attributes: { FifoTopic: 'true' } }))
  ).TopicArn!;
  for (const [t, q, raw] of [
    ['events', 'events-sub', false],
    ['events', 'events-raw', true],
    ['events.fifo', 'events-sub.fifo', false],
  ] as const) {
    await sns.send(
      new SubscribeCommand({
        TopicArn: arns[t],
        Protocol: 'sqs',
        Endpoint: await queueArn(urls[q]!),
        ...(raw ? { Attributes: { RawMessageDelivery: 'true' } } : {}),
      }),
    );
  }
}, 30_000);

afterAll(async () => {
  sqs?.destroy();
  sns?.destroy();
  await fauxqs?.stop();
  for (const name of CREDENTIAL_ENV) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

describe('Queue on AWS (SQS SendMessage)', () => {
  it('sends text with String attributes, found by GetQueueUrl, and reads back as the same Message', async () => {
    const { id } = await lambda()
      .runtime.resolve(Queue)
      .send('orders', 'hello', {
        attributes: { tenant: 'acme', 'trace.id': 't-1' },
      });
    const [m] = await receiveAll('orders');
    expect(m!.MessageId).toBe(id);
    expect(m!.Body).toBe('hello');
    expect(m!.MessageAttributes).toEqual({
      tenant: { DataType: 'String', StringValue: 'acme' },
      'trace.id': { DataType: 'String', StringValue: 't-1' },
    });
    const [message] = await roundTrip('work', 'orders', [m!]);
    expect(message!.id).toBe(id);
    expect(message!.text()).toBe('hello');
    expect(message!.attributes).toEqual({ tenant: 'acme', 'trace.id': 't-1' });
    expect(message!.source).toBe('orders');
    expect(message!.deliveryCount).toBe(1);
  });

  it('sends a JSON value as its JSON text', async () => {
    await lambda()
      .runtime.resolve(Queue)
      .send('orders', { n: 1, tags: ['a'] });
    const [m] = await receiveAll('orders');
    expect(m!.Body).toBe('{"n":1,"tags":["a"]}');
    const [message] = await roundTrip('work', 'orders', [m!]);
    expect(message!.json()).toEqual({ n: 1, tags: ['a'] });
  });

  it('sends bytes as base64 marked polycloud-body-encoding, and the handler gets the exact bytes back', async () => {
    // Bytes SQS could not carry as text: NUL, a lone surrogate half, invalid UTF-8.
    const bytes = new Uint8Array([0, 1, 2, 0xff, 0xfe, 0xed, 0xa0, 0x80, 10, 13]);
    await lambda()
      .runtime.resolve(Queue)
      .send('orders', bytes, { attributes: { kind: 'raw' } });
    const [m] = await receiveAll('orders');
    expect(m!.Body).toBe(Buffer.from(bytes).toString('base64'));
    expect(m!.MessageAttributes?.['polycloud-body-encoding']).toEqual({
      DataType: 'String',
      StringValue: 'base64',
    });
    const [message] = await roundTrip('work', 'orders', [m!]);
    expect(message!.body).toEqual(bytes);
    // The marker is transport detail: the handler sees only what the sender set.
    expect(message!.attributes).toEqual({ kind: 'raw' });
  });

  it('delays by whole seconds, rounded up (delayMs 1500 → DelaySeconds 2)', async () => {
    const { id } = await lambda().runtime.resolve(Queue).send('delayed', 'later', { delayMs: 1_500 });
    // fauxqs's inspection endpoint shows where the message waits without receiving it.
    const inspect = (await (await fetch(`${fauxqs.endpoint}/_fauxqs/queues/delayed`)).json()) as {
      messages: {
        ready: unknown[];
        delayed: { messageId: string; delayUntil: number; sentTimestamp: number }[];
      };
    };
    expect(inspect.messages.ready).toEqual([]);
    const delayed = inspect.messages.delayed.find((d) => d.messageId === id);
    // Exactly DelaySeconds 2: rounding down (1) or passing milliseconds through would not give 2000.
    expect(delayed!.delayUntil - delayed!.sentTimestamp).toBe(2_000);
  });

  it('rejects a delay SQS cannot give (beyond 900 s, negative, on a FIFO queue) before calling SQS', async () => {
    const q = lambda().runtime.resolve(Queue);
    await expect(q.send('orders', 'x', { delayMs: 900_001 })).rejects.toThrow(RangeError);
    await expect(q.send('orders', 'x', { delayMs: 900_001 })).rejects.toThrow(
      'Queue.send("orders"): options.delayMs must be 0-900000 (SQS delays at most 15 minutes)',
    );
    await expect(q.send('orders', 'x', { delayMs: -1 })).rejects.toThrow(RangeError);
    await expect(q.send('orders.fifo', 'x', { delayMs: 1000, groupId: 'g' })).rejects.toThrow(
      'options.delayMs is not supported on FIFO queues',
    );
  });

  it('FIFO: requires groupId, passes it as MessageGroupId, and two equal sends stay two messages', async () => {
    const q = lambda().runtime.resolve(Queue);
    await expect(q.send('orders.fifo', 'x')).rejects.toThrow(
      'Queue.send("orders.fifo"): options.groupId is required for a FIFO (.fifo) queue',
    );
    const first = await q.send('orders.fifo', 'same', { groupId: 'customer-7' });
    const second = await q.send('orders.fifo', 'same', { groupId: 'customer-7' });
    expect(first.id).not.toBe(second.id);
    const got = await receiveAll('orders.fifo', 2);
    expect(got.map((m) => m.MessageId)).toEqual([first.id, second.id]);
    for (const m of got) {
      expect(m.Attributes?.MessageGroupId).toBe('customer-7');
      expect(m.Attributes?.MessageDeduplicationId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(got[0]!.Attributes?.MessageDeduplicationId).not.toBe(got[1]!.Attributes?.MessageDeduplicationId);
    const messages = await roundTrip('work', 'orders.fifo', got);
    expect(messages.map((m) => [m.text(), m.groupId, m.source])).toEqual([
      // The neutral source name drops the .fifo suffix AWS requires (arn-name.ts).
      ['same', 'customer-7', 'orders'],
      ['same', 'customer-7', 'orders'],
    ]);
    // `sequence` is SQS's SequenceNumber attribute, by value, increasing within the group.
    expect(messages.map((m) => m.sequence)).toEqual(got.map((m) => m.Attributes?.SequenceNumber));
    expect(messages[0]!.sequence).toMatch(/^\d+$/);
    expect(BigInt(messages[1]!.sequence!)).toBeGreaterThan(BigInt(messages[0]!.sequence!));
  });

  it('uses providers.aws.queueUrls first, then POLYCLOUD_AWS_QUEUE_URLS, without a lookup', async () => {
    const viaConfig = await lambda({ queueUrls: { billing: urls.other } })
      .runtime.resolve(Queue)
      .send('billing', 'via config');
    const config = resolveConfig({ provider: 'aws', providers: { aws: { endpoint: fauxqs.endpoint } } }, {});
    const viaEnv = await createSqsQueue(config, {
      POLYCLOUD_AWS_QUEUE_URLS: JSON.stringify({ billing: urls.other }),
    }).send('billing', 'via env');
    const got = await receiveAll('other', 2);
    expect(got.map((m) => [m.MessageId, m.Body])).toEqual([
      [viaConfig.id, 'via config'],
      [viaEnv.id, 'via env'],
    ]);
  });

  it('providers.aws.endpoints.sqs wins over providers.aws.endpoint; a malformed map names its path', async () => {
    // Port 9 (discard) on loopback: nothing answers there, so only the SQS-specific endpoint can work.
    const { id } = await lambda({ endpoint: 'http://127.0.0.1:9', endpoints: { sqs: fauxqs.endpoint } })
      .runtime.resolve(Queue)
      .send('other', 'specific endpoint');
    expect((await receiveAll('other')).map((m) => m.MessageId)).toEqual([id]);
    await expect(
      lambda({ queueUrls: { billing: 42 } })
        .runtime.resolve(Queue)
        .send('billing', 'x'),
    ).rejects.toThrow('providers.aws.queueUrls.billing must be a non-empty string');
    const config = resolveConfig({ provider: 'aws', providers: { aws: {} } }, {});
    await expect(
      createSqsQueue(config, { POLYCLOUD_AWS_QUEUE_URLS: '{nope' }).send('billing', 'x'),
    ).rejects.toThrow('POLYCLOUD_AWS_QUEUE_URLS is not JSON: {nope');
  });

  it('an unknown queue fails naming the lookup and the config keys that would skip it', async () => {
    const error = (await lambda()
      .runtime.resolve(Queue)
      .send('nope', 'x')
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'Queue.send("nope"): GetQueueUrl failed: QueueDoesNotExist: The specified queue does not exist. ' +
        '(set providers.aws.queueUrls.nope or POLYCLOUD_AWS_QUEUE_URLS to skip the lookup)',
    );
  });

  it('rejects attributes SQS would refuse, naming the attribute', async () => {
    const q = lambda().runtime.resolve(Queue);
    await expect(q.send('orders', 'x', { attributes: { 'AWS.trace': 'v' } })).rejects.toThrow(
      'Queue.send("orders"): options.attributes.AWS.trace: attribute names are',
    );
    await expect(q.send('orders', 'x', { attributes: { empty: '' } })).rejects.toThrow(
      'options.attributes.empty must be a non-empty string',
    );
    await expect(
      q.send('orders', 'x', { attributes: { 'polycloud-body-encoding': 'base64' } }),
    ).rejects.toThrow('options.attributes.polycloud-body-encoding is reserved by polycloud');
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, 'v']));
    await expect(q.send('orders', new Uint8Array([1]), { attributes: ten })).rejects.toThrow(
      'options.attributes has 11 entries (one is the byte body marker); SQS and SNS allow 10',
    );
  });

  it('a body marked base64 that is not base64 is a failed message, never corrupted bytes', async () => {
    const event = {
      Records: [
        {
          messageId: 'm-1',
          body: 'not base64!',
          attributes: { ApproximateReceiveCount: '1' },
          messageAttributes: { 'polycloud-body-encoding': { stringValue: 'base64', dataType: 'String' } },
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:orders',
        },
      ],
    };
    received.length = 0;
    const result = await lambda().handler('work')(event, lambdaContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(received).toEqual([]);
  });
});

describe('Topic on AWS (SNS Publish)', () => {
  it('publishes with attributes; the SNS → SQS envelope decodes to the published message', async () => {
    const { id } = await lambda()
      .runtime.resolve(Topic)
      .publish('events', 'created', {
        attributes: { type: 'order.created' },
      });
    const [m] = await receiveAll('events-sub');
    const envelope = JSON.parse(m!.Body!) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: id,
      TopicArn: arns.events,
      Message: 'created',
      MessageAttributes: { type: { Type: 'String', Value: 'order.created' } },
    });
    const [message] = await roundTrip('onEvent', 'events-sub', [m!]);
    expect(message!.id).toBe(id);
    expect(message!.text()).toBe('created');
    expect(message!.attributes).toEqual({ type: 'order.created' });
    expect(message!.source).toBe('events');
    // The raw-delivery subscription got the same publish as a plain SQS message.
    const [raw] = await receiveAll('events-raw');
    expect(raw!.Body).toBe('created');
    const [plain] = await roundTrip('onEvent', 'events-raw', [raw!]);
    expect(plain!.attributes).toEqual({ type: 'order.created' });
  });

  it('publishes bytes; envelope, raw delivery and direct SNS → Lambda all give the exact bytes', async () => {
    const bytes = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0]);
    const { id } = await lambda().runtime.resolve(Topic).publish('events', bytes);
    const [m] = await receiveAll('events-sub');
    const [viaEnvelope] = await roundTrip('onEvent', 'events-sub', [m!]);
    expect(viaEnvelope!.body).toEqual(bytes);
    expect(viaEnvelope!.attributes).toEqual({});
    const [raw] = await receiveAll('events-raw');
    const [viaRaw] = await roundTrip('onEvent', 'events-raw', [raw!]);
    expect(viaRaw!.body).toEqual(bytes);
    // Direct SNS → Lambda carries the same notification fields under Records[i].Sns.
    const envelope = JSON.parse(m!.Body!) as Record<string, unknown>;
    received.length = 0;
    await lambda().handler('onEvent')(
      {
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: `${arns.events}:sub`,
            Sns: envelope,
          },
        ],
      },
      lambdaContext(),
    );
    expect(received.map((r) => [r.id, Buffer.from(r.body).toString('hex')])).toEqual([[id, 'deadbeef00']]);
  });

  it('FIFO topic: orderingKey is required and arrives as the message group', async () => {
    const t = lambda().runtime.resolve(Topic);
    await expect(t.publish('events.fifo', 'x')).rejects.toThrow(
      'Topic.publish("events.fifo"): options.orderingKey is required for a FIFO (.fifo) topic',
    );
    const { id } = await t.publish('events.fifo', 'ordered', { orderingKey: 'k-1' });
    const [m] = await receiveAll('events-sub.fifo');
    expect(m!.Attributes?.MessageGroupId).toBe('k-1');
    expect(JSON.parse(m!.Body!)).toMatchObject({ MessageId: id, Message: 'ordered' });
    const [message] = await roundTrip('onEvent', 'events-sub.fifo', [m!]);
    expect([message!.id, message!.text(), message!.groupId, message!.source]).toEqual([
      id,
      'ordered',
      'k-1',
      'events',
    ]);
  });

  it('finds the ARN from POLYCLOUD_AWS_TOPIC_ARNS', async () => {
    const config = resolveConfig({ provider: 'aws', providers: { aws: { endpoint: fauxqs.endpoint } } }, {});
    const { id } = await createSnsTopic(config, {
      POLYCLOUD_AWS_TOPIC_ARNS: JSON.stringify({ alias: arns.events }),
    }).publish('alias', 'via env');
    const [m] = await receiveAll('events-raw');
    expect(m!.Body).toBe('via env');
    const [viaEnvelope] = await receiveAll('events-sub');
    expect(JSON.parse(viaEnvelope!.Body!).MessageId).toBe(id);
  });

  it('finds the ARN from providers.aws.topicArns without CreateTopic', async () => {
    const { id } = await lambda({ topicArns: { alias: arns.events } })
      .runtime.resolve(Topic)
      .publish('alias', 'via map');
    const [m] = await receiveAll('events-raw');
    expect(m!.Body).toBe('via map');
    const [viaEnvelope] = await receiveAll('events-sub');
    expect(JSON.parse(viaEnvelope!.Body!).MessageId).toBe(id);
  });
});
