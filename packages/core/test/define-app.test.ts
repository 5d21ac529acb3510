/**
 * `defineApp` and `mergeApps` as a user meets them: the function names every provider accepts (a
 * letter, then up to 62 letters, digits, `-` or `_`), a value that is no function definition, the
 * defaults, hooks present only when given; merged apps keeping each app's middleware with its own
 * functions and refusing two functions, two hooks or two services of one name.
 */
import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { type FunctionDefinition, provide } from '../src/adapter.ts';
import {
  AppDefinitionError,
  defineApp,
  http,
  type Middleware,
  mergeApps,
  queue,
  token,
} from '../src/index.ts';

const ok = () => 'ok';

function refusal(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('not refused');
}

describe('defineApp', () => {
  it.each(['a', 'A', 'echoHttp', 'create-todo', 'create_todo', 'v2', `a${'b'.repeat(62)}`])(
    'accepts the function name %s',
    (name) => {
      expect([...defineApp({ functions: { [name]: http('GET /', ok) } }).functions.keys()]).toEqual([name]);
    },
  );

  it.each([
    '',
    '1st',
    '-dash',
    '_under',
    'has.dot',
    'has space',
    'ümlaut',
    'trailing\n',
    `a${'b'.repeat(63)}`,
  ])('refuses the function name %j, saying what every provider accepts', (name) => {
    const error = refusal(() => defineApp({ functions: { [name]: http('GET /', ok) } }));
    expect(error).toBeInstanceOf(AppDefinitionError);
    expect(error.message).toBe(
      `function name "${name}" is not valid on every provider: use a letter, then letters, digits, "-" or "_" (63 at most)`,
    );
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a handler alone', ok],
    ['an object without a handler', { kind: 'http' }],
    ['a handler that is no function', { kind: 'http', handler: 'ok' }],
  ])('refuses %s as a function definition', (_what, def) => {
    const error = refusal(() => defineApp({ functions: { f: def as unknown as FunctionDefinition } }));
    expect(error).toBeInstanceOf(AppDefinitionError);
    expect(error.message).toBe('function "f" is not a polycloud function definition');
  });

  it('defaults: the name polycloud-app, no services, modules or middleware, no hooks', () => {
    const app = defineApp({ functions: {} });
    expect(app).toEqual({
      name: 'polycloud-app',
      functions: new Map(),
      services: [],
      modules: [],
      middleware: [],
    });
    expect('onError' in app).toBe(false);
    expect('notFound' in app).toBe(false);
  });

  it('keeps what it is given, functions in order', () => {
    const onError = () => undefined;
    const notFound = () => 'nothing here';
    const mw: Middleware = (_ctx, next) => next();
    const module = new ContainerModule(() => undefined);
    const service = provide(token<string>('test.define.S'), () => 's');
    const a = http('GET /a', ok);
    const b = queue('jobs', ok);
    const app = defineApp({
      name: 'shop',
      functions: { b, a },
      services: [service],
      modules: [module],
      middleware: [mw],
      onError,
      notFound,
    });
    expect(app.name).toBe('shop');
    expect([...app.functions]).toEqual([
      ['b', b],
      ['a', a],
    ]);
    expect(app.services).toEqual([service]);
    expect(app.modules).toEqual([module]);
    expect(app.middleware).toEqual([mw]);
    expect(app.onError).toBe(onError);
    expect(app.notFound).toBe(notFound);
  });
});

describe('mergeApps', () => {
  const a = defineApp({ name: 'a', functions: { one: http('GET /one', ok) } });
  const b = defineApp({ name: 'b', functions: { two: queue('jobs', ok) } });

  it('one app is served as itself', () => {
    expect(mergeApps([a])).toBe(a);
  });

  it('names the merged app after its parts unless named; functions of all, in order', () => {
    const merged = mergeApps([a, b]);
    expect(merged.name).toBe('a+b');
    expect([...merged.functions.keys()]).toEqual(['one', 'two']);
    expect(merged.functions.get('one')).toBe(a.functions.get('one'));
    expect(mergeApps([a, b], 'both').name).toBe('both');
    expect(merged.middleware).toEqual([]);
    expect('onError' in merged).toBe(false);
    expect('notFound' in merged).toBe(false);
  });

  it('each app’s middleware stays with its own functions, before the function’s own', () => {
    const outer: Middleware = (_ctx, next) => next();
    const inner: Middleware = (_ctx, next) => next();
    const withMw = defineApp({
      name: 'mw',
      middleware: [outer],
      functions: {
        three: http('GET /three', { middleware: [inner], timeoutMs: 5 }, ok),
        four: queue('q', ok),
      },
    });
    const merged = mergeApps([a, withMw]);
    const three = merged.functions.get('three')!;
    expect(three.options.middleware).toEqual([outer, inner]);
    expect(three.options.timeoutMs).toBe(5);
    expect(three.handler).toBe(withMw.functions.get('three')!.handler);
    expect(merged.functions.get('four')!.options.middleware).toEqual([outer]);
    expect(merged.functions.get('one')).toBe(a.functions.get('one'));
    expect(merged.functions.get('one')!.options.middleware).toBeUndefined();
    // The app's own definition is not changed.
    expect(withMw.functions.get('three')!.options.middleware).toEqual([inner]);
  });

  it('refuses a function name two apps define', () => {
    const again = defineApp({ name: 'c', functions: { one: queue('other', ok) } });
    const error = refusal(() => mergeApps([a, again]));
    expect(error).toBeInstanceOf(AppDefinitionError);
    expect(error.message).toBe('function "one" is defined by more than one app');
  });

  it('keeps the one app’s onError and notFound; refuses two of either, naming the apps', () => {
    const onError = () => undefined;
    const notFound = () => 'none';
    const hooked = defineApp({ name: 'h', functions: {}, onError, notFound });
    const merged = mergeApps([a, hooked, b]);
    expect(merged.onError).toBe(onError);
    expect(merged.notFound).toBe(notFound);
    const other = defineApp({ name: 'o', functions: {}, notFound });
    expect(refusal(() => mergeApps([hooked, a, other])).message).toBe(
      'notFound is defined by more than one app (h, o)',
    );
    expect(refusal(() => mergeApps([hooked, other])) instanceof TypeError).toBe(true);
  });

  it('services and modules of all apps; one service key provided twice is refused, named', () => {
    const S = token<string>('test.merge.S');
    class Store {}
    const m1 = new ContainerModule(() => undefined);
    const m2 = new ContainerModule(() => undefined);
    const s1 = provide(S, () => '1');
    const c1 = provide(Store, () => new Store());
    const x = defineApp({ name: 'x', functions: {}, services: [s1], modules: [m1] });
    const y = defineApp({ name: 'y', functions: {}, services: [c1], modules: [m2] });
    const merged = mergeApps([x, y]);
    expect(merged.services).toEqual([s1, c1]);
    expect(merged.modules).toEqual([m1, m2]);
    const twiceToken = defineApp({ name: 'z', functions: {}, services: [provide(S, () => '2')] });
    const error = refusal(() => mergeApps([x, twiceToken]));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('service polycloud.test.merge.S is provided by more than one app');
    const twiceClass = defineApp({ name: 'w', functions: {}, services: [provide(Store, () => new Store())] });
    expect(refusal(() => mergeApps([y, twiceClass])).message).toBe(
      'service Store is provided by more than one app',
    );
  });
});
