/**
 * `lazyService` (a service whose implementation is imported on its first call) and `LazyLogger`
 * (a logger made on its first line): nothing is loaded or made before it is used, once after,
 * every call reaches the real one with its arguments and `this`, and a failed load is retried.
 */
import { describe, expect, it } from 'vitest';
import { createLogger, LazyLogger, type LogLevel, lazyLoad, lazyService } from '../src/adapter.ts';

interface Greeter {
  greet(name: string, punctuation?: string): Promise<string>;
  count(): Promise<number>;
}

class RealGreeter implements Greeter {
  calls = 0;
  async greet(name: string, punctuation = '.') {
    this.calls++;
    return `hello ${name}${punctuation}`;
  }
  async count() {
    return this.calls;
  }
}

describe('lazyService', () => {
  it('loads on the first call of any method, once, and calls the real method with its arguments and this', async () => {
    let loads = 0;
    const service = lazyService<Greeter>(['greet', 'count'], async () => {
      loads++;
      return new RealGreeter();
    });
    expect(Object.keys(service)).toEqual(['greet', 'count']);
    expect(loads).toBe(0);
    await expect(service.greet('ana', '!')).resolves.toBe('hello ana!');
    await expect(service.greet('bo')).resolves.toBe('hello bo.');
    await expect(service.count()).resolves.toBe(2);
    expect(loads).toBe(1);
  });

  it('calls made while loading share the one load', async () => {
    let loads = 0;
    const service = lazyService<Greeter>(['greet', 'count'], async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return new RealGreeter();
    });
    await Promise.all([service.greet('a'), service.greet('b'), service.count()]);
    expect(loads).toBe(1);
  });

  it('a failed load fails that call and is tried again on the next one', async () => {
    let loads = 0;
    const service = lazyService<Greeter>(['greet'], async () => {
      loads++;
      if (loads === 1) throw new Error('chunk missing');
      return new RealGreeter();
    });
    await expect(service.greet('a')).rejects.toThrow('chunk missing');
    await expect(service.greet('a')).resolves.toBe('hello a.');
    await expect(service.greet('b')).resolves.toBe('hello b.');
    expect(loads).toBe(2);
  });
});

describe('LazyLogger', () => {
  it('makes its logger on the first line only, once, and passes every level and child through', () => {
    const lines: [LogLevel, string, Record<string, unknown>][] = [];
    let made = 0;
    const lazy = new LazyLogger(() => {
      made++;
      return createLogger(
        (level, message, fields) => lines.push([level, message, fields]),
        { app: 'a' },
        'debug',
      );
    });
    expect(made).toBe(0);
    lazy.debug('d', { n: 1 });
    lazy.info('i', { n: 2 });
    lazy.warn('w', { n: 3 });
    lazy.error('e', { n: 4 });
    lazy.child({ function: 'f' }).info('c');
    expect(made).toBe(1);
    expect(lines).toEqual([
      ['debug', 'd', { app: 'a', n: 1 }],
      ['info', 'i', { app: 'a', n: 2 }],
      ['warn', 'w', { app: 'a', n: 3 }],
      ['error', 'e', { app: 'a', n: 4 }],
      ['info', 'c', { app: 'a', function: 'f' }],
    ]);
  });
});

describe('lazyLoad', () => {
  it('loads on the first call only, shares the load, and retries one that failed', async () => {
    let loads = 0;
    let fail = true;
    const get = lazyLoad(async () => {
      loads++;
      if (fail) throw new Error('import failed');
      return { n: loads };
    });
    expect(loads).toBe(0);
    await expect(get()).rejects.toThrow('import failed');
    fail = false;
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
    expect(loads).toBe(2);
  });
});
