import type { Request } from '@google-cloud/functions-framework';
import {
  type Context,
  defineApp,
  event,
  http,
  type Message,
  queue,
  schedule,
  storage,
  topic,
} from '@polycloud/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { neutralEvent } from '../../src/events/event-entry.ts';
import { handle } from '../../src/index.ts';
import { frameworkRequest, frameworkResponse, streamingRequest } from '../support/framework-request.ts';

interface Seen {
  fn: string;
  event: unknown;
  requestId: string;
  raw: { provider?: string; req?: unknown; input?: { type?: string } };
}
const seen: Seen[] = [];
const record =
  (fn: string, answer?: unknown) =>
  (e: unknown, ctx: Context): unknown => {
    seen.push({ fn, event: e, requestId: ctx.requestId, raw: ctx.raw as Seen['raw'] });
    return answer;
  };

const app = defineApp({
  name: 'event-entry',
  functions: {
    orders: queue('orders', record('orders')),
    fanout: topic('events', record('fanout')),
    uploads: storage('uploads', record('uploads')),
    nightly: schedule('nightly', '0 3 * * *', record('nightly')),
    audit: event({ type: 'com.example.audit' }, record('audit', { pong: true })),
    page: http('GET /page', () => 'page'),
  },
});
const { runtime, handlers } = handle(app, { project: 'p' });

afterEach(() => {
  seen.length = 0;
  vi.restoreAllMocks();
});

const pushBody = (messageId = 'm-1') =>
  Buffer.from(
    JSON.stringify({
      subscription: 'projects/p/subscriptions/s',
      message: { data: Buffer.from('hi').toString('base64'), messageId, publishTime: '2026-11-27T00:00:00Z' },
    }),
  );
const json = { 'content-type': 'application/json' };

async function call(fn: string, req: Request) {
  const { res, sent } = frameworkResponse();
  // writeNodeResponse writes one flat header list with writeHead, which getHeaders() does not show.
  const headers: Record<string, string> = {};
  const writeHead = res.writeHead.bind(res);
  res.writeHead = ((status: number, list?: string[]) => {
    for (let i = 0; list && i + 1 < list.length; i += 2) headers[list[i]!.toLowerCase()] = list[i + 1]!;
    return writeHead(status, list as never);
  }) as never;
  await handlers[fn]!(req, res);
  const body = sent();
  return {
    status: res.statusCode,
    headers,
    body: body === undefined ? undefined : JSON.parse(Buffer.from(body as Uint8Array).toString()),
  };
}

describe('the method', () => {
  it('anything but POST is 405 with Allow: POST and a JSON error, and runs nothing', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await call('orders', frameworkRequest(method, '/', undefined));
      expect(r).toMatchObject({
        status: 405,
        headers: { allow: 'POST' },
        body: { error: 'Method Not Allowed' },
      });
    }
    expect(seen).toEqual([]);
  });
});

describe('which input each kind takes', () => {
  const tick = () =>
    frameworkRequest('POST', '/', Buffer.from('{}'), { ...json, 'x-cloudscheduler': 'true' });

  it('a queue or topic function refuses a Cloud Scheduler tick: 400, not a crash', async () => {
    expect(await call('orders', tick())).toEqual({
      status: 400,
      headers: expect.anything(),
      body: { error: 'body: a queue function takes Pub/Sub messages or Cloud Tasks tasks' },
    });
    expect((await call('fanout', tick())).body).toEqual({
      error: 'body: a topic function takes Pub/Sub messages or Cloud Tasks tasks',
    });
  });

  it('a storage function refuses a Pub/Sub push, and an event function too', async () => {
    const push = () => frameworkRequest('POST', '/', pushBody(), json);
    expect(await call('uploads', push())).toMatchObject({
      status: 400,
      body: { error: 'body: a storage function takes Cloud Storage CloudEvents' },
    });
    expect(await call('audit', push())).toMatchObject({
      status: 400,
      body: { error: 'body: an event function takes CloudEvents' },
    });
    expect(seen).toEqual([]);
  });

  it('an http function has its own entry: neutralEvent refuses it outright', () => {
    expect(() => neutralEvent(app.functions.get('page')!, { type: 'push', body: {} } as never, 'x')).toThrow(
      new TypeError('http functions have their own entry'),
    );
  });

  it('a Cloud Scheduler HTTP-target tick is named by the execution id', async () => {
    const req = frameworkRequest('POST', '/', Buffer.from('{}'), {
      ...json,
      'x-cloudscheduler': 'true',
      'x-cloudscheduler-scheduletime': '2026-11-27T03:00:00Z',
    });
    expect((await call('nightly', req)).status).toBe(204);
    expect(seen[0]!.event).toMatchObject({ id: 'exec-1', name: 'nightly' });
  });
});

describe('request id and raw input', () => {
  it('without a function-execution-id header, the message’s own id is the request id', async () => {
    await call('orders', frameworkRequest('POST', '/', pushBody('pubsub-77'), json));
    expect(seen[0]!.requestId).toBe('pubsub-77');
    const task = frameworkRequest('POST', '/', Buffer.from('x'), {
      'x-cloudtasks-taskname': 'task-5',
      'x-cloudtasks-queuename': 'q',
    });
    await call('orders', task);
    expect(seen[1]!.requestId).toBe('task-5');
    const ce = frameworkRequest('POST', '/', Buffer.from('{}'), {
      ...json,
      'ce-specversion': '1.0',
      'ce-id': 'ce-9',
      'ce-source': '//x',
      'ce-type': 'com.example.audit',
    });
    await call('audit', ce);
    expect(seen[2]!.requestId).toBe('ce-9');
  });

  it('with the header, the execution id is the request id', async () => {
    await call(
      'orders',
      frameworkRequest('POST', '/', pushBody('pubsub-77'), { ...json, 'function-execution-id': 'run-3' }),
    );
    expect(seen[0]!.requestId).toBe('run-3');
  });

  it('ctx.raw is the gcp request, response and native input', async () => {
    const req = frameworkRequest('POST', '/', pushBody(), json);
    await call('orders', req);
    expect(seen[0]!.raw.provider).toBe('gcp');
    expect(seen[0]!.raw.req).toBe(req);
    expect(seen[0]!.raw.input?.type).toBe('push');
  });
});

describe('FunctionClient invocations', () => {
  const invoke = (target: string, payload: unknown, headers: Record<string, string> = {}) =>
    frameworkRequest(
      'POST',
      '/',
      Buffer.from(JSON.stringify({ 'polycloud:invoke': { function: target, payload } })),
      { ...json, 'x-polycloud-invoke': target, ...headers },
    );

  it('a result is answered 200 with it; no result is 204 without a body', async () => {
    expect(await call('audit', invoke('audit', { n: 1 }))).toMatchObject({
      status: 200,
      body: { pong: true },
    });
    expect(await call('orders', invoke('orders', { n: 2 }))).toMatchObject({ status: 204, body: undefined });
  });

  it('the invocation’s id is the execution id header, else the framework’s execution id', async () => {
    await call('orders', invoke('orders', { n: 1 }, { 'function-execution-id': 'inv-9' }));
    expect((seen[0]!.event as Message).id).toBe('inv-9');
    await call('orders', invoke('orders', { n: 1 }));
    expect((seen[1]!.event as Message).id).toBe('exec-1');
  });

  it('a call meant for another function is a 400 naming both', async () => {
    expect(await call('orders', invoke('worker', {}))).toMatchObject({
      status: 400,
      body: { error: 'body.polycloud:invoke.function: this is orders, not worker' },
    });
    expect(seen).toEqual([]);
  });
});

describe('a body still in the stream (no raw-body hook: a framework server created before registering)', () => {
  const streaming = (body: Buffer | Error, headers: Record<string, string>) =>
    streamingRequest(body, headers);

  it('is read, then handled', async () => {
    const body = pushBody('streamed-1');
    const r = await call('orders', streaming(body, { 'content-length': String(body.length) }));
    expect(r.status).toBe(204);
    expect((seen[0]!.event as Message).id).toBe('streamed-1');
  });

  it('one declaring more than Cloud Run’s 32 MiB is a 413, unread', async () => {
    const r = await call(
      'orders',
      streaming(Buffer.from('x'), { 'content-length': String(33 * 1024 * 1024) }),
    );
    expect(r.status).toBe(413);
    expect(seen).toEqual([]);
  });

  it('a broken upload is a logged 500 that says nothing of the cause', async () => {
    const errors = vi.spyOn(runtime.log, 'error').mockImplementation(() => undefined);
    const r = await call(
      'orders',
      streaming(new Error('socket hang up'), { 'transfer-encoding': 'chunked' }),
    );
    expect(r).toMatchObject({ status: 500, body: { error: 'Internal Server Error' } });
    expect(errors).toHaveBeenCalledWith('could not read the event', {
      function: 'orders',
      error: expect.objectContaining({ message: 'socket hang up' }),
    });
  });
});
