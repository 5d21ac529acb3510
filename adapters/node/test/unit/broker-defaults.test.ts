/**
 * The node broker's documented defaults, with nothing configured: a failing message is delivered 5
 * times (BrokerOptions.maxDeliveries, "default 5, like SQS maxReceiveCount") and then dead-lettered.
 * Every other node test sets maxDeliveries, so without this one the default could drift unseen.
 */
import { defineApp, queue } from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle, type NodeServer } from '../../src/index.ts';

const deliveries: number[] = [];
const app = defineApp({
  name: 'broker-defaults',
  functions: {
    poison: queue('poison', (m) => {
      deliveries.push(m.deliveryCount);
      throw new Error('always fails');
    }),
  },
});

let server: NodeServer;
beforeAll(async () => {
  // Only the retry delay is shortened (to keep the test fast); the delivery count is the default.
  server = await handle(app, {
    port: 0,
    schedules: false,
    handleSignals: false,
    broker: { retryDelayMs: () => 1 },
  });
});
afterAll(() => server.close());

describe('node broker defaults', () => {
  it('delivers a failing message exactly 5 times, then dead-letters it with deliveries 5', async () => {
    const { id } = server.broker.send('poison', 'bad');
    await server.broker.drain();
    expect(deliveries).toEqual([1, 2, 3, 4, 5]);
    const dead = server.broker.deadLetters.filter((d) => d.message?.id === id);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ function: 'poison', deliveries: 5 });
    expect(dead[0]!.message?.deliveryCount).toBe(5);
  });
});
