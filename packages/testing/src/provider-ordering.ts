import type { BatchOutcome, NeutralMessage } from './driver.ts';

/**
 * What the PROVIDER does with an ordered stream on platforms that invoke a function once per message
 * (Pub/Sub push with ordering keys, Service Bus sessions): the next message of a key/session is
 * delivered only after the previous one was acknowledged, so after a failure the rest of that key waits
 * for redelivery while other keys go on.
 * - Pub/Sub: "messages that share the same ordering key ... are delivered in order", and a message is
 *   redelivered before later messages of its key (https://cloud.google.com/pubsub/docs/ordering).
 * - Service Bus: a session is locked to one receiver and handled in order; an abandoned message is
 *   delivered again before the rest of its session (https://learn.microsoft.com/azure/service-bus-messaging/message-sessions).
 *
 * This is the platform's behaviour, not the adapter's: the adapter only sees one message per
 * invocation, and its part (fail the invocation, never acknowledge a failed message) is what
 * `deliverOne` exercises through the adapter's real entry point. Drivers share this one model of the
 * platform instead of each re-implementing it.
 *
 * @example
 * return deliverPerKeyInOrder(batch, async (m) => (await invoke(m)).ok);
 */
export async function deliverPerKeyInOrder(
  batch: readonly NeutralMessage[],
  deliverOne: (message: NeutralMessage) => Promise<boolean>,
): Promise<BatchOutcome> {
  const failed: string[] = [];
  const waiting = new Set<string | undefined>();
  for (const m of batch) {
    if (waiting.has(m.groupId)) {
      failed.push(m.id);
      continue;
    }
    if (!(await deliverOne(m))) {
      failed.push(m.id);
      waiting.add(m.groupId);
    }
  }
  return { failed };
}
