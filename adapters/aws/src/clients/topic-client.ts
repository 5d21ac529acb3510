import { randomUUID } from 'node:crypto';
import type { SNSClient } from '@aws-sdk/client-sns';
import {
  type MessageBody,
  type PolycloudConfig,
  type PublishOptions,
  type Topic,
  TopicPublishError,
} from '@polycloud/core';
import { nameMap } from '@polycloud/core/clients/name-map';
import { type AwsClientTarget, clientTarget } from './client-target.ts';
import { outgoingMessage } from './outgoing-message.ts';
import { sdkFailureMessage } from './sdk-error.ts';

/** JSON `{ topicName: topicArn }`, as a deployment template can set it for every function. */
export const TOPIC_ARNS_ENV = 'POLYCLOUD_AWS_TOPIC_ARNS';

// One SNSClient per cold start and target, as for SQS.
const clients = new Map<string, Promise<SNSClient>>();

function snsClient(target: AwsClientTarget): Promise<SNSClient> {
  const key = `${target.region ?? ''}|${target.endpoint ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    // Imported on the first publish: a function that never publishes never loads @aws-sdk/client-sns.
    client = import('@aws-sdk/client-sns').then(({ SNSClient }) => new SNSClient(target));
    client.catch(() => clients.delete(key));
    clients.set(key, client);
  }
  return client;
}

/**
 * Topic over SNS Publish. The topic ARN of a name comes from `providers.aws.topicArns[name]`, else
 * `POLYCLOUD_AWS_TOPIC_ARNS`, else CreateTopic by name (idempotent: it returns the existing topic's
 * ARN; SNS has no lookup by name), once per cold start. An `arn:` name is used as is. The lookup needs
 * `sns:CreateTopic` permission, so deployments should set the map.
 *
 * FIFO topics (`.fifo`) need `orderingKey` (their MessageGroupId) and get a random
 * MessageDeduplicationId per publish, for the reasons given on the SQS Queue.
 */
export function createSnsTopic(config: PolycloudConfig, env: NodeJS.ProcessEnv = process.env): Topic {
  let target: AwsClientTarget | undefined;
  let configured: Record<string, string> | undefined;
  const arns = new Map<string, Promise<string>>();

  async function topicArn(name: string, where: string): Promise<string> {
    if (name.startsWith('arn:')) return name;
    configured ??= nameMap(config, 'aws', 'topicArns', TOPIC_ARNS_ENV, env);
    const known = configured[name];
    if (known) return known;
    let arn = arns.get(name);
    if (!arn) {
      arn = Promise.all([snsClient(target!), import('@aws-sdk/client-sns')]).then(
        async ([client, { CreateTopicCommand }]) => {
          try {
            const out = await client.send(
              new CreateTopicCommand({
                Name: name,
                // SNS refuses a .fifo name without the FifoTopic attribute.
                ...(name.endsWith('.fifo') ? { Attributes: { FifoTopic: 'true' } } : {}),
              }),
            );
            if (!out.TopicArn) throw new Error('CreateTopic answered without TopicArn');
            return out.TopicArn;
          } catch (error) {
            throw new TopicPublishError(name, {
              message: sdkFailureMessage(
                `${where}: CreateTopic`,
                error,
                ` (set providers.aws.topicArns.${name} or ${TOPIC_ARNS_ENV} to skip the lookup)`,
              ),
              cause: error,
            });
          }
        },
      );
      arn.catch(() => arns.delete(name));
      arns.set(name, arn);
    }
    return arn;
  }

  return {
    async publish(topic: string, body: MessageBody, options: PublishOptions = {}) {
      const where = `Topic.publish(${JSON.stringify(topic)})`;
      if (typeof topic !== 'string' || topic === '')
        throw new TypeError(`${where}: topic name must be a non-empty string`);
      const message = outgoingMessage(body, options.attributes, where);
      target ??= clientTarget(config, 'sns', env);
      const arn = await topicArn(topic, where);
      const fifo = arn.endsWith('.fifo');
      const input: {
        TopicArn: string;
        Message: string;
        MessageAttributes?: Record<string, { DataType: string; StringValue: string }>;
        MessageGroupId?: string;
        MessageDeduplicationId?: string;
      } = { TopicArn: arn, Message: message.text };
      if (message.attributes) input.MessageAttributes = message.attributes;
      if (options.orderingKey !== undefined) {
        if (typeof options.orderingKey !== 'string' || options.orderingKey === '') {
          throw new TypeError(`${where}: options.orderingKey must be a non-empty string`);
        }
        // Standard topics accept a group id too (passed on to SQS fair queues); FIFO topics require it.
        input.MessageGroupId = options.orderingKey;
      } else if (fifo) {
        throw new TypeError(`${where}: options.orderingKey is required for a FIFO (.fifo) topic`);
      }
      if (fifo) input.MessageDeduplicationId = randomUUID();
      const [client, { PublishCommand }] = await Promise.all([
        snsClient(target),
        import('@aws-sdk/client-sns'),
      ]);
      try {
        const out = await client.send(new PublishCommand(input));
        return { id: out.MessageId ?? '' };
      } catch (error) {
        throw new TopicPublishError(topic, {
          message: sdkFailureMessage(`${where}: Publish`, error),
          cause: error,
        });
      }
    },
  };
}
