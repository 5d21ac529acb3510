import type { MessageBody, PublishOptions, Topic } from '@polycloud/core';
import type { MessageBroker } from '../events/message-broker.ts';

/**
 * Topic over the node runtime's broker: as `createBrokerQueue` (queue-client.ts), a body JSON cannot
 * hold is a `TypeError`, a broker that cannot store the message rejects with `TopicPublishError`,
 * the broker's error as `cause` (built by client-failures.ts, imported on the first failure).
 *
 * @example
 * bind(Topic).toDynamicValue(({ get }) => createBrokerTopic(brokerFor(get(AppRuntime))));
 */
export function createBrokerTopic(broker: MessageBroker): Topic {
  return {
    async publish(topic: string, body: MessageBody, options?: PublishOptions) {
      try {
        return await broker.publish(topic, body, options);
      } catch (error) {
        if (error instanceof TypeError) throw error;
        throw (await import('./client-failures.ts')).topicPublishFailed(topic, error);
      }
    },
  };
}
