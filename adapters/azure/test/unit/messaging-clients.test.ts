import { ConfigError } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azureMessaging } from '../../src/clients/messaging-routes.ts';
import { resolveSettings } from '../../src/options.ts';
import { type EventGridHttpFake, startEventGridFake } from '../support/event-grid-http-fake.ts';
import { type ServiceBusAmqpFake, startServiceBusFake } from '../support/service-bus-amqp-fake.ts';

// What the SDKs put on the wire, checked against protocol fakes (no local Service Bus or Event Grid).
let sb: ServiceBusAmqpFake;
let eg: EventGridHttpFake;
beforeAll(async () => {
  [sb, eg] = await Promise.all([startServiceBusFake(), startEventGridFake()]);
});
afterAll(async () => {
  await Promise.all([sb.close(), eg.close()]);
});

function clients(extra: Record<string, unknown>, env: NodeJS.ProcessEnv) {
  const config = resolveConfig({ provider: 'azure', providers: { azure: extra } }, {});
  return azureMessaging(config, resolveSettings(config, 'app', env), env);
}

describe('Service Bus (AMQP)', () => {
  it('sends session id, application properties, content type and a scheduled enqueue time; claims a SAS token for the entity', async () => {
    const { queue } = clients({ queue: 'serviceBus' }, { ServiceBusConnection: sb.connection });
    const before = Date.now();
    const { id } = await queue.send(
      'billing',
      { total: 5 },
      { groupId: 'cust-1', attributes: { kind: 'invoice' }, delayMs: 60_000 },
    );
    const sent = sb.received.find((r) => r.address === 'billing')!;
    expect(sent.message).toMatchObject({
      message_id: id,
      group_id: 'cust-1',
      content_type: 'application/json',
      application_properties: { kind: 'invoice' },
    });
    expect(Buffer.from((sent.message.body as { content: Buffer }).content).toString()).toBe('{"total":5}');
    const at = new Date(sent.message.message_annotations!['x-opt-scheduled-enqueue-time'] as Date).getTime();
    expect(at).toBeGreaterThanOrEqual(before + 60_000);
    expect(
      sb.tokens.some((t) => t.name.endsWith('/billing') && t.type === 'servicebus.windows.net:sastoken'),
    ).toBe(true);
  });

  it('rejects before any call: over 256 KB, bad attribute names, a long session id, a delay over 7 days', async () => {
    const { queue, topic } = clients({ queue: 'serviceBus' }, { ServiceBusConnection: sb.connection });
    const count = sb.received.length;
    await expect(queue.send('q', new Uint8Array(256 * 1024 + 1))).rejects.toThrow(/256 KB/);
    await expect(queue.send('q', 'x', { attributes: { 'bad name': 'v' } })).rejects.toThrow(/names are/);
    await expect(topic.publish('t', 'x', { orderingKey: 'k'.repeat(129) })).rejects.toThrow(/1-128/);
    await expect(queue.send('q', 'x', { delayMs: 8 * 24 * 3600 * 1000 })).rejects.toThrow(/7 days/);
    expect(sb.received.length).toBe(count);
  });

  it('names the missing connection setting', async () => {
    const { queue } = clients({ queues: { q: 'serviceBus' } }, {});
    await expect(queue.send('q', 'x')).rejects.toThrow(ConfigError);
  });
});

describe('Event Grid (HTTP, CloudEvents schema)', () => {
  const config = () => ({ eventGrid: { audit: { endpoint: eg.endpoint, keySetting: 'AUDIT_KEY' } } });

  it('posts a CloudEvents batch with the topic key; attributes become extensions, type comes from attributes.type', async () => {
    const { topic } = clients(config(), { AUDIT_KEY: eg.key });
    const { id } = await topic.publish('audit', new Uint8Array([0, 255]), {
      attributes: { type: 'audit.login', tenant: 'acme' },
    });
    const request = eg.requests.at(-1)!;
    expect(request.headers['aeg-sas-key']).toBe(eg.key);
    expect(request.headers['content-type']).toMatch(/^application\/cloudevents-batch\+json/);
    expect(request.body).toEqual([
      expect.objectContaining({
        id,
        specversion: '1.0',
        type: 'audit.login',
        source: '/polycloud/audit',
        datacontenttype: 'application/octet-stream',
        data_base64: 'AP8=',
        tenant: 'acme',
      }),
    ]);
  });

  it('refuses orderingKey, non-extension attribute names and a wrong key (provider error as cause)', async () => {
    const { topic } = clients(config(), { AUDIT_KEY: eg.key });
    await expect(topic.publish('audit', 'x', { orderingKey: 'k' })).rejects.toThrow(/does not order events/);
    await expect(topic.publish('audit', 'x', { attributes: { Tenant: 'a' } })).rejects.toThrow(
      /extension names/,
    );
    await topic.publish('audit', 'plain text');
    expect(eg.requests.at(-1)!.body).toEqual([
      expect.objectContaining({
        datacontenttype: 'text/plain; charset=utf-8',
        data_base64: Buffer.from('plain text').toString('base64'),
      }),
    ]);
    const wrong = clients(config(), { AUDIT_KEY: 'nope' }).topic;
    const error = await wrong.publish('audit', 'x').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/Event Grid publish failed: Unauthorized/);
    expect((error as Error).cause).toBeDefined();
  });
});
