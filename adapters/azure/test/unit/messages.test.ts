/**
 * Trigger metadata → Message fields, as @azure/functions hands the metadata over (first letter of each
 * key lower-cased): Storage Queue (id, dequeueCount, insertionTime), Service Bus (messageId,
 * deliveryCount, enqueuedTimeUtc, applicationProperties or, on older extensions, userProperties) and
 * Event Hubs batches (parallel arrays, partitionContext), per the trigger docs:
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#message-metadata,
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger#message-metadata,
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-event-hubs-trigger#event-metadata.
 */
import { describe, expect, it } from 'vitest';
import { eventHubMessages, serviceBusMessage, storageQueueMessage } from '../../src/index.ts';

describe('Storage Queue message', () => {
  it('takes id, dequeue count and insertion time from the metadata, and keeps the raw input', () => {
    const meta = { id: 'q-7', dequeueCount: 2, insertionTime: '2026-01-02T03:04:05Z' };
    const m = storageQueueMessage('ping', meta, 'orders', 'fallback');
    expect({
      id: m.id,
      deliveryCount: m.deliveryCount,
      enqueuedAt: m.enqueuedAt?.toISOString(),
      source: m.source,
    }).toEqual({
      id: 'q-7',
      deliveryCount: 2,
      enqueuedAt: '2026-01-02T03:04:05.000Z',
      source: 'orders',
    });
    expect(m.text()).toBe('ping');
    expect(m.raw).toEqual({ input: 'ping', triggerMetadata: meta });
  });

  it('without metadata: the invocation id, first delivery', () => {
    const m = storageQueueMessage('x', undefined, 'orders', 'inv-1');
    expect([m.id, m.deliveryCount, m.enqueuedAt]).toEqual(['inv-1', 1, undefined]);
  });
});

describe('Service Bus message', () => {
  it('reads applicationProperties, and userProperties on older extensions', () => {
    const now = serviceBusMessage('{}', { messageId: 'm', applicationProperties: { a: '1' } }, 'q', 'f');
    expect(now.attributes).toEqual({ a: '1' });
    const older = serviceBusMessage('{}', { messageId: 'm', userProperties: { b: 2 } }, 'q', 'f');
    expect(older.attributes).toEqual({ b: '2' });
    expect(older.raw).toEqual({ input: '{}', triggerMetadata: { messageId: 'm', userProperties: { b: 2 } } });
    expect(serviceBusMessage('x', undefined, 'q', 'inv-2').id).toBe('inv-2');
  });
});

describe('Event Hubs batch', () => {
  const meta = {
    sequenceNumberArray: [10, '11'],
    partitionKeyArray: ['k', ''],
    propertiesArray: [{ a: '1' }, {}],
    enqueuedTimeUtcArray: ['2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'],
    partitionContext: { partitionId: '3' },
  };

  it('maps each element with its own sequence, partition key, properties and enqueued time', () => {
    const [a, b] = eventHubMessages(['{"n":1}', '{"n":2}'], meta, 'telemetry', 'f');
    expect([a!.id, a!.sequence, a!.groupId, a!.attributes, a!.enqueuedAt?.toISOString()]).toEqual([
      '3:10',
      '10',
      'k',
      { a: '1' },
      '2026-01-01T00:00:00.000Z',
    ]);
    // An empty partition key is no group; a string sequence number is kept.
    expect([b!.id, b!.sequence, b!.groupId, b!.enqueuedAt?.toISOString()]).toEqual([
      '3:11',
      '11',
      undefined,
      '2026-01-01T00:00:01.000Z',
    ]);
    expect(b!.raw).toEqual({ input: '{"n":2}', index: 1, triggerMetadata: meta });
  });

  it('a single event (cardinality one) and events without sequence numbers get fallback ids', () => {
    const [only] = eventHubMessages('solo', undefined, 'telemetry', 'inv-3');
    expect([only!.id, only!.text(), only!.sequence, only!.groupId]).toEqual([
      'inv-3:0',
      'solo',
      undefined,
      undefined,
    ]);
    const [first] = eventHubMessages(['x'], { sequenceNumberArray: [5] }, 'telemetry', 'inv-4');
    expect(first!.id).toBe('0:5');
  });
});
