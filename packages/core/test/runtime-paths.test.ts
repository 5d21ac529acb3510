/**
 * The runtime's paths a client or an operator meets beyond the plain handler: a host's own route
 * params, a malformed path (no context yet: neither `onError` nor a handler runs), `onError`
 * mapping a thrown error, the default 404 and a failing `notFound`, validation issues in a 400 and
 * the field each kind's body is named by, handlers with middleware returning thenables, every kind
 * of function behind middleware, the skipped-event debug lines, the failure line of each kind
 * (message fields only for messages), and the invocation's timer cleared when it ends.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AppRuntime,
  bindApp,
  bindFunction,
  type InvocationInit,
  type LogLevel,
  responseText,
} from '../src/adapter.ts';
import { processBatch } from '../src/batch.ts';
import {
  type Context,
  defineApp,
  event,
  HttpError,
  HttpRequest,
  http,
  Message,
  type Middleware,
  queue,
  schedule,
  storage,
  topic,
} from '../src/index.ts';

type Line = { level: LogLevel; message: string; fields: Record<string, unknown> };

function runtimeOf(definition: Omit<Parameters<typeof defineApp>[0], 'name'>) {
  const lines: Line[] = [];
  const runtime = new AppRuntime(defineApp({ name: 'paths', ...definition }), {
    name: 'node',
    sink: (level, message, fields) => lines.push({ level, message, fields }),
  });
  return { runtime, lines };
}

const get = (rawPath: string, init?: Partial<ConstructorParameters<typeof HttpRequest>[0]>) => () =>
  new HttpRequest({ method: 'GET', rawPath, ...init });
const post = (rawPath: string, body: unknown) => () =>
  new HttpRequest({
    method: 'POST',
    rawPath,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** A Standard Schema requiring `{ name: string }`; its output adds `checked: true`. */
const named: StandardSchemaV1<unknown, { name: string; checked: true }> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: (value) =>
      typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string'
        ? { value: { name: (value as { name: string }).name, checked: true } }
        : { issues: [{ message: 'expected a string', path: ['name'] }] },
  },
};

const passThrough: Middleware = (_ctx, next) => next();

/** A thenable that is not a Promise (Bluebird, another realm's Promise), resolving a tick later. */
function thenable<T>(value: T) {
  return {
    // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a Promise is the point
    then(resolve: (v: T) => void) {
      setTimeout(() => resolve(value), 1);
    },
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('http paths', () => {
  it('a host that routed the request: its params are what the handler reads, whatever the path', async () => {
    const { runtime } = runtimeOf({
      functions: { item: http('GET /items/:id', (req) => ({ id: req.params.id })) },
    });
    const res = await bindFunction(runtime, 'item').http(get('/api/items/raw'), {}, { id: 'from-host' });
    expect(JSON.parse(responseText(res))).toEqual({ id: 'from-host' });
  });

  it('no route and no notFound: a JSON 404 "Not Found"', async () => {
    const { runtime } = runtimeOf({ functions: { a: http('GET /a', () => 'a') } });
    const res = await bindApp(runtime).http(get('/nowhere'));
    expect(res.status).toBe(404);
    expect(JSON.parse(responseText(res))).toEqual({ error: 'Not Found' });
  });

  it('405 answers in JSON', async () => {
    const { runtime } = runtimeOf({ functions: { a: http('GET /a', () => 'a') } });
    const res = await bindApp(runtime).http(get('/a', { method: 'DELETE' }));
    expect(res.status).toBe(405);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(responseText(res))).toEqual({ error: 'Method Not Allowed' });
  });

  it('a failing notFound: a bare 500 and one line with its error', async () => {
    const { runtime, lines } = runtimeOf({
      functions: {},
      notFound: () => {
        throw new Error('notFound bug');
      },
    });
    const res = await bindApp(runtime).http(get('/x'));
    expect(res.status).toBe(500);
    expect(JSON.parse(responseText(res))).toEqual({ error: 'Internal Server Error' });
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'notFound failed',
        fields: { app: 'paths', error: expect.objectContaining({ message: 'notFound bug' }) },
      },
    ]);
  });

  describe('a malformed path, refused before any context exists', () => {
    it('routed by the app: a 400 naming it, one warning without a function, onError not asked', async () => {
      const seen: unknown[] = [];
      const { runtime, lines } = runtimeOf({
        functions: { item: http('GET /items/:id', () => 'never') },
        onError: (error) => {
          seen.push(error);
          return { status: 418, body: 'mapped' };
        },
      });
      const res = await bindApp(runtime).http(get('/items/%E0%A4%A'));
      expect(res.status).toBe(400);
      expect(JSON.parse(responseText(res)).error).toMatch(/^path: malformed percent-encoding/);
      expect(seen).toEqual([]);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'warn', message: 'rejected invalid request' });
      expect(lines[0]!.fields).toHaveProperty('function', undefined);
    });

    it('sent to one function: the warning names that function', async () => {
      const { runtime, lines } = runtimeOf({ functions: { item: http('GET /items/:id', () => 'never') } });
      const res = await bindFunction(runtime, 'item').http(get('/items/%zz'));
      expect(res.status).toBe(400);
      expect(lines).toEqual([
        {
          level: 'warn',
          message: 'rejected invalid request',
          fields: { app: 'paths', function: 'item', error: expect.stringMatching(/^path: malformed/) },
        },
      ]);
    });

    it('the adapter’s own logger gets the warning when it gave one', async () => {
      const { runtime, lines } = runtimeOf({ functions: { item: http('GET /items/:id', () => 'never') } });
      const own: string[] = [];
      const log = {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => void own.push(message),
        error: () => undefined,
        child: () => log,
      };
      const res = await bindApp(runtime).http(get('/items/%zz'), { log });
      expect(res.status).toBe(400);
      expect(own).toEqual(['rejected invalid request']);
      expect(lines).toEqual([]);
    });
  });

  it('a synchronous throw with onError: the mapper’s answer, with the error, request and context', async () => {
    const seen: unknown[] = [];
    const { runtime, lines } = runtimeOf({
      functions: {
        stock: http('GET /stock', () => {
          throw new RangeError('out of stock');
        }),
      },
      onError: (error, req, ctx) => {
        seen.push([(error as Error).message, req.path, ctx.functionName]);
        return { status: 409, body: { error: 'out of stock' } };
      },
    });
    const res = await bindApp(runtime).http(get('/stock'));
    expect(res.status).toBe(409);
    expect(JSON.parse(responseText(res))).toEqual({ error: 'out of stock' });
    expect(seen).toEqual([['out of stock', '/stock', 'stock']]);
    expect(lines).toEqual([]);
  });

  it('a synchronous throw without onError: the error line carries the request id', async () => {
    const { runtime, lines } = runtimeOf({
      functions: {
        boom: http('GET /boom', () => {
          throw new Error('boom');
        }),
      },
    });
    const res = await bindApp(runtime).http(get('/boom'), { requestId: 'req-42' });
    expect(res.status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.fields).toMatchObject({ function: 'boom', requestId: 'req-42' });
  });

  it('an HttpError without details sends no details key; with details, they are sent', async () => {
    const { runtime } = runtimeOf({
      functions: {
        plain: http('GET /plain', () => {
          throw new HttpError(404, 'no such order');
        }),
        detailed: http('GET /detailed', () => {
          throw new HttpError(422, 'bad order', { field: 'qty' });
        }),
      },
    });
    const plain = await bindApp(runtime).http(get('/plain'));
    expect(responseText(plain)).toBe('{"error":"no such order"}');
    const detailed = await bindApp(runtime).http(get('/detailed'));
    expect(JSON.parse(responseText(detailed))).toEqual({ error: 'bad order', details: { field: 'qty' } });
  });

  it('a body that fails validation: a 400 listing each issue under "body"', async () => {
    let ran = false;
    const { runtime } = runtimeOf({
      functions: {
        create: http('POST /things', { body: named }, () => {
          ran = true;
          return 'created';
        }),
      },
    });
    const res = await bindApp(runtime).http(post('/things', { name: 7 }));
    expect(res.status).toBe(400);
    expect(JSON.parse(responseText(res))).toEqual({
      error: 'validation failed: body.name: expected a string',
      issues: [{ path: 'body.name', message: 'expected a string' }],
    });
    expect(ran).toBe(false);
  });

  it('a valid body: the handler reads the schema’s output as req.data', async () => {
    const { runtime } = runtimeOf({
      functions: { create: http('POST /things', { body: named }, (req) => req.data) },
    });
    const res = await bindApp(runtime).http(post('/things', { name: 'ana' }));
    expect(JSON.parse(responseText(res))).toEqual({ name: 'ana', checked: true });
  });

  it('behind middleware, a handler’s promise or thenable is awaited: its response is sent', async () => {
    const { runtime } = runtimeOf({
      functions: {
        promised: http('GET /promised', { middleware: [passThrough] }, async () => ({
          status: 201,
          body: { made: true },
        })),
        later: http('GET /later', { middleware: [passThrough] }, () =>
          thenable({ status: 202, body: { queued: true } }),
        ),
      },
    });
    const promised = await bindApp(runtime).http(get('/promised'));
    expect(promised.status).toBe(201);
    expect(JSON.parse(responseText(promised))).toEqual({ made: true });
    const later = await bindApp(runtime).http(get('/later'));
    expect(later.status).toBe(202);
    expect(JSON.parse(responseText(later))).toEqual({ queued: true });
  });
});

describe('messages behind middleware and schemas', () => {
  const message = (body: unknown, source: string) => () =>
    new Message({ id: 'm1', body: JSON.stringify(body), source, contentType: 'application/json' });

  it.each(['queue', 'topic'] as const)(
    'a %s function with a schema: the handler reads msg.data; a bad body is refused under "message.body"',
    async (kind) => {
      const seen: unknown[] = [];
      const handler = (msg: Message<{ name: string; checked: true }>) => {
        seen.push(msg.data);
        return 'done';
      };
      const { runtime } = runtimeOf({
        functions: {
          fn:
            kind === 'queue'
              ? queue('orders', { body: named }, handler)
              : topic('orders', { body: named }, handler),
        },
      });
      const runner = bindFunction(runtime, 'fn');
      await expect(runner.event(message({ name: 'ana' }, 'orders'))).resolves.toEqual({
        outcome: 'handled',
        value: 'done',
      });
      expect(seen).toEqual([{ name: 'ana', checked: true }]);
      const refused = await runner.event(message({ name: 1 }, 'orders'));
      expect(refused).toMatchObject({ outcome: 'failed' });
      const error = (refused as { error: Error & { issues?: unknown } }).error;
      expect(error.message).toBe('validation failed: message.body.name: expected a string');
      expect(error.issues).toEqual([{ path: 'message.body.name', message: 'expected a string' }]);
      expect(seen).toHaveLength(1);
    },
  );

  it('a topic function behind middleware runs its handler', async () => {
    const order: string[] = [];
    const { runtime } = runtimeOf({
      functions: {
        t: topic(
          'events',
          {
            middleware: [
              async (_ctx, next) => {
                order.push('mw');
                return next();
              },
            ],
          },
          (msg) => {
            order.push(`handler:${msg.text()}`);
            return 'ok';
          },
        ),
      },
    });
    await expect(bindFunction(runtime, 't').event(message('x', 'events'))).resolves.toEqual({
      outcome: 'handled',
      value: 'ok',
    });
    expect(order).toEqual(['mw', 'handler:"x"']);
  });

  it('a schedule function behind middleware: the middleware sees the tick, the handler gets it', async () => {
    const order: string[] = [];
    const { runtime } = runtimeOf({
      middleware: [
        async (ctx, next) => {
          order.push(`mw:${ctx.kind}:${(ctx.event as { name: string }).name}`);
          return next();
        },
      ],
      functions: {
        nightly: schedule('nightly', '0 3 * * *', (tick) => {
          order.push(`handler:${tick.name}`);
          return 'ran';
        }),
      },
    });
    const tick = { id: 't1', name: 'nightly', scheduledTime: new Date(0), isPastDue: false };
    await expect(bindFunction(runtime, 'nightly').event(() => tick)).resolves.toEqual({
      outcome: 'handled',
      value: 'ran',
    });
    expect(order).toEqual(['mw:schedule:nightly', 'handler:nightly']);
  });
});

describe('synchronous handlers without middleware answer synchronously', () => {
  it.each([
    ['schedule', () => schedule('tick', '* * * * *', () => 'ran'), { id: 't1', name: 'tick' }],
    ['queue', () => queue('q', () => 'ran'), new Message({ id: 'm1', body: 'x', source: 'q' })],
    ['topic', () => topic('t', () => 'ran'), new Message({ id: 'm1', body: 'x', source: 't' })],
  ] as const)('%s: the outcome, not a promise of it', (_kind, define, input) => {
    const { runtime } = runtimeOf({ functions: { fn: define() } });
    expect(bindFunction(runtime, 'fn').event(() => input)).toEqual({ outcome: 'handled', value: 'ran' });
  });
});

describe('skipped events', () => {
  it('an event function with a type filter only: any source of that type runs, other types do not', async () => {
    const seen: string[] = [];
    const { runtime } = runtimeOf({
      functions: { e: event({ type: 'order.created' }, (ev) => void seen.push(`${ev.type}@${ev.source}`)) },
    });
    const runner = bindFunction(runtime, 'e');
    for (const [type, source] of [
      ['order.created', '/a'],
      ['order.deleted', '/a'],
      ['order.created', '/b'],
    ]) {
      await runner.event(() => ({ specversion: '1.0', id: '1', type, source }));
    }
    expect(seen).toEqual(['order.created@/a', 'order.created@/b']);
  });

  it('log one debug line naming what was skipped', async () => {
    vi.stubEnv('POLYCLOUD_LOG_LEVEL', 'debug');
    const { runtime, lines } = runtimeOf({
      functions: {
        e: event({ type: 'a', source: '/mine' }, () => undefined),
        removed: storage('uploads', { events: ['deleted'] }, () => undefined),
      },
    });
    await bindFunction(runtime, 'e').event(() => ({ specversion: '1.0', id: '1', type: 'b', source: '/x' }));
    await bindFunction(runtime, 'removed').event(() => ({
      id: 's1',
      type: 'created',
      bucket: 'uploads',
      key: 'k',
    }));
    expect(lines.map((l) => [l.level, l.message, l.fields.type, l.fields.source])).toEqual([
      ['debug', 'event type or source not subscribed; acknowledged without running the handler', 'b', '/x'],
      [
        'debug',
        'storage event type not subscribed; acknowledged without running the handler',
        'created',
        undefined,
      ],
    ]);
  });
});

describe('failure lines', () => {
  it('a failed event: "<kind> handler failed" with the error, and no message fields', async () => {
    const { runtime, lines } = runtimeOf({
      functions: {
        e: event({ type: 'a' }, () => {
          throw new Error('event failed');
        }),
      },
    });
    const outcome = await bindFunction(runtime, 'e').event(() => ({
      specversion: '1.0',
      id: 'ce-1',
      type: 'a',
      source: '/s',
    }));
    expect(outcome).toMatchObject({ outcome: 'failed' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', message: 'event handler failed' });
    expect(lines[0]!.fields).not.toHaveProperty('messageId');
    expect(lines[0]!.fields).not.toHaveProperty('deliveryCount');
  });

  it('an event that carries a delivery count but is no message (no source): no message fields', async () => {
    const { runtime, lines } = runtimeOf({
      functions: {
        tick: schedule('tick', '* * * * *', () => {
          throw new Error('tick failed');
        }),
      },
    });
    await bindFunction(runtime, 'tick').event(() => ({ id: 't1', name: 'tick', deliveryCount: 2 }));
    expect(lines.map((l) => l.message)).toEqual(['schedule handler failed']);
    expect(lines[0]!.fields).not.toHaveProperty('messageId');
  });

  it.each([null, 'tick', 7])(
    'an event that is not an object (%s): the handler’s own error, logged',
    async (value) => {
      const { runtime, lines } = runtimeOf({
        functions: {
          tick: schedule('tick', '* * * * *', () => {
            throw new Error('tick failed');
          }),
        },
      });
      const outcome = await bindFunction(runtime, 'tick').event(() => value);
      expect(outcome).toMatchObject({ outcome: 'failed', error: { message: 'tick failed' } });
      expect(lines.map((l) => l.message)).toEqual(['schedule handler failed']);
    },
  );

  it('a failed message in a batch run concurrently: its line names the message and delivery', async () => {
    const { runtime, lines } = runtimeOf({
      functions: {
        q: queue('q', (msg) => {
          if (msg.id === 'b') throw new Error('bad b');
        }),
      },
    });
    const messages = ['a', 'b'].map((id) => new Message({ id, body: id, source: 'q', deliveryCount: 3 }));
    const { failed } = await processBatch(runtime, runtime.function('q'), messages, 'none', () => ({}));
    expect(failed.map((m) => m.id)).toEqual(['b']);
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'queue handler failed',
        fields: expect.objectContaining({
          messageId: 'b',
          deliveryCount: 3,
          error: expect.objectContaining({ message: 'bad b' }),
        }),
      },
    ]);
  });
});

describe('the invocation’s timer is cleared when it ends', () => {
  /** Waits past the point where a signal of a 100 ms invocation would abort (its margin: 50 ms). */
  const pastTheDeadline = () => new Promise((resolve) => setTimeout(resolve, 150));

  it('http, synchronous, asynchronous and failing: the signal read by the handler never aborts afterwards', async () => {
    const signals: AbortSignal[] = [];
    const read = (ctx: Context) => void signals.push(ctx.signal);
    const { runtime } = runtimeOf({
      functions: {
        sync: http('GET /sync', { timeoutMs: 100 }, (_req, ctx) => {
          read(ctx);
          return 'ok';
        }),
        async: http('GET /async', { timeoutMs: 100 }, async (_req, ctx) => {
          read(ctx);
          return 'ok';
        }),
        throws: http('GET /throws', { timeoutMs: 100 }, (_req, ctx) => {
          read(ctx);
          throw new Error('sync failure');
        }),
      },
    });
    for (const path of ['/sync', '/async', '/throws']) await bindApp(runtime).http(get(path));
    await pastTheDeadline();
    expect(signals.map((s) => s.aborted)).toEqual([false, false, false]);
  });

  it('a batch of synchronous handlers: the signal never aborts afterwards', async () => {
    const signals: AbortSignal[] = [];
    const { runtime } = runtimeOf({
      functions: {
        q: queue('q', { timeoutMs: 100 }, (_msg, ctx) => {
          signals.push(ctx.signal);
        }),
      },
    });
    const messages = ['a', 'b'].map((id) => new Message({ id, body: id, source: 'q' }));
    await processBatch(runtime, runtime.function('q'), messages, 'none', (): InvocationInit => ({}));
    await pastTheDeadline();
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
  });
});
