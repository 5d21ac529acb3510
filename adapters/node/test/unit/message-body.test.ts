import { defineApp, queue, topic } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { createNodeRuntime, MemoryBroker } from '../../src/index.ts';

const app = defineApp({
  name: 'bodies',
  functions: { orders: queue('orders', () => {}), events: topic('events', () => {}) },
});

describe('in-memory broker: message bodies', () => {
  it('refuses a body JSON cannot hold with the TypeError every provider gives, and accepts nothing', () => {
    const broker = new MemoryBroker(createNodeRuntime(app));
    expect(() => broker.send('orders', undefined)).toThrow(
      new TypeError('Queue.send("orders"): body must be text, bytes or a JSON value'),
    );
    expect(() => broker.publish('events', Symbol('x'))).toThrow(
      new TypeError('Topic.publish("events"): body must be text, bytes or a JSON value'),
    );
    expect(broker.pending).toBe(0);
  });
});
