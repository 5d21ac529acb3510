import { randomUUID } from 'node:crypto';
import { type AdapterDriver, type DriverSession, runAdapterContract } from '@polycloud/testing';
import { partitionOf } from '../../src/events/jetstream-names.ts';
import type { SettleEvent } from '../../src/events/jetstream-options.ts';
import { handle } from '../../src/index.ts';
import { NatsServer } from '../support/nats-server.ts';
import { httpSession } from '../support/node-driver.ts';

const PARTITIONS = 8;
const deliveryCountReason =
  'JetStream counts deliveries itself (a first delivery is 1) and a producer cannot set the count (adapters/node/README.md, NATS JetStream section; https://docs.nats.io/nats-concepts/jetstream/consumers); server-counted redeliveries are covered by test/e2e/jetstream-broker.test.ts';
const malformedReason =
  'a JetStream message is bytes plus headers and always decodes, so a queue or topic function has no malformed native input (adapters/node/README.md, NATS JetStream section); the http push endpoint is covered by the node column';
const orderReason =
  "ordering on JetStream is per group: a failure holds back the later messages of its group's partition, other partitions go on (adapters/node/README.md, NATS JetStream section); covered by the fifo.group-failure scenarios";

/**
 * The node runtime with the JetStream broker: queue and topic batches and schedule ticks go
 * through a real nats-server (published as a producer would, delivered by the adapter's durable
 * consumers, the outcome read from the adapter's acks and naks); http, storage and events arrive
 * over HTTP as in the node column.
 */
const jetstreamDriver: AdapterDriver = {
  name: 'node:jetstream',
  unsupported: {
    'queue.delivery-count': deliveryCountReason,
    'topic.delivery-count': deliveryCountReason,
    'malformed.queue': malformedReason,
    'malformed.topic': malformedReason,
    'queue.fifo.stop-at-first-failure': orderReason,
    'topic.fifo.stop-at-first-failure': orderReason,
  },
  async start(app): Promise<DriverSession> {
    const nats = await NatsServer.start();
    const settled: SettleEvent[] = [];
    const waiters = new Set<() => void>();
    const server = await handle(app, {
      port: 0,
      schedules: false,
      handleSignals: false,
      bodyLimitBytes: 8 * 1024 * 1024,
      broker: {
        kind: 'nats',
        url: nats.url,
        prefix: `C${randomUUID().slice(0, 8)}`,
        maxDeliveries: 3,
        // Later than the kit's checks, so a scenario sees the first delivery's outcome.
        backoffMs: [1500],
        partitions: PARTITIONS,
        observe: (event) => {
          settled.push(event);
          for (const wake of waiters) wake();
        },
      },
    });
    const changed = (ms: number) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        waiters.add(done);
      });
    const base = httpSession(server);
    return {
      ...base,
      async messages(fn, batch) {
        const def = server.runtime.functions.get(fn)?.def;
        if (def?.kind !== 'queue' && def?.kind !== 'topic')
          throw new Error(`${fn} is not a queue or topic function`);
        for (const m of batch) {
          if (def.kind === 'queue')
            await server.broker.send(def.queue, m.body, {
              id: m.id,
              attributes: m.attributes,
              groupId: m.groupId,
            });
          else
            await server.broker.publish(def.topic, m.body, {
              id: m.id,
              attributes: m.attributes,
              orderingKey: m.groupId,
            });
        }
        // The first outcome of each message here; a grouped message behind a retried one in its
        // partition is held by the broker (not delivered), so it counts as not acknowledged.
        const first = (id: string) => settled.find((e) => e.function === fn && e.messageId === id);
        const held = (index: number) => {
          const m = batch[index]!;
          if (m.groupId === undefined) return false;
          const p = partitionOf(m.groupId, PARTITIONS);
          return batch.slice(0, index).some((earlier) => {
            if (earlier.groupId === undefined || partitionOf(earlier.groupId, PARTITIONS) !== p) return false;
            return first(earlier.id)?.outcome === 'retry';
          });
        };
        const deadline = Date.now() + 15_000;
        while (!batch.every((m, i) => first(m.id) || held(i)) && Date.now() < deadline) await changed(200);
        return {
          failed: batch.filter((m) => first(m.id)?.outcome !== 'acked').map((m) => m.id),
        };
      },
      async schedule(fn, scheduledTime) {
        await server.broker.tick(fn, scheduledTime);
        const id = `${fn}@${scheduledTime.toISOString()}`;
        const deadline = Date.now() + 15_000;
        const find = () => settled.find((e) => e.function === fn && e.messageId === id);
        while (!find() && Date.now() < deadline) await changed(200);
        const event = find();
        if (!event) return { ok: false, error: 'the tick was not delivered' };
        return event.outcome === 'acked' ? { ok: true } : { ok: false, error: `tick ${event.outcome}` };
      },
      async close() {
        await base.close();
        await nats.dispose();
      },
    };
  },
};

runAdapterContract(jetstreamDriver);
