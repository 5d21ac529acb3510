/**
 * Services without a container: an app that declares no container modules gets the provider's
 * services (and the built-in ones) from the binding's list, each built once on its first `ctx.get`;
 * an app with modules gets them through inversify, loaded before its first invocation, where its
 * modules can use and rebind them.
 */
import { ContainerModule, inject, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  AppRuntime,
  bindApp,
  bindFunction,
  type LogLevel,
  type ProviderBinding,
  provide,
  responseText,
} from '../src/adapter.ts';
import {
  Config,
  defineApp,
  HttpRequest,
  http,
  Logger,
  mergeApps,
  ProviderInfo,
  type Queue,
  Queue as QueueToken,
  queue,
  token,
} from '../src/index.ts';

type Logs = { level: LogLevel; message: string; fields: Record<string, unknown> }[];

/** A provider whose Queue records what it sends and counts how often it was built. */
function fakeProvider(logs: Logs = []) {
  const sent: string[] = [];
  let builds = 0;
  const binding: ProviderBinding = {
    name: 'node',
    sink: (level, message, fields) => logs.push({ level, message, fields }),
    services: [
      provide(QueueToken, (get): Queue => {
        builds++;
        const region = get(Config).provider;
        return {
          send: async (name, body) => {
            sent.push(`${region}:${name}:${String(body)}`);
            return { id: String(sent.length) };
          },
        };
      }),
    ],
  };
  return { binding, sent, builds: () => builds };
}

const get = (path: string) => new HttpRequest({ method: 'GET', rawPath: path });

describe('provided services, app without container modules', () => {
  it("serves the provider's service, built once per runtime on first use, its factory reading Config", async () => {
    const provider = fakeProvider();
    const app = defineApp({
      functions: {
        plain: http('GET /plain', () => 'no services'),
        send: http('GET /send/:id', async (req, ctx) => ctx.get(QueueToken).send('orders', req.params.id)),
      },
    });
    const rt = new AppRuntime(app, provider.binding);
    const runner = bindApp(rt);
    expect(responseText(await runner.http(() => get('/plain')))).toBe('no services');
    expect(provider.builds()).toBe(0);
    expect(JSON.parse(responseText(await runner.http(() => get('/send/a'))))).toEqual({ id: '1' });
    expect(JSON.parse(responseText(await runner.http(() => get('/send/b'))))).toEqual({ id: '2' });
    expect(provider.builds()).toBe(1);
    expect(provider.sent).toEqual(['node:orders:a', 'node:orders:b']);
    expect(rt.ready()).toBeUndefined();
  });

  it('serves the built-in services: Config, ProviderInfo, Logger and the runtime itself', () => {
    const rt = new AppRuntime(defineApp({ functions: {} }), {
      name: 'aws',
      info: { region: 'eu-west-1', details: { functionName: 'f' } },
    });
    expect(rt.resolve(Config)).toBe(rt.config);
    expect(rt.resolve(ProviderInfo)).toEqual({
      name: 'aws',
      region: 'eu-west-1',
      details: { functionName: 'f' },
    });
    expect(rt.resolve(Logger)).toBe(rt.log);
    expect(rt.resolve(AppRuntime)).toBe(rt);
  });

  it('answers a service nobody binds with a handler error naming the key (a 500, the message logged, not sent)', async () => {
    const logs: Logs = [];
    const Missing = token<{ x: number }>('test.Missing');
    class Repository {}
    const app = defineApp({
      functions: {
        token: http('GET /token', (_req, ctx) => ctx.get(Missing).x),
        class: http('GET /class', (_req, ctx) => String(ctx.get(Repository))),
      },
    });
    const rt = new AppRuntime(app, fakeProvider(logs).binding);
    const res = await bindApp(rt).http(() => get('/token'));
    expect(res.status).toBe(500);
    expect(responseText(res)).not.toContain('test.Missing');
    expect(() => rt.resolve(Missing)).toThrow(
      new TypeError(
        'no service bound to polycloud.test.Missing: provide it in defineApp({ services }) or bind it in a container module',
      ),
    );
    expect(() => rt.resolve(Repository)).toThrow(/no service bound to Repository/);
    const logged = logs.find((l) => l.level === 'error')?.fields.error as Error;
    expect(logged.message).toContain('polycloud.test.Missing');
  });

  it('has no container to rebind in', () => {
    const rt = new AppRuntime(defineApp({ functions: {} }), fakeProvider().binding);
    expect(() => rt.container).toThrow(/declares no container modules/);
  });
});

describe("the app's own services (defineApp({ services }))", () => {
  interface Prices {
    price(sku: string): number;
  }
  const Prices = token<Prices>('test.Prices');

  it('are built once on first use, may use the provider services, and never need a container', async () => {
    const provider = fakeProvider();
    let built = 0;
    const app = defineApp({
      services: [
        provide(Prices, (get) => {
          built++;
          const queue = get(QueueToken);
          return {
            price: (sku) => {
              void queue.send('priced', sku);
              return sku.length * 100;
            },
          };
        }),
      ],
      functions: { price: http('GET /price/:sku', (req, ctx) => ctx.get(Prices).price(req.params.sku)) },
    });
    const rt = new AppRuntime(app, provider.binding);
    const runner = bindApp(rt);
    expect(responseText(await runner.http(() => get('/price/abc')))).toBe('300');
    expect(responseText(await runner.http(() => get('/price/abcd')))).toBe('400');
    expect(built).toBe(1);
    expect(provider.sent).toEqual(['node:priced:abc', 'node:priced:abcd']);
    expect(rt.ready()).toBeUndefined();
    expect(() => rt.container).toThrow(/declares no container modules/);
  });

  it('replace a provider service of the same key (a test double, a custom client)', () => {
    const provider = fakeProvider();
    const mine: Queue = { send: async () => ({ id: 'mine' }) };
    const app = defineApp({ services: [provide(QueueToken, () => mine)], functions: {} });
    const rt = new AppRuntime(app, provider.binding);
    expect(rt.resolve(QueueToken)).toBe(mine);
    expect(provider.builds()).toBe(0);
  });

  it('sit in the container of an app that also declares modules, which may use them', async () => {
    const app = defineApp({
      services: [provide(Prices, () => ({ price: () => 7 }))],
      modules: [
        new ContainerModule(({ bind }) => {
          bind(token<string>('test.Quote')).toDynamicValue(
            ({ get }) => `costs ${get<Prices>(Prices).price('x')}`,
          );
        }),
      ],
      functions: { quote: http('GET /quote', (_req, ctx) => ctx.get(token<string>('test.Quote'))) },
    });
    const res = await bindApp(new AppRuntime(app, fakeProvider().binding)).http(() => get('/quote'));
    expect(responseText(res)).toBe('costs 7');
  });

  it("get what the app's modules rebind, when the app has modules", async () => {
    const provider = fakeProvider();
    const mine: Queue = { send: async () => ({ id: 'mine' }) };
    const app = defineApp({
      services: [
        provide(Prices, (get) => {
          const queue = get(QueueToken);
          return { price: () => (queue === mine ? 1 : 0) };
        }),
      ],
      modules: [new ContainerModule(({ rebind }) => void rebind(QueueToken).toConstantValue(mine))],
      functions: { price: http('GET /price', (_req, ctx) => ctx.get(Prices).price('x')) },
    });
    const res = await bindApp(new AppRuntime(app, provider.binding)).http(() => get('/price'));
    expect(responseText(res)).toBe('1');
    expect(provider.builds()).toBe(0);
  });

  it('may not be provided twice by merged apps', () => {
    const a = defineApp({
      name: 'a',
      services: [provide(Prices, () => ({ price: () => 1 }))],
      functions: {},
    });
    const b = defineApp({
      name: 'b',
      services: [provide(Prices, () => ({ price: () => 2 }))],
      functions: {},
    });
    expect(() => mergeApps([a, b])).toThrow(
      new TypeError('service polycloud.test.Prices is provided by more than one app'),
    );
    const c = defineApp({
      name: 'c',
      services: [provide(QueueToken, () => fakeProvider().binding as never)],
      functions: {},
    });
    expect(mergeApps([a, c]).services.map((s) => s.key)).toEqual([Prices, QueueToken]);
  });
});

describe('provided services, app with container modules', () => {
  const Greeting = token<string>('test.Greeting');

  it("loads inversify before the first invocation; the app's modules use the provider's services", async () => {
    const provider = fakeProvider();
    const app = defineApp({
      modules: [
        new ContainerModule(({ bind }) => {
          bind(Greeting).toDynamicValue(({ get }) => `hello from ${get<ProviderInfo>(ProviderInfo).name}`);
        }),
      ],
      functions: {
        jobs: queue('jobs', async (message, ctx) => {
          await ctx.get(QueueToken).send('audit', ctx.get(Greeting));
          return message.id;
        }),
      },
    });
    const rt = new AppRuntime(app, provider.binding);
    expect(() => rt.resolve(QueueToken)).toThrow(/before inversify is loaded: await runtime.ready\(\)/);
    const outcome = await bindFunction(rt, 'jobs').event(() => ({ id: 'm-1', body: new Uint8Array() }));
    expect(outcome).toEqual({ outcome: 'handled', value: 'm-1' });
    expect(provider.sent).toEqual(['node:audit:hello from node']);
    expect(rt.ready()).toBeUndefined();
    // The container serves the same single instance the provider built.
    expect(rt.resolve(QueueToken)).toBe(rt.container.get(QueueToken));
    expect(provider.builds()).toBe(1);
  });

  it("lets the app's module rebind a provider service", async () => {
    const provider = fakeProvider();
    const mine: Queue = { send: async () => ({ id: 'mine' }) };
    const app = defineApp({
      modules: [new ContainerModule(({ rebind }) => void rebind(QueueToken).toConstantValue(mine))],
      functions: { send: http('GET /send', (_req, ctx) => ctx.get(QueueToken).send('q', 'x')) },
    });
    const rt = new AppRuntime(app, provider.binding);
    const res = await bindApp(rt).http(() => get('/send'));
    expect(JSON.parse(responseText(res))).toEqual({ id: 'mine' });
    expect(provider.builds()).toBe(0);
  });

  // The provider's services are bound in the container only when a resolution needs one (see
  // `AppRuntime#fromContainer`): each path below gives the same single instance as before.
  const Mailer = token<{ queue: Queue; log: Logger }>('test.Mailer');

  @injectable()
  class QueueMailer {
    constructor(
      @inject(QueueToken) readonly queue: Queue,
      @inject(Logger) readonly log: Logger,
    ) {}
  }

  it("injects the provider's services into a module's class, the instance ctx.get gives", async () => {
    const provider = fakeProvider();
    const app = defineApp({
      modules: [new ContainerModule(({ bind }) => void bind(Mailer).to(QueueMailer))],
      functions: {
        mail: http('GET /mail', (_req, ctx) => {
          const mailer = ctx.get(Mailer);
          return { sameQueue: mailer.queue === ctx.get(QueueToken), sameLog: mailer.log === ctx.get(Logger) };
        }),
      },
    });
    const rt = new AppRuntime(app, provider.binding);
    const res = await bindApp(rt).http(() => get('/mail'));
    expect(JSON.parse(responseText(res))).toEqual({ sameQueue: true, sameLog: true });
    expect(provider.builds()).toBe(1);
    expect(rt.container.get(QueueToken)).toBe(rt.resolve(QueueToken));
  });

  it("serves a provider's service asked for before any module needs it, and the container gives the same one later", async () => {
    const provider = fakeProvider();
    const app = defineApp({
      modules: [new ContainerModule(({ bind }) => void bind(Mailer).to(QueueMailer))],
      functions: {},
    });
    const rt = new AppRuntime(app, provider.binding);
    await rt.ready();
    const queue = rt.resolve(QueueToken);
    expect(rt.resolve(Mailer).queue).toBe(queue);
    expect(rt.container.get(QueueToken)).toBe(queue);
    expect(provider.builds()).toBe(1);
  });

  it('lets a module bind a provider service with bind as well as rebind', async () => {
    const provider = fakeProvider();
    const mine: Queue = { send: async () => ({ id: 'mine' }) };
    const app = defineApp({
      modules: [new ContainerModule(({ bind }) => void bind(QueueToken).toConstantValue(mine))],
      functions: {},
    });
    const rt = new AppRuntime(app, provider.binding);
    await rt.ready();
    expect(rt.resolve(QueueToken)).toBe(mine);
    expect(rt.container.get(QueueToken)).toBe(mine);
    expect(provider.builds()).toBe(0);
  });

  it("runs a module's failing constructor once, and names a service nothing binds", async () => {
    const Broken = token<object>('test.Broken');
    const Orphan = token<object>('test.Orphan');
    let constructed = 0;
    const app = defineApp({
      modules: [
        new ContainerModule(({ bind }) => {
          bind(Broken).toDynamicValue(() => {
            constructed++;
            throw new Error('store unreachable');
          });
          bind(Mailer).toDynamicValue(({ get: resolve }) => ({ queue: resolve(Orphan) }) as never);
        }),
      ],
      functions: {},
    });
    const rt = new AppRuntime(app, fakeProvider().binding);
    await rt.ready();
    expect(() => rt.resolve(Broken)).toThrow('store unreachable');
    expect(constructed).toBe(1);
    expect(() => rt.resolve(Mailer)).toThrow(
      /^No bindings found for service: "Symbol\(polycloud\.test\.Orphan\)"/,
    );
  });
});
