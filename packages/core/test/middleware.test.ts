/**
 * `compose`: middleware as an onion around the inner call, outermost first; what each layer
 * returns is what the one outside it gets; a layer that throws or calls `next()` twice is a
 * rejected promise, never a synchronous throw.
 */
import { describe, expect, it } from 'vitest';
import type { Context, Middleware } from '../src/index.ts';
import { compose } from '../src/middleware.ts';

const ctx = { event: 'ev' } as unknown as Context<string>;

describe('compose', () => {
  it('without middleware: the inner call, given the context', async () => {
    const seen: unknown[] = [];
    const run = compose<string>([], async (c) => {
      seen.push(c);
      return 'inner';
    });
    await expect(run('ev', ctx)).resolves.toBe('inner');
    expect(seen).toEqual([ctx]);
  });

  it('runs the layers outermost first around the inner call, each getting what the next returned', async () => {
    const order: string[] = [];
    const layer =
      (name: string): Middleware<string> =>
      async (c, next) => {
        order.push(`>${name}:${c.event}`);
        const out = await next();
        order.push(`<${name}`);
        return `${name}(${String(out)})`;
      };
    const run = compose([layer('a'), layer('b')], async () => {
      order.push('inner');
      return 'x';
    });
    await expect(run('ev', ctx)).resolves.toBe('a(b(x))');
    expect(order).toEqual(['>a:ev', '>b:ev', 'inner', '<b', '<a']);
    order.length = 0;
    await expect(run('ev', ctx)).resolves.toBe('a(b(x))');
    expect(order).toEqual(['>a:ev', '>b:ev', 'inner', '<b', '<a']);
  });

  it('a layer may answer without calling next: the inner call never runs', async () => {
    let ran = false;
    const run = compose([async () => 'cached'], async () => {
      ran = true;
      return 'fresh';
    });
    await expect(run('ev', ctx)).resolves.toBe('cached');
    expect(ran).toBe(false);
  });

  it('a layer that returns no promise is still awaited as one', async () => {
    const run = compose([((_c, next) => next().then((v) => `${v}!`)) as Middleware<string>], async () => 'x');
    const sync = compose([(() => 'plain') as unknown as Middleware<string>], async () => 'x');
    await expect(run('ev', ctx)).resolves.toBe('x!');
    const out = sync('ev', ctx);
    expect(out).toBeInstanceOf(Promise);
    await expect(out).resolves.toBe('plain');
  });

  it('a layer that throws synchronously: a rejected promise', async () => {
    const run = compose(
      [
        (() => {
          throw new Error('layer failed');
        }) as Middleware<string>,
      ],
      async () => 'x',
    );
    const out = run('ev', ctx);
    expect(out).toBeInstanceOf(Promise);
    await expect(out).rejects.toThrow('layer failed');
  });

  it('next() called twice: the second call rejects; calling it once per layer is fine', async () => {
    let inner = 0;
    const twice: Middleware<string> = async (_c, next) => {
      await next();
      return next();
    };
    const run = compose([twice], async () => ++inner);
    await expect(run('ev', ctx)).rejects.toThrow('next() called more than once');
    expect(inner).toBe(1);
    const nested = compose([async (_c, next) => next(), async (_c, next) => next()], async () => 'ok');
    await expect(nested('ev', ctx)).resolves.toBe('ok');
  });
});
