/** Event-driven entry: status codes, envelope validation, protobuf data, Pub/Sub details, invocation. */
import { defineApp, event, type Message, queue, schedule, storage } from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle } from '../../src/index.ts';
import { frameworkRequest, frameworkResponse } from '../support/framework-request.ts';
import { serveAll } from '../support/framework-server.ts';
import { send, text } from '../support/wire.ts';

const got: unknown[] = [];
const app = defineApp({
  name: 'events-gcp',
  functions: {
    evQueue: queue('orders', (m) => {
      got.push(m);
      if ((m.json() as { fail?: boolean }).fail) throw new Error('db password hunter2 leaked?');
    }),
    evStorage: storage('bucket', (e) => {
      got.push(e);
    }),
    evSchedule: schedule('nightly', '0 3 * * *', (e) => {
      got.push(e);
    }),
    evEvent: event({ type: ['google.cloud.firestore.document.v1.written', 'com.example.ping'] }, (e, ctx) => {
      got.push(e);
      return { pong: e.data, requestId: ctx.requestId };
    }),
  },
});

let served: Awaited<ReturnType<typeof serveAll>>;
beforeAll(async () => {
  handle(app);
  served = await serveAll(['evQueue', 'evStorage', 'evSchedule', 'evEvent']);
});
afterAll(() => served.close());

const post = async (fn: string, headers: [string, string][], body: string | Uint8Array = '') => {
  got.length = 0;
  const res = await send(served.urls[fn]!, { method: 'POST', headers, body });
  const t = text(res.body);
  return { status: res.status, error: t ? (JSON.parse(t) as { error?: string }).error : undefined, body: t };
};
const ce = (type: string, extra: [string, string][] = []): [string, string][] => [
  ['ce-specversion', '1.0'],
  ['ce-id', 'id-1'],
  ['ce-source', '//test'],
  ['ce-type', type],
  ...extra,
];
const push = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ subscription: 'projects/p/subscriptions/s', message, ...extra });

describe('envelope validation → 400 naming what is wrong', () => {
  it('an empty JSON object (what the framework hands a cloudEvent function) names all four attributes', async () => {
    const r = await post('evEvent', [['content-type', 'application/json']], '{}');
    expect(r.status).toBe(400);
    expect(r.error).toBe(
      'headers: not a CloudEvent: no ce-* headers and content-type is not application/cloudevents+json; missing required CloudEvent attribute(s): id, source, specversion, type',
    );
  });

  it('binary mode with some ce-* headers names the missing ones', async () => {
    const r = await post('evEvent', [
      ['ce-id', '1'],
      ['ce-type', 'com.example.ping'],
    ]);
    expect(r).toMatchObject({
      status: 400,
      error: 'headers: missing required CloudEvent attribute(s): source, specversion',
    });
  });

  it.each([
    [
      'structured without type',
      '{"specversion":"1.0","id":"1","source":"s"}',
      'body: missing required CloudEvent attribute(s): type',
    ],
    [
      'structured with a bad time',
      '{"specversion":"1.0","id":"1","source":"s","type":"t","time":"yesterday"}',
      'body.time: time must be an RFC 3339 timestamp',
    ],
    [
      'structured data_base64 not base64',
      '{"specversion":"1.0","id":"1","source":"s","type":"t","data_base64":"%%%"}',
      'body.data_base64: data_base64 is not valid base64',
    ],
  ])('%s', async (_what, body, error) => {
    const r = await post('evEvent', [['content-type', 'application/cloudevents+json']], body);
    expect(r.status).toBe(400);
    expect(r.error).toContain(error);
  });

  it('broken structured JSON is refused by the framework’s body-parser (400, before the function runs)', async () => {
    const res = await send(served.urls.evEvent!, {
      method: 'POST',
      headers: [['content-type', 'application/cloudevents+json']],
      body: '{"specversion":',
    });
    expect(res.status).toBe(400);
    expect(text(res.body)).not.toMatch(/SyntaxError|node_modules|at /);
  });

  it('a batch is refused; a GET is 405', async () => {
    expect(
      (await post('evEvent', [['content-type', 'application/cloudevents-batch+json']], '[]')).status,
    ).toBe(400);
    const get = await send(served.urls.evEvent!, {});
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });

  it('an event of the wrong service for the function kind is a 400, not a crash', async () => {
    const r = await post(
      'evStorage',
      [...ce('google.cloud.pubsub.topic.v1.messagePublished'), ['content-type', 'application/json']],
      '{}',
    );
    expect(r).toMatchObject({
      status: 400,
      error: expect.stringContaining('event.type: expected a google.cloud.storage.object.v1.* event'),
    });
    const q = await post(
      'evQueue',
      [...ce('google.cloud.storage.object.v1.finalized'), ['content-type', 'application/json']],
      '{}',
    );
    expect(q.error).toContain('event.type: expected a google.cloud.pubsub.topic.v1.messagePublished event');
  });
});

describe('Pub/Sub → Message', () => {
  it('a push body: base64 data, attributes, id, publish time, ordering key, delivery attempt', async () => {
    const r = await post(
      'evQueue',
      [['content-type', 'application/json']],
      push(
        {
          messageId: 'm1',
          publishTime: '2024-01-01T00:00:00.5Z',
          data: 'eyJhIjoxfQ==',
          attributes: { k: 'v' },
          orderingKey: 'o',
        },
        { deliveryAttempt: 4 },
      ),
    );
    expect(r.status).toBe(204);
    const m = got[0] as Message;
    expect(m.toJSON()).toEqual({
      id: 'm1',
      source: 'orders',
      bodyBase64: 'eyJhIjoxfQ==',
      attributes: { k: 'v' },
      deliveryCount: 4,
      enqueuedAt: '2024-01-01T00:00:00.500Z',
      groupId: 'o',
      sequence: undefined,
      contentType: undefined,
    });
  });

  it('a failed message answers 500 (Pub/Sub redelivers) and the error never reaches the body', async () => {
    const r = await post(
      'evQueue',
      [['content-type', 'application/json']],
      push({ messageId: 'm2', data: 'eyJmYWlsIjp0cnVlfQ==' }),
    );
    expect(r.status).toBe(500);
    expect(r.body).toBe('{"error":"Internal Server Error"}');
  });

  it.each([
    [{ messageId: 'm3', data: 'a*b' }, 'body.message.data: is not valid base64'],
    [{ data: 'AA==' }, 'body: not a CloudEvent'],
    [{ messageId: 'm4', attributes: { n: 1 } }, 'body.message.attributes.n: must be a string'],
    [{ messageId: 'm5', publishTime: 'soon' }, 'body.message.publishTime: must be an RFC 3339 timestamp'],
  ])('%j → 400 %s', async (message, error) => {
    const r = await post('evQueue', [['content-type', 'application/json']], push(message));
    expect(r.status).toBe(400);
    expect(r.error).toContain(error.replace('body: not a CloudEvent', 'not a CloudEvent'));
  });

  it('an attributes-only message (no data) has an empty body', async () => {
    const r = await post(
      'evQueue',
      [['content-type', 'application/json']],
      push({ messageId: 'm6', attributes: { only: 'attrs' } }),
    );
    // The handler parses the body as JSON: an empty body fails it, which is the handler's business.
    expect(r.status).toBe(500);
    expect((got[0] as Message).body.length).toBe(0);
  });
});

describe('event functions', () => {
  it('protobuf data (Firestore’s default) stays bytes with its content type', async () => {
    const bytes = Uint8Array.from([0x0a, 0x03, 0x66, 0x6f, 0x6f, 0xff]);
    const r = await post(
      'evEvent',
      ce('google.cloud.firestore.document.v1.written', [['content-type', 'application/protobuf']]),
      bytes,
    );
    expect(r.status).toBe(204);
    const ev = got[0] as { data: Uint8Array; datacontenttype: string };
    expect(ev.datacontenttype).toBe('application/protobuf');
    expect(ev.data).toBeInstanceOf(Uint8Array);
    expect([...ev.data]).toEqual([...bytes]);
  });

  it('an event of a type the function does not subscribe to is acknowledged without running it', async () => {
    const r = await post('evEvent', ce('com.example.other', [['content-type', 'application/json']]), '{}');
    expect(r.status).toBe(204);
    expect(got).toEqual([]);
  });

  it('a FunctionClient invocation (envelope + header) runs the function and answers its result', async () => {
    const r = await post(
      'evEvent',
      [
        ['content-type', 'application/json'],
        ['x-polycloud-invoke', 'evEvent'],
        ['function-execution-id', 'inv-1'],
      ],
      JSON.stringify({ 'polycloud:invoke': { function: 'evEvent', payload: { n: 1 } } }),
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ pong: { n: 1 }, requestId: 'inv-1' });
    const wrong = await post(
      'evEvent',
      [
        ['content-type', 'application/json'],
        ['x-polycloud-invoke', 'evQueue'],
      ],
      JSON.stringify({ 'polycloud:invoke': { function: 'evQueue', payload: {} } }),
    );
    expect(wrong.status).toBe(400);
  });
});

describe('schedule and storage', () => {
  it('Scheduler via Pub/Sub push → ScheduleEvent at the publish time', async () => {
    const r = await post(
      'evSchedule',
      [['content-type', 'application/json']],
      push({ messageId: 't1', publishTime: '2024-02-03T03:00:00Z', data: 'e30=' }),
    );
    expect(r.status).toBe(204);
    expect(got[0]).toMatchObject({ id: 't1', name: 'nightly', isPastDue: false });
    expect((got[0] as { scheduledTime: Date }).scheduledTime.toISOString()).toBe('2024-02-03T03:00:00.000Z');
  });

  it('a plain POST to a schedule function is not a tick', async () => {
    const r = await post('evSchedule', [['content-type', 'text/plain']], 'hi');
    expect(r.status).toBe(400);
  });

  it('storage: a negative size or a missing name is a 400 naming the field', async () => {
    const json: [string, string] = ['content-type', 'application/json'];
    const bad = await post(
      'evStorage',
      [...ce('google.cloud.storage.object.v1.finalized'), json],
      '{"bucket":"b","name":"k","size":"-1"}',
    );
    expect(bad.error).toBe('event.data.size: must be a non-negative integer');
    const noName = await post(
      'evStorage',
      [...ce('google.cloud.storage.object.v1.finalized'), json],
      '{"bucket":"b"}',
    );
    expect(noName.error).toBe('event.data.name: missing name');
  });
});

describe('event functions: no promise unless the handler needs one', () => {
  const direct = handle(
    defineApp({
      name: 'direct-events',
      functions: {
        syncQueue: queue('direct-sync', (m) => {
          if ((m.json() as { fail?: boolean }).fail) throw new Error('sync failure');
        }),
        asyncQueue: queue('direct-async', async (m) => {
          await new Promise((r) => setTimeout(r, 1));
          if ((m.json() as { fail?: boolean }).fail) throw new Error('async failure');
        }),
      },
    }),
  ).handlers;
  // A Pub/Sub push, as the framework hands it over after its middleware.
  const request = (data: unknown) =>
    frameworkRequest(
      'POST',
      '/',
      Buffer.from(
        JSON.stringify({
          subscription: 'projects/p/subscriptions/s',
          message: {
            data: Buffer.from(JSON.stringify(data)).toString('base64'),
            messageId: 'm-1',
            publishTime: '2026-11-27T00:00:00Z',
          },
        }),
      ),
      { 'content-type': 'application/json' },
    );
  const response = () => frameworkResponse().res;

  it('a synchronous handler: 204 (or 500 when it throws) before the entry returns, which returns nothing', () => {
    const ok = response();
    expect(direct.syncQueue!(request({ fail: false }), ok)).toBeUndefined();
    expect(ok.statusCode).toBe(204);
    const failed = response();
    expect(direct.syncQueue!(request({ fail: true }), failed)).toBeUndefined();
    expect(failed.statusCode).toBe(500);
  });

  it('an asynchronous handler: a promise that resolves (never rejects) once 204 or 500 is written', async () => {
    for (const [fail, status] of [
      [false, 204],
      [true, 500],
    ] as const) {
      const res = response();
      const out = direct.asyncQueue!(request({ fail }), res) as unknown;
      expect(out).toBeInstanceOf(Promise);
      await expect(out).resolves.toBeUndefined();
      expect(res.statusCode).toBe(status);
    }
  });
});
