import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type Context,
  event,
  FunctionInvokeError,
  HttpError,
  http,
  QueueSendError,
  queue,
  type RouteParams,
  schedule,
  storage,
  TopicPublishError,
  token,
} from '../src/index.ts';

// These checks run in `npm run typecheck` (tsc covers test files); the `it` bodies also run the builders.
describe('route params typed from the route literal', () => {
  it('names each :param as a string, `*` as "*", and nothing else', () => {
    expectTypeOf<RouteParams<'GET /orders/:id'>>().toEqualTypeOf<Readonly<{ id: string }>>();
    expectTypeOf<RouteParams<'GET,POST /orders/:orderId/items/:sku'>>().toEqualTypeOf<
      Readonly<{ orderId: string; sku: string }>
    >();
    expectTypeOf<RouteParams<'ANY /files/*'>>().toEqualTypeOf<Readonly<{ '*': string }>>();
    expectTypeOf<RouteParams<'/users/:id/files/*'>>().toEqualTypeOf<Readonly<{ id: string; '*': string }>>();
    expectTypeOf<RouteParams<'GET /health'>>().toEqualTypeOf<Readonly<{}>>();
    expectTypeOf<RouteParams<string>>().toEqualTypeOf<Readonly<Record<string, string>>>();
  });

  it('types req.params in the handler without a `!`', () => {
    const fn = http('GET /orders/:id', (req) => {
      expectTypeOf(req.params.id).toEqualTypeOf<string>();
      // @ts-expect-error: the route declares no :sku
      void req.params.sku;
      return req.params.id;
    });
    expect(fn.route.path).toBe('/orders/:id');
    http('PUT /orders/:id', { timeoutMs: 1000 }, (req) => {
      expectTypeOf(req.params).toEqualTypeOf<Readonly<{ id: string }>>();
      return null;
    });
  });
});

describe('classes as DI keys', () => {
  it('resolve to their instance type, tokens to theirs', () => {
    class OrderStore {
      get(id: string) {
        return { id };
      }
    }
    abstract class Clock {
      abstract now(): number;
    }
    const Greeting = token<string>('test.Greeting');
    expectTypeOf((ctx: Context) => ctx.get(OrderStore)).returns.toEqualTypeOf<OrderStore>();
    expectTypeOf((ctx: Context) => ctx.get(Clock)).returns.toEqualTypeOf<Clock>();
    expectTypeOf((ctx: Context) => ctx.get(Greeting)).returns.toEqualTypeOf<string>();
  });
});

describe('errors', () => {
  it('HttpError keeps its cause and lower-cases its headers', () => {
    const cause = new Error('db down');
    const error = new HttpError(503, 'try later', undefined, { cause, headers: { 'Retry-After': '30' } });
    expect(error.cause).toBe(cause);
    expect(error.headers).toEqual({ 'retry-after': '30' });
    expect(new HttpError(404).headers).toEqual({});
    expect('cause' in new HttpError(404)).toBe(false);
  });

  it('outbound errors name their target and carry the provider error as cause', () => {
    const cause = Object.assign(new Error('Access denied'), { name: 'AccessDenied' });
    const sent = new QueueSendError('orders', { cause });
    expect(sent).toBeInstanceOf(Error);
    expect(sent.name).toBe('QueueSendError');
    expect(sent.queue).toBe('orders');
    expect(sent.cause).toBe(cause);
    expect(sent.message).toBe('sending to queue "orders" failed: Access denied');
    const published = new TopicPublishError('events', { cause, message: 'Publish failed' });
    expect(published.topic).toBe('events');
    expect(published.message).toBe('Publish failed');
    expect(published.cause).toBe(cause);
    const invoked = new FunctionInvokeError('price', 'AccessDenied', 'Access denied', 403, { cause });
    expect(invoked.cause).toBe(cause);
    expect(invoked.status).toBe(403);
  });
});

describe('one argument order for every trigger builder', () => {
  it('takes (trigger, options?, handler) everywhere and still builds the deprecated (trigger, handler, options) the same', () => {
    const h = () => undefined;
    expect(storage('uploads', { events: ['deleted'] }, h)).toEqual(
      storage('uploads', h, { events: ['deleted'] }),
    );
    expect(storage('uploads', { events: ['deleted'] }, h).events).toEqual(['deleted']);
    expect(schedule('n', '0 3 * * *', { timezone: 'Europe/Paris' }, h)).toEqual(
      schedule('n', '0 3 * * *', h, { timezone: 'Europe/Paris' }),
    );
    expect(schedule('n', '0 3 * * *', { timezone: 'Europe/Paris' }, h).timezone).toBe('Europe/Paris');
    expect(event({ type: 't' }, { timeoutMs: 5 }, h).options).toEqual({ timeoutMs: 5 });
    expect(event({ type: 't' }, h, { timeoutMs: 5 }).options).toEqual({ timeoutMs: 5 });
    expect(queue('q', { memoryMb: 256 }, h).options).toEqual({ memoryMb: 256 });
    expect(http('GET /x', { memoryMb: 256 }, h).options).toEqual(
      http('GET /x', h, { memoryMb: 256 }).options,
    );
    expect(() => storage('uploads', {} as never)).toThrow(/a handler function is required/);
  });
});
