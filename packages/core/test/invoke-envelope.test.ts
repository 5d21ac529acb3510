/**
 * `FunctionClient.invoke(name, payload)` as every adapter without a native invoke builds it (Azure and
 * GCP function clients, GCP's event entry): the payload becomes the target's neutral event, and an http
 * target's answer becomes the call's result or a FunctionInvokeError.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventForInvoke, resultFromHttpResponse } from '../src/clients/invoke-envelope.ts';
import {
  type CloudEvent,
  event,
  FunctionInvokeError,
  HttpRequest,
  http,
  InvalidEventError,
  Message,
  queue,
  type ScheduleEvent,
  type StorageEvent,
  schedule,
  storage,
  topic,
} from '../src/index.ts';

const ok = () => undefined;
const NOW = new Date('2026-12-07T10:11:12.345Z');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

afterEach(() => {
  vi.useRealTimers();
});

describe('eventForInvoke: an http target', () => {
  it('gets its only method, the payload as JSON and the headers that mark a call', () => {
    const req = eventForInvoke(
      'price',
      http('PUT /prices', ok),
      { sku: 'A1', qty: 2 },
      'id-1',
    ) as HttpRequest;
    expect(req).toBeInstanceOf(HttpRequest);
    expect(req.method).toBe('PUT');
    expect(req.rawPath).toBe('/prices');
    expect(text(req.body)).toBe('{"sku":"A1","qty":2}');
    expect(req.headers.toJSON()).toEqual({
      'content-type': 'application/json',
      'x-polycloud-invoke': 'price',
    });
  });

  it('gets a POST when its route takes several methods or any', () => {
    for (const def of [http('GET,PUT /a', ok), http('ANY /a', ok), http('/a', ok)]) {
      expect((eventForInvoke('f', def, {}, 'id') as HttpRequest).method).toBe('POST');
    }
  });

  it('fills :params from the payload, percent-encoded, and drops a trailing *', () => {
    const def = http('GET /orders/:orderId/items/:sku/*', ok);
    const req = eventForInvoke('f', def, { orderId: 'o 1/2', sku: 42 }, 'id') as HttpRequest;
    expect(req.rawPath).toBe('/orders/o%201%2F2/items/42/');
    expect(req.path).toBe('/orders/o 1%2F2/items/42/');
  });

  it('keeps a param name whose field is missing, null, or whose payload is no object', () => {
    const def = http('POST /orders/:id', ok);
    expect((eventForInvoke('f', def, {}, 'id') as HttpRequest).rawPath).toBe('/orders/id');
    expect((eventForInvoke('f', def, { id: null }, 'id') as HttpRequest).rawPath).toBe('/orders/id');
    expect((eventForInvoke('f', def, 'o-1', 'id') as HttpRequest).rawPath).toBe('/orders/id');
    expect((eventForInvoke('f', def, null, 'id') as HttpRequest).rawPath).toBe('/orders/id');
    // A falsy field is still a value.
    expect((eventForInvoke('f', def, { id: 0 }, 'id') as HttpRequest).rawPath).toBe('/orders/0');
  });

  it('sends no body for an undefined payload and JSON for any other', () => {
    const def = http('POST /x', ok);
    expect((eventForInvoke('f', def, undefined, 'id') as HttpRequest).body).toHaveLength(0);
    expect(text((eventForInvoke('f', def, null, 'id') as HttpRequest).body)).toBe('null');
    expect(text((eventForInvoke('f', def, 'ü', 'id') as HttpRequest).body)).toBe('"ü"');
  });

  it("fills no param from a payload that is no object, not even a string's own length", () => {
    const def = http('GET /pad/:length', ok);
    expect((eventForInvoke('f', def, 'abcd', 'id') as HttpRequest).rawPath).toBe('/pad/length');
  });

  it('answers the root route with "/"', () => {
    expect((eventForInvoke('f', http('GET /', ok), {}, 'id') as HttpRequest).rawPath).toBe('/');
  });
});

describe('eventForInvoke: queue and topic targets get a Message', () => {
  it('with the id, the JSON body, the queue or topic as source and the time of the call', () => {
    vi.useFakeTimers({ now: NOW });
    const fromQueue = eventForInvoke('q', queue('orders', ok), { n: 1 }, 'm-1') as Message;
    expect(fromQueue).toBeInstanceOf(Message);
    expect(fromQueue).toMatchObject({
      id: 'm-1',
      source: 'orders',
      contentType: 'application/json',
      enqueuedAt: NOW,
    });
    expect(text(fromQueue.body)).toBe('{"n":1}');
    expect(fromQueue.json()).toEqual({ n: 1 });
    const fromTopic = eventForInvoke('t', topic('order-events', ok), undefined, 'm-2') as Message;
    expect(fromTopic).toMatchObject({ id: 'm-2', source: 'order-events', contentType: 'application/json' });
    expect(fromTopic.body).toHaveLength(0);
  });
});

describe('eventForInvoke: an event target gets a CloudEvent', () => {
  it('of its first filtered type, from "polycloud", with the payload as data', () => {
    vi.useFakeTimers({ now: NOW });
    const def = event({ type: ['com.example.a', 'com.example.b'] }, ok);
    expect(eventForInvoke('e', def, { a: 1 }, 'ce-1')).toStrictEqual({
      specversion: '1.0',
      id: 'ce-1',
      source: 'polycloud',
      type: 'com.example.a',
      time: '2026-12-07T10:11:12.345Z',
      datacontenttype: 'application/json',
      data: { a: 1 },
    } satisfies CloudEvent);
  });

  it('of type "polycloud.invoke" when it filters no type', () => {
    const ce = eventForInvoke('e', event({ source: 'x' }, ok), 'p', 'ce-2') as CloudEvent;
    expect(ce.type).toBe('polycloud.invoke');
    expect(ce.data).toBe('p');
  });
});

describe('eventForInvoke: schedule and storage targets', () => {
  it('a schedule target gets a tick of its schedule, due now, with the payload as raw', () => {
    vi.useFakeTimers({ now: NOW });
    expect(eventForInvoke('s', schedule('nightly', '0 3 * * *', ok), { why: 'test' }, 's-1')).toStrictEqual({
      id: 's-1',
      name: 'nightly',
      scheduledTime: NOW,
      isPastDue: false,
      raw: { why: 'test' },
    } satisfies ScheduleEvent);
  });

  it('a storage target gets the payload fields, its own bucket and a created event by default', () => {
    const def = storage('receipts', ok);
    expect(eventForInvoke('s', def, { key: 'a.json' }, 'st-1')).toStrictEqual({
      id: 'st-1',
      type: 'created',
      bucket: 'receipts',
      key: 'a.json',
      raw: { key: 'a.json' },
    } satisfies StorageEvent);
    const given = { type: 'deleted', bucket: 'other', key: 7 };
    expect(eventForInvoke('s', def, given, 'st-2')).toStrictEqual({
      id: 'st-2',
      type: 'deleted',
      bucket: 'other',
      key: '7',
      raw: given,
    });
    expect(eventForInvoke('s', def, undefined, 'st-3')).toStrictEqual({
      id: 'st-3',
      type: 'created',
      bucket: 'receipts',
      key: '',
      raw: undefined,
    });
  });
});

describe('resultFromHttpResponse', () => {
  const answer = (status: number, headers: Record<string, string>, body: string | Uint8Array) => ({
    status,
    headers,
    cookies: [],
    body,
  });

  it('reads JSON as a value, text as a string, bytes as bytes and an empty body as undefined', () => {
    expect(
      resultFromHttpResponse('f', answer(200, { 'content-type': 'application/json' }, '{"a":[1]}')),
    ).toEqual({
      a: [1],
    });
    expect(
      resultFromHttpResponse('f', answer(200, { 'content-type': 'application/problem+json' }, '"x"')),
    ).toBe('x');
    expect(resultFromHttpResponse('f', answer(200, { 'content-type': 'text/plain' }, '{"a":1}'))).toBe(
      '{"a":1}',
    );
    expect(resultFromHttpResponse('f', answer(200, {}, new TextEncoder().encode('hé')))).toBe('hé');
    const bytes = new Uint8Array([0, 255]);
    const binary = resultFromHttpResponse('f', answer(200, { 'content-type': 'image/png' }, bytes));
    expect(binary).toBeInstanceOf(Uint8Array);
    expect([...(binary as Uint8Array)]).toEqual([0, 255]);
    expect(
      resultFromHttpResponse('f', answer(204, { 'content-type': 'application/json' }, '')),
    ).toBeUndefined();
    expect(resultFromHttpResponse('f', answer(200, {}, new Uint8Array(0)))).toBeUndefined();
  });

  it('reads a text body whose content type is missing or names no JSON as text', () => {
    expect(resultFromHttpResponse('f', answer(200, {}, '{"a":1}'))).toBe('{"a":1}');
  });

  it('refuses a success whose JSON does not parse as InvalidResponse, the parse error as cause', () => {
    let thrown: unknown;
    try {
      resultFromHttpResponse('price', answer(200, { 'content-type': 'application/json' }, '{"a":'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FunctionInvokeError);
    expect(thrown).toMatchObject({
      errorType: 'InvalidResponse',
      errorMessage: 'the function answered with non-JSON',
      status: 200,
    });
    expect((thrown as Error).cause).toBeInstanceOf(InvalidEventError);
    expect(((thrown as Error).cause as Error).message).toMatch(/^response: malformed JSON/);
  });

  it('keeps the text of an error answer whose JSON does not parse', () => {
    expect(() =>
      resultFromHttpResponse('f', answer(502, { 'content-type': 'application/json' }, '<html>')),
    ).toThrow(expect.objectContaining({ errorType: 'HttpError502', errorMessage: '<html>', status: 502 }));
  });

  it('returns an answer below 400 and throws from 400 on', () => {
    expect(resultFromHttpResponse('f', answer(399, { 'content-type': 'text/plain' }, 'moved'))).toBe('moved');
    expect(() => resultFromHttpResponse('f', answer(400, { 'content-type': 'text/plain' }, 'bad'))).toThrow(
      FunctionInvokeError,
    );
  });

  it('throws a FunctionInvokeError with the status and the error the target answered', () => {
    const thrown = (status: number, headers: Record<string, string>, body: string) => {
      try {
        resultFromHttpResponse('price', answer(status, headers, body));
      } catch (error) {
        expect(error).toBeInstanceOf(FunctionInvokeError);
        return error as FunctionInvokeError;
      }
      throw new Error('no FunctionInvokeError');
    };
    const json = { 'content-type': 'application/json' };
    expect(thrown(404, json, '{"error":"no such sku"}')).toMatchObject({
      functionName: 'price',
      errorType: 'HttpError404',
      errorMessage: 'no such sku',
      status: 404,
      message: 'price failed: HttpError404: no such sku',
    });
    // Any other JSON reaches the caller as written, not as "[object Object]".
    expect(thrown(422, json, '{"error":{"code":7}}').errorMessage).toBe('{"code":7}');
    expect(thrown(500, json, '{"message":"boom"}').errorMessage).toBe('{"message":"boom"}');
    expect(thrown(500, json, '[1,"two"]').errorMessage).toBe('[1,"two"]');
    expect(thrown(500, json, '{"error":null}').errorMessage).toBe('');
    expect(thrown(500, json, 'null').errorMessage).toBe('');
    expect(thrown(500, json, '{"error":404}').errorMessage).toBe('404');
    expect(thrown(502, json, '"gateway"').errorMessage).toBe('gateway');
    expect(thrown(503, { 'content-type': 'text/plain' }, 'try later').errorMessage).toBe('try later');
    expect(thrown(500, {}, '').errorMessage).toBe('');
  });
});
