import '../support/host/functions-core.ts';
import {
  type Context,
  defineApp,
  event,
  type Message,
  queue,
  schedule,
  storage,
  topic,
} from '@polycloud/core';
import { describe, expect, test } from 'vitest';
import { type AzureRaw, handle } from '../../src/index.ts';
import { registered } from '../support/host/functions-core.ts';
import { invokeHost, typed, userLogs } from '../support/host/host.ts';

const seen: { fn: string; event: any; ctx: Context<any> }[] = [];
const record = (fn: string) => (ev: any, ctx: Context<any>) => {
  seen.push({ fn, event: ev, ctx });
  if (ev?.json && (ev as Message).text().includes('"fail":true')) throw new Error(`${fn} asked to fail`);
};

const app = defineApp({
  name: 'triggers',
  functions: {
    sq: queue('orders', record('sq')),
    sbq: queue('payments', record('sbq'), {
      providers: { azure: { queue: 'serviceBus', connection: 'SB_CONN' } },
    }),
    sbt: topic('order-events', record('sbt'), { providers: { azure: { subscriptionName: 'billing' } } }),
    egt: topic('grid-topic', record('egt'), { providers: { azure: { topic: 'eventGrid' } } }),
    hub: queue('telemetry', record('hub'), {
      providers: { azure: { queue: 'eventHub', consumerGroup: 'cg1' } },
    }),
    blob: storage('uploads', record('blob')),
    egBlob: storage('archive', record('egBlob'), { events: ['created', 'deleted'] }),
    nightly: schedule('nightly', '30 3 * * 1-7', record('nightly'), { timeoutMs: 60_000 }),
    grid: event({ type: 'Contoso.Items.ItemReceived' }, record('grid')),
  },
});

const reg = handle(app, {
  config: { app: 'shop', provider: 'azure', providers: { azure: { functionTimeout: '00:02:00' } } },
  env: {},
});

const trigger = (name: string) =>
  Object.values(registered(name).metadata.bindings).find((b) => /Trigger$/.test(String(b.type)))!;
const last = (fn: string) => seen.filter((s) => s.fn === fn).at(-1)!;

describe('registration: each kind on its Azure trigger', () => {
  test('storage queue, Service Bus queue and topic, Event Hub, blob, Event Grid, timer', () => {
    expect(trigger('sq')).toMatchObject({
      type: 'queueTrigger',
      queueName: 'orders',
      connection: 'AzureWebJobsStorage',
    });
    expect(trigger('sbq')).toMatchObject({
      type: 'serviceBusTrigger',
      queueName: 'payments',
      connection: 'SB_CONN',
    });
    expect(trigger('sbt')).toMatchObject({
      type: 'serviceBusTrigger',
      topicName: 'order-events',
      subscriptionName: 'billing',
      connection: 'ServiceBusConnection',
    });
    expect(trigger('egt')).toMatchObject({ type: 'eventGridTrigger' });
    expect(trigger('hub')).toMatchObject({
      type: 'eventHubTrigger',
      eventHubName: 'telemetry',
      cardinality: 'many',
      consumerGroup: 'cg1',
      connection: 'EventHubConnection',
    });
    expect(registered('hub').metadata.retryOptions).toMatchObject({
      retryStrategy: 'exponentialBackoff',
      maxRetryCount: -1,
    });
    expect(trigger('blob')).toMatchObject({
      type: 'blobTrigger',
      path: 'uploads/{name}',
      connection: 'AzureWebJobsStorage',
    });
    expect(trigger('egBlob')).toMatchObject({ type: 'eventGridTrigger' });
    expect(trigger('nightly')).toMatchObject({ type: 'timerTrigger', schedule: '0 30 3 * * 1-6,0' });
    expect(trigger('grid')).toMatchObject({ type: 'eventGridTrigger' });
  });
});

describe('messages', () => {
  test('Service Bus: application properties keep their values; the library lower-cases the first letter of keys', async () => {
    const out = await invokeHost('sbq', {
      data: { string: '{"amount": 5}' },
      triggerMetadata: {
        MessageId: typed('m-1'),
        DeliveryCount: { json: '3' },
        EnqueuedTimeUtc: typed('2026-02-01T10:00:00Z'),
        ApplicationProperties: typed({ Tenant: 'acme', priority: 2 }),
        SessionId: typed('s-1'),
        SequenceNumber: { json: '42' },
        ContentType: typed('application/json'),
      },
    });
    expect(out.ok, out.error).toBe(true);
    const msg = last('sbq').event as Message;
    expect(msg).toMatchObject({
      id: 'm-1',
      deliveryCount: 3,
      groupId: 's-1',
      sequence: '42',
      source: 'payments',
    });
    expect(msg.attributes).toEqual({ tenant: 'acme', priority: '2' });
    expect(msg.enqueuedAt?.toISOString()).toBe('2026-02-01T10:00:00.000Z');
    expect(msg.json()).toEqual({ amount: 5 });
    expect(msg.contentType).toBe('application/json');
  });

  test('a failed message fails the invocation: never acknowledged (PEER-BUGS #5: non-HTTP reaches user code)', async () => {
    const out = await invokeHost('sq', {
      data: { string: '{"fail":true}' },
      triggerMetadata: { Id: typed('q-1'), DequeueCount: { json: '5' } },
    });
    expect(out.ok).toBe(false);
    expect(out.error).toBe('sq asked to fail');
    expect(last('sq').event.deliveryCount).toBe(5);
  });

  test('Event Hub batch in order; after a failure nothing later runs and the invocation throws (PEER-BUGS #13)', async () => {
    const before = seen.filter((s) => s.fn === 'hub').length;
    const out = await invokeHost('hub', {
      data: { collectionString: { string: ['{"n":1}', '{"n":2,"fail":true}', '{"n":3}'] } },
      triggerMetadata: {
        SequenceNumberArray: typed([10, 11, 12]),
        PartitionKeyArray: typed(['k', 'k', 'k']),
        PropertiesArray: typed([{ a: '1' }, {}, {}]),
        EnqueuedTimeUtcArray: typed(['2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', '2026-01-01T00:00:02Z']),
        PartitionContext: typed({ PartitionId: '3', EventHubName: 'telemetry', ConsumerGroup: 'cg1' }),
      },
    });
    expect(out.ok).toBe(false);
    expect(out.error).toContain('2 of 3 events not processed, from 3:11 on');
    const ran = seen.filter((s) => s.fn === 'hub').slice(before);
    expect(ran.map((s) => s.event.id)).toEqual(['3:10', '3:11']);
    expect(ran[0]!.event).toMatchObject({ groupId: 'k', sequence: '10', attributes: { a: '1' } });
  });

  test('topic on Event Grid: the event becomes a Message', async () => {
    const out = await invokeHost('egt', {
      data: typed({
        id: 'g1',
        topic: '/t',
        subject: 's',
        eventType: 'x.y',
        eventTime: '2026-01-01T00:00:00Z',
        data: { a: 1 },
      }),
    });
    expect(out.ok, out.error).toBe(true);
    expect(last('egt').event).toMatchObject({
      id: 'g1',
      source: 'grid-topic',
      attributes: { type: 'x.y', source: '/t', subject: 's' },
    });
    expect(last('egt').event.json()).toEqual({ a: 1 });
  });
});

describe('storage, schedule, event', () => {
  test('blob trigger → created StorageEvent from trigger metadata', async () => {
    const out = await invokeHost('blob', {
      data: { bytes: new Uint8Array([1, 2]) },
      triggerMetadata: {
        BlobTrigger: typed('uploads/photos/a b.jpg'),
        Uri: typed('https://acct.blob.core.windows.net/uploads/photos/a%20b.jpg'),
        Properties: typed({
          ContentLength: 2,
          ContentType: 'image/jpeg',
          ETag: '"0x1"',
          LastModified: '2026-01-02T00:00:00Z',
        }),
      },
    });
    expect(out.ok, out.error).toBe(true);
    expect(last('blob').event).toMatchObject({
      type: 'created',
      bucket: 'uploads',
      key: 'photos/a b.jpg',
      size: 2,
      contentType: 'image/jpeg',
      etag: '"0x1"',
    });
  });

  test('Event Grid blob events in the CloudEvents schema become StorageEvents too', async () => {
    const out = await invokeHost('egBlob', {
      data: typed({
        specversion: '1.0',
        id: 'ce-blob-1',
        source: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct',
        type: 'Microsoft.Storage.BlobDeleted',
        subject: '/blobServices/default/containers/archive/blobs/2026/report 1.pdf',
        time: '2026-03-01T12:00:00Z',
        data: { api: 'DeleteBlob', contentType: 'application/pdf', blobType: 'BlockBlob' },
      }),
    });
    expect(out.ok, out.error).toBe(true);
    expect(last('egBlob').event).toMatchObject({
      id: 'ce-blob-1',
      type: 'deleted',
      bucket: 'archive',
      key: '2026/report 1.pdf',
      contentType: 'application/pdf',
    });
  });

  test('Event Grid storage events of a type the function did not ask for are acknowledged unrun', async () => {
    const before = seen.length;
    const tierChange = {
      id: 't1',
      topic: '/acct',
      subject: '/blobServices/default/containers/archive/blobs/x',
      eventType: 'Microsoft.Storage.BlobTierChanged',
      eventTime: '2026-01-01T00:00:00Z',
      data: { accessTier: 'Cool' },
    };
    expect((await invokeHost('egBlob', { data: typed(tierChange) })).ok).toBe(true);
    expect(seen.length).toBe(before);
  });

  test('timer: isPastDue and the due occurrence; logs go through InvocationContext; deadline from functionTimeout', async () => {
    const out = await invokeHost('nightly', {
      data: typed({
        Schedule: { AdjustForDST: true },
        ScheduleStatus: {
          Last: '2026-01-01T03:30:00Z',
          Next: '2026-01-02T03:30:00Z',
          LastUpdated: '2026-01-01T03:30:00Z',
        },
        IsPastDue: true,
      }),
      invocationId: 'inv-timer-1',
    });
    expect(out.ok, out.error).toBe(true);
    const { event: ev, ctx } = last('nightly');
    expect(ev).toMatchObject({ id: 'inv-timer-1', name: 'nightly', isPastDue: true });
    expect(ev.scheduledTime.toISOString()).toBe('2026-01-02T03:30:00.000Z');
    expect(ctx.requestId).toBe('inv-timer-1');
    expect(ctx.deadline - Date.now()).toBeLessThanOrEqual(60_000);
    expect((ctx.raw as AzureRaw).context.invocationId).toBe('inv-timer-1');
    ctx.log.warn('late', { by: 'x' });
    ctx.log.error('boom', { error: new Error('e1') });
    ctx.log.debug('fine');
  });

  test('each log level reaches the host through the InvocationContext', async () => {
    const out = await invokeHost('grid', {
      data: typed({ id: 'e', topic: '/t', eventType: 'Other.Type', eventTime: '2026-01-01T00:00:00Z' }),
    });
    expect(out.ok).toBe(true);
    const ctx = last('nightly').ctx;
    const logs: { level: string; message: string }[] = [];
    const { InvocationLogger } = await import('../../src/index.ts');
    const { default: azure } = await import('@azure/functions');
    const ic = new azure.InvocationContext({
      invocationId: 'i',
      logHandler: (level, ...args) => logs.push({ level, message: String(args[0]) }),
    });
    const log = new InvocationLogger(ic, { function: 'f' });
    log.debug('d');
    log.info('i', { n: 1 });
    log.warn('w');
    log.child({ c: 2 }).error('e', { error: new Error('bad') });
    expect(logs.map((l) => l.level)).toEqual(['debug', 'information', 'warning', 'error']);
    expect(logs[1]!.message).toBe('i {"function":"f","n":1}');
    expect(JSON.parse(logs[3]!.message.slice(2))).toMatchObject({
      function: 'f',
      c: 2,
      error: { message: 'bad' },
    });
    expect(ctx.functionName).toBe('nightly');
  });

  test('Event Grid events of other types are acknowledged; a malformed one fails the invocation', async () => {
    const ok = await invokeHost('grid', {
      data: typed({
        id: 'e1',
        topic: '/t',
        eventType: 'Contoso.Items.ItemReceived',
        eventTime: '2026-01-01T00:00:00Z',
        data: 'x',
      }),
    });
    expect(ok.ok).toBe(true);
    expect(last('grid').event).toMatchObject({ id: 'e1', source: '/t', data: 'x' });
    const bad = await invokeHost('grid', {
      data: typed({ id: 'e2', eventType: 'Contoso.Items.ItemReceived' }),
    });
    expect(bad.ok).toBe(false);
    expect(bad.error).toBe('event.topic: must be a non-empty string');
    expect(
      userLogs(bad).some((l) => l.level === 'error' && l.message.includes('rejected malformed input')),
    ).toBe(true);
  });
});

test('handlers are reachable on their own, without a host', () => {
  expect(Object.keys(reg.handlers).sort()).toEqual(Object.keys(reg.plans).sort());
  for (const h of Object.values(reg.handlers)) expect(typeof h).toBe('function');
});
