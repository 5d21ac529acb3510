import { Message } from '@polycloud/core';
import { bodyBytes } from './message-body.ts';
import { attributesOf, metaCount, metaDate, metaString, type TriggerMetadata } from './trigger-metadata.ts';

/**
 * A Storage Queue message: `id`, `dequeueCount` (1 on first delivery), `insertionTime`. The host retries
 * a message whose invocation failed until host.json `extensions.queues.maxDequeueCount` (5), then moves it
 * to `<queue>-poison`. Storage queues have no message properties.
 */
export function storageQueueMessage(
  input: unknown,
  meta: TriggerMetadata,
  source: string,
  fallbackId: string,
): Message {
  return new Message({
    id: metaString(meta, 'id') ?? fallbackId,
    body: bodyBytes(input),
    deliveryCount: metaCount(meta, 'dequeueCount') ?? 1,
    enqueuedAt: metaDate(meta, 'insertionTime'),
    source,
    raw: { input, triggerMetadata: meta },
  });
}

/**
 * A Service Bus message: `messageId`, `deliveryCount`, `enqueuedTimeUtc`, `applicationProperties`
 * (`userProperties` on older extensions), `sessionId` (the FIFO group), `sequenceNumber`, `contentType`.
 * A thrown invocation abandons the message; after the entity's MaxDeliveryCount it is dead-lettered.
 */
export function serviceBusMessage(
  input: unknown,
  meta: TriggerMetadata,
  source: string,
  fallbackId: string,
): Message {
  const contentType = metaString(meta, 'contentType');
  return new Message({
    id: metaString(meta, 'messageId') ?? fallbackId,
    body: bodyBytes(input),
    attributes: attributesOf(meta?.applicationProperties ?? meta?.userProperties),
    deliveryCount: metaCount(meta, 'deliveryCount') ?? 1,
    enqueuedAt: metaDate(meta, 'enqueuedTimeUtc'),
    source,
    groupId: metaString(meta, 'sessionId'),
    sequence: metaString(meta, 'sequenceNumber'),
    ...(contentType ? { contentType } : {}),
    raw: { input, triggerMetadata: meta },
  });
}

/**
 * An Event Hubs batch (cardinality many): the inputs are an array, and the metadata carries parallel
 * arrays (`sequenceNumberArray`, `enqueuedTimeUtcArray`, `partitionKeyArray`, `propertiesArray`) plus
 * `partitionContext.partitionId`. Events have no id: `<partition>:<sequence number>` is unique per hub.
 */
export function eventHubMessages(
  inputs: unknown,
  meta: TriggerMetadata,
  source: string,
  fallbackId: string,
): Message[] {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const at = (key: string, i: number): unknown => {
    const value = meta?.[key];
    return Array.isArray(value) ? value[i] : undefined;
  };
  const partition = (meta?.partitionContext as { partitionId?: unknown } | undefined)?.partitionId;
  return list.map((input, i) => {
    const seq = at('sequenceNumberArray', i);
    const sequence = typeof seq === 'number' || typeof seq === 'string' ? String(seq) : undefined;
    const key = at('partitionKeyArray', i);
    const enq = metaDate({ t: at('enqueuedTimeUtcArray', i) }, 't');
    return new Message({
      id: sequence !== undefined ? `${String(partition ?? '0')}:${sequence}` : `${fallbackId}:${i}`,
      body: bodyBytes(input),
      attributes: attributesOf(at('propertiesArray', i)),
      deliveryCount: 1,
      enqueuedAt: enq,
      source,
      groupId: typeof key === 'string' && key ? key : undefined,
      sequence,
      raw: { input, index: i, triggerMetadata: meta },
    });
  });
}
