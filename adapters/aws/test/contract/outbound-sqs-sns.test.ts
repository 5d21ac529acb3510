import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { resolveConfig } from '@polycloud/core/adapter';
import { type ReadBackMessage, runOutboundContract } from '@polycloud/testing';
import { createSqsQueue } from '../../src/clients/queue-client.ts';
import { createSnsTopic } from '../../src/clients/topic-client.ts';
import { type Fauxqs, startFauxqs } from '../support/fauxqs.ts';

let server: Fauxqs | undefined;
let sqs: SQSClient | undefined;

/** The next message of a queue, deleted (bounded: five 1 s long polls); byte bodies are decoded as Lambda's adapter does. */
async function receive(url: string): Promise<ReadBackMessage> {
  for (let round = 0; round < 5; round++) {
    const got = await sqs!.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const m = got.Messages?.[0];
    if (!m) continue;
    await sqs!.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.MessageAttributes ?? {}))
      if (v.StringValue) attributes[k] = v.StringValue;
    const base64 = attributes['polycloud-body-encoding'] === 'base64';
    delete attributes['polycloud-body-encoding'];
    const body = base64 ? Buffer.from(m.Body ?? '', 'base64') : Buffer.from(m.Body ?? '', 'utf8');
    const groupId = m.Attributes?.MessageGroupId;
    return { body, attributes, ...(groupId ? { groupId } : {}) };
  }
  throw new Error(`no message in ${url}`);
}

runOutboundContract(
  async () => {
    server = await startFauxqs();
    const admin = {
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    sqs = new SQSClient(admin);
    const sns = new SNSClient(admin);
    const queueUrl = (
      await sqs.send(new CreateQueueCommand({ QueueName: 'probe.fifo', Attributes: { FifoQueue: 'true' } }))
    ).QueueUrl!;
    const subscriber = (await sqs.send(new CreateQueueCommand({ QueueName: 'probe-events-raw' }))).QueueUrl!;
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'probe-events' }))).TopicArn!;
    const arn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: subscriber, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    sns.destroy();
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    const config = resolveConfig(
      { provider: 'aws', providers: { aws: { endpoint: server.endpoint, region: 'us-east-1' } } },
      {},
    );
    return {
      name: 'aws:sqs+sns clients',
      backend: 'fauxqs 1.9.2 SQS and SNS→SQS raw delivery (started by the test on 127.0.0.1)',
      mode: 'live',
      queue: { client: createSqsQueue(config, {}), name: 'probe.fifo', receive: () => receive(queueUrl) },
      topic: { client: createSnsTopic(config, {}), name: 'probe-events', receive: () => receive(subscriber) },
    };
  },
  'aws:sqs+sns clients',
  {
    close: async () => {
      sqs?.destroy();
      await server?.stop();
    },
  },
);
