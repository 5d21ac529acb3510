import type { MessageBody, Queue, SendOptions } from '@polycloud/core';
import type { MessageBroker } from '../events/message-broker.ts';

/**
 * Queue over the node runtime's broker (in memory, or JetStream): the message is stored when `send`
 * resolves. A body JSON cannot hold stays the `TypeError` it is on every provider (the caller's
 * mistake, raised before anything is sent); a broker that cannot store the message (backlog full,
 * NATS unreachable) rejects with `QueueSendError`, the broker's error as `cause` (built by
 * client-failures.ts, imported on the first failure).
 *
 * @example
 * bind(Queue).toDynamicValue(({ get }) => createBrokerQueue(brokerFor(get(AppRuntime))));
 */
export function createBrokerQueue(broker: MessageBroker): Queue {
  return {
    async send(queue: string, body: MessageBody, options?: SendOptions) {
      try {
        return await broker.send(queue, body, options);
      } catch (error) {
        if (error instanceof TypeError) throw error;
        throw (await import('./client-failures.ts')).queueSendFailed(queue, error);
      }
    },
  };
}
