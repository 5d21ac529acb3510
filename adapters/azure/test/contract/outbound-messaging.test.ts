import type { Queue, Topic } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';
import { type ReadBackMessage, runOutboundContract } from '@polycloud/testing';
import { azureMessaging } from '../../src/clients/messaging-routes.ts';
import { resolveSettings } from '../../src/options.ts';
import { type EventGridHttpFake, startEventGridFake } from '../support/event-grid-http-fake.ts';
import { type ServiceBusAmqpFake, startServiceBusFake } from '../support/service-bus-amqp-fake.ts';

// Neither Service Bus nor Event Grid has a local server that installs here: these targets talk to
// protocol fakes (support/) that answer as the services document, so they prove what the SDKs send
// over AMQP and HTTP, not how the real services answer. The matrix marks them "fake".

let serviceBus: ServiceBusAmqpFake | undefined;
let eventGrid: EventGridHttpFake | undefined;

function messaging(env: NodeJS.ProcessEnv, extra: Record<string, unknown>): { queue: Queue; topic: Topic } {
  const config = resolveConfig({ provider: 'azure', providers: { azure: extra } }, {});
  return azureMessaging(config, resolveSettings(config, 'probe', env), env);
}

function amqpReadBack(fake: ServiceBusAmqpFake, address: string): () => Promise<ReadBackMessage> {
  return async () => {
    const at = fake.received.findLastIndex((r) => r.address === address);
    if (at === -1) throw new Error(`nothing was sent to ${address}`);
    const { message } = fake.received.splice(at, 1)[0]!;
    const body = message.body as { content?: Buffer } | Buffer;
    const bytes = Buffer.isBuffer(body) ? body : (body.content ?? Buffer.alloc(0));
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(message.application_properties ?? {})) attributes[k] = String(v);
    return { body: bytes, attributes, ...(message.group_id ? { groupId: String(message.group_id) } : {}) };
  };
}

runOutboundContract(
  async () => {
    serviceBus = await startServiceBusFake();
    const env = { ServiceBusConnection: serviceBus.connection };
    const { queue, topic } = messaging(env, { queues: { orders: 'serviceBus' } });
    return {
      name: 'azure:service bus client',
      backend: 'AMQP 1.0 protocol fake on rhea (CBS put-token + sender links; not Service Bus)',
      mode: 'fake',
      queue: { client: queue, name: 'orders', receive: amqpReadBack(serviceBus, 'orders') },
      topic: { client: topic, name: 'order-events', receive: amqpReadBack(serviceBus, 'order-events') },
    };
  },
  'azure:service bus client',
  { close: async () => serviceBus?.close() },
);

runOutboundContract(
  async () => {
    eventGrid = await startEventGridFake();
    const fake = eventGrid;
    const env = { EVENTGRID_KEY: fake.key };
    const { topic } = messaging(env, {
      eventGrid: { 'order-events': { endpoint: fake.endpoint, keySetting: 'EVENTGRID_KEY' } },
    });
    return {
      name: 'azure:event grid client',
      backend:
        'HTTP protocol fake of an Event Grid custom topic (aeg-sas-key, CloudEvents batch; not Event Grid)',
      mode: 'fake',
      topic: {
        client: topic,
        name: 'order-events',
        async receive() {
          const request = fake.requests.shift();
          if (!request) throw new Error('nothing was published');
          const [event] = request.body as Record<string, unknown>[];
          const {
            id: _i,
            source: _s,
            type: _t,
            specversion: _v,
            time: _ti,
            data,
            data_base64,
            datacontenttype: _d,
            ...ext
          } = event as Record<string, unknown>;
          const bytes =
            typeof data_base64 === 'string'
              ? Buffer.from(data_base64, 'base64')
              : Buffer.from(JSON.stringify(data));
          const attributes: Record<string, string> = {};
          for (const [k, v] of Object.entries(ext)) attributes[k] = String(v);
          return { body: bytes, attributes };
        },
      },
    };
  },
  'azure:event grid client',
  { close: async () => eventGrid?.close() },
);
