/**
 * Which broker a node runtime gets (docs: handle()'s `broker` option first, then
 * `providers.node.broker` in polycloud.config, then POLYCLOUD_NATS_URL; in-memory when none names
 * NATS). Constructing a JetStream broker does not connect, so no server is needed here.
 */
import { defineApp, queue } from '@polycloud/core';
import { AppRuntime } from '@polycloud/core/adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseBroker } from '../../src/events/broker-choice.ts';
import { JetStreamBroker } from '../../src/events/jetstream-broker.ts';
import { BrokerFullError } from '../../src/events/message-broker.ts';
import { MemoryBroker } from '../../src/index.ts';
import { nodeProvider } from '../../src/provider.ts';

const app = defineApp({ name: 'broker-choice', functions: { q: queue('orders', () => undefined) } });

function runtimeWith(broker?: Record<string, unknown>): AppRuntime {
  return new AppRuntime(app, nodeProvider(), {
    config: { app: 'broker-choice', provider: 'node', providers: broker ? { node: { broker } } : {} },
  });
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('chooseBroker', () => {
  it('nothing configured: the in-memory broker', () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', '');
    expect(chooseBroker(runtimeWith(), undefined, 30_000)).toBeInstanceOf(MemoryBroker);
    expect(chooseBroker(runtimeWith(), { maxDeliveries: 3 }, 30_000)).toBeInstanceOf(MemoryBroker);
  });

  it('handle()’s broker option naming NATS: JetStream, whatever the config says', () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', '');
    const broker = chooseBroker(runtimeWith(), { kind: 'nats', url: 'nats://127.0.0.1:4222' }, 30_000);
    expect(broker).toBeInstanceOf(JetStreamBroker);
    expect(broker.distributesSchedules).toBe(true);
  });

  it('providers.node.broker naming NATS in the config: JetStream', () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', '');
    expect(chooseBroker(runtimeWith({ kind: 'nats' }), undefined, 30_000)).toBeInstanceOf(JetStreamBroker);
    expect(chooseBroker(runtimeWith({ kind: 'memory' }), undefined, 30_000)).toBeInstanceOf(MemoryBroker);
  });

  it('POLYCLOUD_NATS_URL alone: JetStream; an explicit memory broker option keeps the in-memory one', () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', 'nats://127.0.0.1:4222');
    expect(chooseBroker(runtimeWith(), undefined, 30_000)).toBeInstanceOf(JetStreamBroker);
    expect(chooseBroker(runtimeWith(), { maxDeliveries: 2 }, 30_000)).toBeInstanceOf(JetStreamBroker);
    expect(chooseBroker(runtimeWith(), { kind: 'memory' }, 30_000)).toBeInstanceOf(MemoryBroker);
  });

  it('the in-memory broker keeps the options it was given', async () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', '');
    const runtime = runtimeWith();
    const broker = chooseBroker(runtime, { maxPending: 1 }, 30_000) as MemoryBroker;
    // maxPending 1 (the default is 10,000): a second unsettled message is refused.
    const first = broker.send('orders', 'a');
    await expect(broker.send('orders', 'b')).rejects.toBeInstanceOf(BrokerFullError);
    await first;
    await broker.close();
  });
});
