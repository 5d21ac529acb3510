/**
 * What an `AppRuntime` serves before any handler runs: the config it assumes without one (the
 * binding's provider), the provider info, the app's name on every log line, the provider's
 * services (and none when it lists none), the errors a user meets asking for a service nobody
 * provides (naming the key the way they wrote it) or for the container of an app without
 * modules, and `route()`.
 */
import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { AppRuntime, type LogLevel, provide } from '../src/adapter.ts';
import { Config, defineApp, http, Logger, ProviderInfo, queue, token } from '../src/index.ts';

type Line = { level: LogLevel; message: string; fields: Record<string, unknown> };

describe('what a runtime serves', () => {
  it('without a config: the binding’s provider, no app name, no sections', () => {
    const runtime = new AppRuntime(defineApp({ functions: {} }), { name: 'gcp', sink: () => undefined });
    expect(runtime.config).toEqual({ provider: 'gcp', providers: {} });
    expect(runtime.resolve(Config)).toBe(runtime.config);
  });

  it('with a config: that one, as given', () => {
    const config = { app: 'shop', provider: 'aws' as const, providers: { aws: { region: 'eu-west-1' } } };
    const runtime = new AppRuntime(defineApp({ functions: {} }), { name: 'aws' }, { config });
    expect(runtime.resolve(Config)).toBe(config);
  });

  it('provider info: the binding’s name and info, details empty unless given', () => {
    const plain = new AppRuntime(defineApp({ functions: {} }), { name: 'azure' });
    expect(plain.resolve(ProviderInfo)).toEqual({ name: 'azure', details: {} });
    const detailed = new AppRuntime(defineApp({ functions: {} }), {
      name: 'aws',
      info: { region: 'eu-west-1', details: { account: '123' } },
    });
    expect(detailed.resolve(ProviderInfo)).toEqual({
      name: 'aws',
      region: 'eu-west-1',
      details: { account: '123' },
    });
  });

  it('every log line names the app; the Logger service is the runtime’s logger', () => {
    const lines: Line[] = [];
    const runtime = new AppRuntime(defineApp({ name: 'shop', functions: {} }), {
      name: 'node',
      sink: (level, message, fields) => lines.push({ level, message, fields }),
    });
    runtime.resolve(Logger).warn('low stock', { sku: 'A1' });
    runtime.log.child({ function: 'f' }).error('failed');
    expect(lines).toEqual([
      { level: 'warn', message: 'low stock', fields: { app: 'shop', sku: 'A1' } },
      { level: 'error', message: 'failed', fields: { app: 'shop', function: 'f' } },
    ]);
    expect(runtime.resolve(AppRuntime)).toBe(runtime);
  });

  it('an app’s service replaces the provider’s of the same key', () => {
    const Clock = token<{ now(): string }>('test.services.Clock');
    const runtime = new AppRuntime(
      defineApp({ functions: {}, services: [provide(Clock, () => ({ now: () => 'app' }))] }),
      { name: 'node', services: [provide(Clock, () => ({ now: () => 'provider' }))] },
    );
    expect(runtime.resolve(Clock).now()).toBe('app');
  });

  it('with container modules and a binding that lists no services: the built-ins are bound, nothing else', async () => {
    const Clock = token<string>('test.services.unbound');
    const runtime = new AppRuntime(
      defineApp({ modules: [new ContainerModule(() => undefined)], functions: {} }),
      { name: 'node' },
    );
    await runtime.ready();
    expect(runtime.resolve(Config).provider).toBe('node');
    expect(runtime.container.isBound(Clock)).toBe(false);
    expect([Config, ProviderInfo, Logger, AppRuntime].every((key) => runtime.container.isBound(key))).toBe(
      true,
    );
  });
});

describe('services nobody provides', () => {
  const runtime = new AppRuntime(defineApp({ functions: {} }), { name: 'node' });
  const hint = 'provide it in defineApp({ services }) or bind it in a container module';

  it('a token: named by its description', () => {
    expect(() => runtime.resolve(token('test.services.Missing'))).toThrow(
      new TypeError(`no service bound to polycloud.test.services.Missing: ${hint}`),
    );
  });

  it('a symbol without a description: "a token"', () => {
    expect(() => runtime.resolve(Symbol())).toThrow(new TypeError(`no service bound to a token: ${hint}`));
  });

  it('a class: its name; an anonymous class: "an anonymous class"', () => {
    class OrderStore {}
    expect(() => runtime.resolve(OrderStore)).toThrow(
      new TypeError(`no service bound to OrderStore: ${hint}`),
    );
    const anonymous = [class {}][0]!;
    expect(anonymous.name).toBe('');
    expect(() => runtime.resolve(anonymous)).toThrow(
      new TypeError(`no service bound to an anonymous class: ${hint}`),
    );
  });

  it('the container of an app without modules: a TypeError saying none is needed', () => {
    expect(() => runtime.container).toThrow(
      new TypeError('this app declares no container modules: its services are served without a container'),
    );
  });
});

describe('route()', () => {
  it('matches a method and raw path to the function, its params decoded; or 404 / 405', () => {
    const runtime = new AppRuntime(
      defineApp({
        functions: {
          item: http('GET /items/:id', () => 'item'),
          work: queue('work', () => undefined),
        },
      }),
      { name: 'node' },
    );
    const match = runtime.route('GET', '/items/a%20b');
    expect(match).toMatchObject({ status: 200, params: { id: 'a b' } });
    expect(match.status === 200 && match.target.name).toBe('item');
    expect(runtime.route('GET', '/other')).toMatchObject({ status: 404 });
    expect(runtime.route('POST', '/items/1')).toMatchObject({ status: 405, allow: ['GET', 'HEAD'] });
  });
});
