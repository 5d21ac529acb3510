import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
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
  Config,
  type Context,
  defineApp,
  event,
  HttpError,
  HttpRequest,
  http,
  Logger,
  Message,
  type Middleware,
  mergeApps,
  ProviderInfo,
  queue,
  token,
} from '../src/index.ts';

const Greeter = token<{ greet(name: string): string }>('test.Greeter');
let built = 0;
let loaded = 0;

function runtimeFor(
  app: ReturnType<typeof defineApp>,
  logs: { level: LogLevel; message: string; fields: Record<string, unknown> }[] = [],
) {
  return new AppRuntime(app, {
    name: 'node',
    sink: (level, message, fields) => logs.push({ level, message, fields }),
  });
}

/** An http request through the app's runner, as an adapter serving every route sends it. */
function serve(rt: AppRuntime, req: HttpRequest, init?: InvocationInit) {
  return bindApp(rt).http(() => req, init);
}

/** One event through the function's runner; a failed handler rejects with its error. */
async function run(rt: AppRuntime, fn: string | ReturnType<AppRuntime['function']>, event: unknown) {
  const outcome = await bindFunction(rt, fn).event(() => event);
  if (outcome.outcome !== 'handled') throw outcome.error;
  return outcome.value;
}

const greeterModule = new ContainerModule(({ bind }) => {
  loaded++;
  bind(Greeter).toDynamicValue(() => {
    built++;
    return { greet: (n: string) => `hello ${n}` };
  });
});

describe('AppRuntime', () => {
  it('builds the container lazily, once, and resolves user and core services', async () => {
    built = 0;
    loaded = 0;
    const app = defineApp({
      modules: [greeterModule],
      functions: {
        plain: http('GET /plain', () => 'no services'),
        greet: http('GET /greet/:name', (req, ctx) => ({
          text: ctx.get(Greeter).greet(req.params.name),
          provider: ctx.get(ProviderInfo).name,
          config: ctx.get(Config).provider,
        })),
      },
    });
    const rt = runtimeFor(app);
    await serve(rt, new HttpRequest({ method: 'GET', rawPath: '/plain' }));
    expect(loaded).toBe(0);
    const res = await serve(rt, new HttpRequest({ method: 'GET', rawPath: '/greet/ana' }));
    await serve(rt, new HttpRequest({ method: 'GET', rawPath: '/greet/bo' }));
    expect(JSON.parse(responseText(res))).toEqual({
      text: 'hello ana',
      provider: 'node',
      config: 'node',
    });
    expect(built).toBe(1);
    expect(loaded).toBe(1);
  });

  it('resolves a class bound in a module by the class itself', async () => {
    class OrderStore {
      get(id: string) {
        return { id, from: 'store' };
      }
    }
    const app = defineApp({
      modules: [new ContainerModule(({ bind }) => void bind(OrderStore).toSelf())],
      functions: { order: http('GET /orders/:id', (req, ctx) => ctx.get(OrderStore).get(req.params.id)) },
    });
    const res = await serve(runtimeFor(app), new HttpRequest({ method: 'GET', rawPath: '/orders/o-7' }));
    expect(JSON.parse(responseText(res))).toEqual({ id: 'o-7', from: 'store' });
  });

  it("sends an HttpError's headers with its JSON body and logs its cause, never sends it", async () => {
    const logs: { level: LogLevel; message: string; fields: Record<string, unknown> }[] = [];
    const app = defineApp({
      functions: {
        busy: http('GET /busy', () => {
          throw new HttpError(503, 'try later', undefined, {
            cause: new Error('pool exhausted'),
            headers: { 'Retry-After': '30', 'Content-Type': 'text/plain' },
          });
        }),
      },
    });
    const res = await serve(runtimeFor(app, logs), new HttpRequest({ method: 'GET', rawPath: '/busy' }));
    expect(res.status).toBe(503);
    expect(res.headers).toEqual({ 'content-type': 'application/json', 'retry-after': '30' });
    expect(JSON.parse(responseText(res))).toEqual({ error: 'try later' });
    expect(responseText(res)).not.toContain('pool exhausted');
    const logged = logs.find((l) => l.level === 'error')?.fields.error as Error;
    expect((logged.cause as Error).message).toBe('pool exhausted');
  });

  it('lets tests rebind any token', async () => {
    const app = defineApp({
      modules: [greeterModule],
      functions: { greet: http('GET /g', (_r, ctx) => ctx.get(Greeter).greet('x')) },
    });
    const rt = runtimeFor(app);
    await rt.ready();
    rt.container.rebind(Greeter).toConstantValue({ greet: () => 'fake' });
    const res = await serve(rt, new HttpRequest({ method: 'GET', rawPath: '/g' }));
    expect(responseText(res)).toBe('fake');
  });

  it('runs middleware as an onion for every kind, app-level first', async () => {
    const order: string[] = [];
    const mw =
      (name: string): Middleware =>
      async (ctx, next) => {
        order.push(`${name}>${ctx.kind}`);
        const out = await next();
        order.push(`<${name}`);
        return out;
      };
    const addHeader: Middleware = async (_ctx, next) => {
      const res = (await next()) as { headers: Record<string, string> };
      res.headers['x-mw'] = 'yes';
      return res;
    };
    const app = defineApp({
      middleware: [mw('app')],
      functions: {
        h: http('GET /h', { middleware: [mw('fn'), addHeader] }, () => 'ok'),
        q: queue('q', { middleware: [mw('fn')] }, () => undefined),
      },
    });
    const rt = runtimeFor(app);
    const res = await serve(rt, new HttpRequest({ method: 'GET', rawPath: '/h' }));
    expect(res.headers['x-mw']).toBe('yes');
    await run(rt, rt.function('q'), new Message({ id: '1', body: new Uint8Array(), source: 'q' }));
    expect(order).toEqual(['app>http', 'fn>http', '<fn', '<app', 'app>queue', 'fn>queue', '<fn', '<app']);
  });

  it('gives the context a request id, a deadline, a logger with request fields, and a signal that aborts before the deadline', async () => {
    const logs: { level: LogLevel; message: string; fields: Record<string, unknown> }[] = [];
    let seen: Context | undefined;
    let abortedAfter = -1;
    const app = defineApp({
      functions: {
        slow: http('GET /slow', { timeoutMs: 1200 }, async (_req, ctx) => {
          seen = ctx;
          ctx.log.info('working', { step: 1 });
          const started = Date.now();
          await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
          abortedAfter = Date.now() - started;
          return { remaining: ctx.remainingMs(), reason: (ctx.signal.reason as Error).name };
        }),
      },
    });
    const rt = runtimeFor(app, logs);
    const before = Date.now();
    const res = await serve(rt, new HttpRequest({ method: 'GET', rawPath: '/slow' }), {
      requestId: 'req-1',
    });
    const body = JSON.parse(responseText(res));
    expect(seen!.requestId).toBe('req-1');
    expect(seen!.functionName).toBe('slow');
    expect(seen!.deadline).toBeGreaterThanOrEqual(before + 1200);
    expect(body.reason).toBe('TimeoutError');
    expect(body.remaining).toBeGreaterThan(0);
    expect(abortedAfter).toBeGreaterThan(0);
    expect(logs.find((l) => l.message === 'working')?.fields).toMatchObject({
      function: 'slow',
      requestId: 'req-1',
      step: 1,
    });
    expect(Logger).toBeTypeOf('symbol');
  });

  it('rejects a failing message and logs it with the error in full', async () => {
    const logs: { level: LogLevel; message: string; fields: Record<string, unknown> }[] = [];
    const app = defineApp({
      functions: {
        q: queue('q', () => {
          throw new TypeError('bad thing');
        }),
      },
    });
    const rt = runtimeFor(app, logs);
    await expect(
      run(
        rt,
        rt.function('q'),
        new Message({ id: 'm1', body: new Uint8Array(), source: 'q', deliveryCount: 2 }),
      ),
    ).rejects.toThrow('bad thing');
    expect(logs.at(-1)).toMatchObject({
      level: 'error',
      fields: { messageId: 'm1', deliveryCount: 2, error: { name: 'TypeError', message: 'bad thing' } },
    });
  });
});

describe('processBatch', () => {
  const msgs = (groups: (string | undefined)[]) =>
    groups.map(
      (g, i) =>
        new Message({
          id: String(i + 1),
          body: new TextEncoder().encode(String(i + 1)),
          source: 'q',
          groupId: g,
        }),
    );
  const failing = (ids: string[]) =>
    defineApp({
      functions: {
        q: queue('q', (m) => {
          if (ids.includes(m.id)) throw new Error(`fail ${m.id}`);
        }),
      },
    });

  it('unordered: exactly the failed messages are reported', async () => {
    const rt = runtimeFor(failing(['2', '4']));
    const { failed } = await processBatch(
      rt,
      rt.function('q'),
      msgs([undefined, undefined, undefined, undefined, undefined]),
      'none',
      () => ({}),
    );
    expect(failed.map((m) => m.id)).toEqual(['2', '4']);
  });

  it('group: the failed message and every later message of its group (PEER-BUGS #13)', async () => {
    const rt = runtimeFor(failing(['2']));
    const { failed } = await processBatch(
      rt,
      rt.function('q'),
      msgs(['a', 'a', 'b', 'a', 'b']),
      'group',
      () => ({}),
    );
    expect(failed.map((m) => m.id)).toEqual(['2', '4']);
  });

  it('batch: the failed message and every later message of the batch', async () => {
    const rt = runtimeFor(failing(['2']));
    const { failed } = await processBatch(
      rt,
      rt.function('q'),
      msgs(['a', 'a', 'b', 'a', 'b']),
      'batch',
      () => ({}),
    );
    expect(failed.map((m) => m.id)).toEqual(['2', '3', '4', '5']);
  });

  // A library promise (Bluebird, another realm's Promise) is not `instanceof Promise`: it must be
  // awaited like one, or a message whose work fails later is acknowledged.
  it.each(['none', 'batch'] as const)(
    '%s: a handler returning a thenable that rejects fails its message',
    async (order) => {
      const logs: { level: LogLevel; message: string; fields: Record<string, unknown> }[] = [];
      const rt = runtimeFor(
        defineApp({
          functions: {
            q: queue('q', (m) => ({
              // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a Promise is the point of this test
              then(resolve: (v: unknown) => void, reject: (e: unknown) => void) {
                setTimeout(() => (m.id === '2' ? reject(new Error('late failure')) : resolve(undefined)), 1);
              },
            })),
          },
        }),
        logs,
      );
      const { failed } = await processBatch(
        rt,
        rt.function('q'),
        msgs([undefined, undefined, undefined]),
        order,
        () => ({}),
      );
      expect(failed.map((m) => m.id)).toEqual(order === 'none' ? ['2'] : ['2', '3']);
      expect(logs.filter((l) => l.level === 'error').map((l) => l.fields.messageId)).toEqual(['2']);
    },
  );
});

describe('http handlers returning a thenable', () => {
  it('are awaited: the response is what the thenable resolved to', async () => {
    const rt = runtimeFor(
      defineApp({
        functions: {
          t: http('GET /t', () => ({
            // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a Promise is the point of this test
            then(resolve: (v: unknown) => void) {
              resolve({ status: 201, body: { late: true } });
            },
          })),
        },
      }),
    );
    const res = await serve(rt, new HttpRequest({ method: 'GET', rawPath: '/t' }));
    expect(res.status).toBe(201);
    expect(JSON.parse(responseText(res))).toEqual({ late: true });
  });
});

describe('defineApp', () => {
  it('rejects function names some provider would not accept', () => {
    expect(() => defineApp({ functions: { '1bad': http('GET /', () => 1) } })).toThrow(
      /not valid on every provider/,
    );
    expect(() => defineApp({ functions: { 'has.dot': http('GET /', () => 1) } })).toThrow(
      /not valid on every provider/,
    );
  });
});

describe('event functions', () => {
  it('run only for the types and source they subscribe to', async () => {
    const seen: string[] = [];
    const app = defineApp({
      functions: {
        e: event({ type: ['a', 'b'], source: '/mine' }, (ev) => {
          seen.push(`${ev.type}@${ev.source}`);
        }),
      },
    });
    const rt = runtimeFor(app);
    for (const [type, source] of [
      ['a', '/mine'],
      ['c', '/mine'],
      ['b', '/other'],
      ['b', '/mine'],
    ]) {
      await run(rt, rt.function('e'), { specversion: '1.0', id: '1', type, source });
    }
    expect(seen).toEqual(['a@/mine', 'b@/mine']);
  });
});

describe('Message text bodies', () => {
  it('reads text as given and encodes bytes only when asked', () => {
    const m = new Message({ id: '1', body: 'héllo', source: 'q' });
    expect(m.text()).toBe('héllo');
    expect(m.body).toEqual(new TextEncoder().encode('héllo'));
    expect(m.text()).toBe('héllo');
  });
});

describe('defineApp onError and notFound', () => {
  it('answers 500 and logs both errors when onError itself throws; a failing notFound is a 500 too', async () => {
    const logs: { level: LogLevel; message: string; fields: Record<string, unknown> }[] = [];
    const app = defineApp({
      functions: { boom: http('GET /boom', () => Promise.reject(new Error('first'))) },
      onError: () => {
        throw new Error('mapper bug');
      },
      notFound: () => {
        throw new Error('notFound bug');
      },
    });
    const rt = runtimeFor(app, logs);
    const res = await serve(rt, new HttpRequest({ method: 'GET', rawPath: '/boom' }));
    expect(res.status).toBe(500);
    expect(JSON.parse(responseText(res))).toEqual({ error: 'Internal Server Error' });
    const line = logs.find((l) => l.message === 'onError failed')!;
    expect((line.fields.error as Error).message).toBe('mapper bug');
    expect((line.fields.cause as Error).message).toBe('first');
    const missing = await serve(rt, new HttpRequest({ method: 'GET', rawPath: '/none' }));
    expect(missing.status).toBe(500);
    expect(logs.some((l) => l.message === 'notFound failed')).toBe(true);
  });

  it('sees a failed body validation and may keep the default 400', async () => {
    const seen: unknown[] = [];
    const app = defineApp({
      functions: {
        create: http(
          'POST /things',
          {
            body: {
              '~standard': { version: 1, vendor: 't', validate: () => ({ issues: [{ message: 'bad' }] }) },
            },
          },
          () => 'never',
        ),
      },
      onError: (error) => void seen.push(error),
    });
    const res = await serve(
      runtimeFor(app),
      new HttpRequest({
        method: 'POST',
        rawPath: '/things',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(res.status).toBe(400);
    expect(seen).toHaveLength(1);
  });

  it('refuses two merged apps that both define onError', () => {
    const a = defineApp({ name: 'a', functions: {}, onError: () => undefined });
    const b = defineApp({ name: 'b', functions: {}, onError: () => undefined });
    expect(() => mergeApps([a, b])).toThrow(/onError is defined by more than one app \(a, b\)/);
  });
});
