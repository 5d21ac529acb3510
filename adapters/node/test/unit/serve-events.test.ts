import {
  type CloudEvent,
  defineApp,
  event,
  FunctionClient,
  http,
  type Message,
  Queue,
  queue,
  type ScheduleEvent,
  type StorageEvent,
  schedule,
  storage,
  Topic,
  topic,
} from '@polycloud/core';
import { cloudEventToBinary, cloudEventToStructured } from '@polycloud/core/cloud-events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle, type NodeServer } from '../../src/index.ts';

const seen = {
  flaky: [] as number[],
  topicA: [] as string[],
  topicB: [] as string[],
  storage: [] as StorageEvent[],
  schedule: [] as ScheduleEvent[],
  events: [] as CloudEvent[],
  ordered: [] as string[],
};

const app = defineApp({
  name: 'events-test',
  functions: {
    flaky: queue('flaky', (m) => {
      seen.flaky.push(m.deliveryCount);
      if (m.deliveryCount < 3) throw new Error(`attempt ${m.deliveryCount} fails`);
    }),
    poison: queue('poison', () => {
      throw new Error('always fails');
    }),
    ordered: queue('ordered', (m: Message) => {
      const body = m.text();
      if (body === 'second' && m.deliveryCount === 1) throw new Error('second fails once');
      seen.ordered.push(`${body}#${m.deliveryCount}`);
    }),
    subA: topic('news', (m) => {
      seen.topicA.push(m.text());
    }),
    subB: topic('news', (m) => {
      seen.topicB.push(`${m.text()}:${m.attributes.lang}`);
    }),
    uploads: storage('uploads', { events: ['created', 'deleted'] }, (e) => {
      seen.storage.push(e);
    }),
    nightly: schedule('nightly', '0 3 * * *', (e) => {
      seen.schedule.push(e);
    }),
    audit: event({ type: 'com.example.audit' }, (e) => {
      seen.events.push(e);
      if ((e.data as { fail?: boolean } | undefined)?.fail) throw new Error('asked to fail');
    }),
    producer: http('POST /produce', async (req, ctx) => {
      const { id } = await ctx.get(Queue).send('flaky', { from: 'producer' });
      await ctx.get(Topic).publish('news', 'hello', { attributes: { lang: 'en' } });
      const sum = await ctx.get(FunctionClient).invoke<{ sum: number }>('adder', req.json());
      return { id, sum };
    }),
    adder: http('POST /add', (req) => {
      const { a, b } = req.json<{ a: number; b: number }>();
      return { sum: a + b };
    }),
  },
});

let server: NodeServer;
beforeAll(async () => {
  server = await handle(app, {
    port: 0,
    schedules: false,
    handleSignals: false,
    broker: { maxDeliveries: 3, retryDelayMs: () => 10 },
  });
});
afterAll(() => server.close());

const ce = (type: string, data: unknown, extra: Record<string, unknown> = {}): CloudEvent => ({
  specversion: '1.0',
  id: `id-${Math.random()}`,
  source: '/test',
  type,
  time: '2026-11-27T03:00:00Z',
  datacontenttype: 'application/json',
  data,
  ...extra,
});

async function post(path: string, enc: { headers: Record<string, string>; body: Uint8Array }) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: enc.headers,
    body: enc.body as Uint8Array<ArrayBuffer>,
  });
}

describe('serve(): queues, topics and CloudEvents', () => {
  it('redelivers a message that fails twice, then it succeeds (nothing lost)', async () => {
    seen.flaky.length = 0;
    const res = await fetch(`${server.url}/_polycloud/queues/flaky`, {
      method: 'POST',
      body: '{"n":1}',
      headers: { 'x-attribute-origin': 'test' },
    });
    expect(res.status).toBe(202);
    await server.broker.drain();
    expect(seen.flaky).toEqual([1, 2, 3]);
  });

  it('dead-letters a message that always fails after the maximum delivery count', async () => {
    const before = (await server.broker.listDeadLetters()).length;
    const res = await fetch(`${server.url}/_polycloud/queues/poison`, {
      method: 'POST',
      body: 'bad',
      headers: { 'x-attribute-k': 'v' },
    });
    const { id } = (await res.json()) as { id: string };
    await server.broker.drain();
    const dead = (await server.broker.listDeadLetters()).slice(before);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      function: 'poison',
      source: 'poison',
      messageId: id,
      body: 'bad',
      bodyEncoding: 'utf8',
      attributes: { k: 'v' },
      deliveries: 3,
      error: 'Error: always fails',
    });
    const listed = (await (await fetch(`${server.url}/_polycloud/dead-letters`)).json()) as {
      messageId: string;
    }[];
    expect(listed.map((d) => d.messageId)).toContain(id);
  });

  it('keeps order within a message group while a failed message is retried', async () => {
    seen.ordered.length = 0;
    for (const body of ['first', 'second', 'third']) {
      await fetch(`${server.url}/_polycloud/queues/ordered`, {
        method: 'POST',
        body,
        headers: { 'x-group-id': 'g1' },
      });
    }
    await server.broker.drain();
    expect(seen.ordered).toEqual(['first#1', 'second#2', 'third#1']);
  });

  it('fans a topic message out to every subscriber with its attributes', async () => {
    seen.topicA.length = 0;
    seen.topicB.length = 0;
    await fetch(`${server.url}/_polycloud/topics/news`, {
      method: 'POST',
      body: 'hi',
      headers: { 'x-attribute-lang': 'fr' },
    });
    await server.broker.drain();
    expect(seen.topicA).toEqual(['hi']);
    expect(seen.topicB).toEqual(['hi:fr']);
  });

  it('accepts binary-mode and structured-mode CloudEvents for event functions', async () => {
    seen.events.length = 0;
    const binary = ce('com.example.audit', { who: 'ana' }, { traceparent: '00-abc-def-01', myext: 'x' });
    expect((await post('/_polycloud/events', cloudEventToBinary(binary))).status).toBe(204);
    const structured = ce('com.example.audit', new Uint8Array([0, 255, 1]), {
      datacontenttype: 'application/octet-stream',
    });
    expect((await post('/_polycloud/functions/audit', cloudEventToStructured(structured))).status).toBe(204);
    expect(seen.events[0]).toMatchObject({
      id: binary.id,
      type: 'com.example.audit',
      data: { who: 'ana' },
      traceparent: '00-abc-def-01',
      myext: 'x',
    });
    expect(seen.events[1]!.data).toEqual(new Uint8Array([0, 255, 1]));
  });

  it('answers 400 naming every missing required attribute', async () => {
    const res = await fetch(`${server.url}/_polycloud/events`, {
      method: 'POST',
      headers: { 'ce-id': '1', 'ce-specversion': '1.0', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe(
      'headers: missing required CloudEvent attribute(s): source, type',
    );
    const none = await fetch(`${server.url}/_polycloud/functions/audit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: string }).error).toMatch(/id, source, specversion, type/);
  });

  it('answers non-2xx for a failed handler so the sender redelivers', async () => {
    const res = await post(
      '/_polycloud/functions/audit',
      cloudEventToStructured(ce('com.example.audit', { fail: true })),
    );
    expect(res.status).toBe(500);
    expect(await res.text()).not.toMatch(/asked to fail/);
  });

  it('turns storage and schedule CloudEvents into neutral events', async () => {
    seen.storage.length = 0;
    seen.schedule.length = 0;
    const created = ce('com.example.storage.created', {
      bucket: 'uploads',
      key: 'a b+c/ü%.txt',
      size: 12,
      etag: 'e1',
      contentType: 'text/plain',
    });
    expect((await post('/_polycloud/functions/uploads', cloudEventToBinary(created))).status).toBe(204);
    expect(seen.storage[0]).toMatchObject({
      type: 'created',
      bucket: 'uploads',
      key: 'a b+c/ü%.txt',
      size: 12,
      etag: 'e1',
      contentType: 'text/plain',
    });
    const fired = ce('com.example.schedule', undefined);
    expect((await post('/_polycloud/functions/nightly', cloudEventToStructured(fired))).status).toBe(204);
    expect(seen.schedule[0]).toMatchObject({
      name: 'nightly',
      scheduledTime: new Date('2026-11-27T03:00:00Z'),
      isPastDue: false,
    });
  });

  it('resolves Queue, Topic and FunctionClient from the container and runs them in-process', async () => {
    seen.topicA.length = 0;
    const res = await fetch(`${server.url}/produce`, { method: 'POST', body: '{"a":2,"b":3}' });
    const body = (await res.json()) as { id: string; sum: { sum: number } };
    expect(body.sum).toEqual({ sum: 5 });
    expect(body.id).toMatch(/[0-9a-f-]{36}/);
    await server.broker.drain();
    expect(seen.topicA).toContain('hello');
  });
});
