/**
 * The logger every provider writes through: level filtering (`POLYCLOUD_LOG_LEVEL`, `info` by
 * default), base fields merged under each line's own, children, errors made serialisable with
 * their causes, own keys only (an inherited key is no field; `__proto__` is a plain one), and the
 * node runtime's JSON-lines sink.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, jsonLineSink, type LogLevel, serializeError } from '../src/adapter.ts';

type Line = [LogLevel, string, Record<string, unknown>];

function capture(base?: Record<string, unknown>, min?: LogLevel) {
  const lines: Line[] = [];
  const log = createLogger((level, message, fields) => lines.push([level, message, fields]), base, min);
  return { log, lines };
}

const everyLevel = (log: ReturnType<typeof createLogger>) => {
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('levels', () => {
  it.each([
    ['debug', ['d', 'i', 'w', 'e']],
    ['info', ['i', 'w', 'e']],
    ['warn', ['w', 'e']],
    ['error', ['e']],
  ] as const)('minimum %s: that level and those above it', (min, expected) => {
    const { log, lines } = capture({}, min);
    everyLevel(log);
    expect(lines.map(([, message]) => message)).toEqual(expected);
    expect(lines.map(([level]) => level)).toEqual(
      expected.map((m) => ({ d: 'debug', i: 'info', w: 'warn', e: 'error' })[m]),
    );
  });

  it.each([
    ['debug', ['d', 'i', 'w', 'e']],
    ['info', ['i', 'w', 'e']],
    ['warn', ['w', 'e']],
    ['error', ['e']],
    ['verbose', ['i', 'w', 'e']],
    ['DEBUG', ['i', 'w', 'e']],
    [undefined, ['i', 'w', 'e']],
  ] as const)('POLYCLOUD_LOG_LEVEL=%s', (value, expected) => {
    if (value === undefined) vi.stubEnv('POLYCLOUD_LOG_LEVEL', undefined);
    else vi.stubEnv('POLYCLOUD_LOG_LEVEL', value);
    const { log, lines } = capture();
    everyLevel(log);
    expect(lines.map(([, message]) => message)).toEqual(expected);
  });

  it('a child keeps its parent’s minimum', () => {
    const { log, lines } = capture({}, 'warn');
    const child = log.child({ function: 'f' });
    everyLevel(child);
    expect(lines.map(([, message]) => message)).toEqual(['w', 'e']);
  });
});

describe('fields', () => {
  it('a line without fields carries the base fields; a line’s own fields win over the base', () => {
    const { log, lines } = capture({ app: 'shop', requestId: 'r1' });
    log.info('plain');
    log.info('own', { requestId: 'r2', step: 1 });
    expect(lines).toEqual([
      ['info', 'plain', { app: 'shop', requestId: 'r1' }],
      ['info', 'own', { app: 'shop', requestId: 'r2', step: 1 }],
    ]);
  });

  it('a child adds its fields to the base, its lines’ fields on top, the parent unchanged', () => {
    const { log, lines } = capture({ app: 'shop' });
    const child = log.child({ function: 'orders' }).child({ requestId: 'r1' });
    child.warn('slow', { ms: 900 });
    log.info('parent');
    expect(lines).toEqual([
      ['warn', 'slow', { app: 'shop', function: 'orders', requestId: 'r1', ms: 900 }],
      ['info', 'parent', { app: 'shop' }],
    ]);
  });

  it('only own keys become fields; `__proto__` is a plain field, not a prototype', () => {
    const inherited = Object.create({ leaked: true }) as Record<string, unknown>;
    inherited.own = 1;
    const { log, lines } = capture(inherited);
    const fields = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const extra = Object.create({ alsoLeaked: true }) as Record<string, unknown>;
    extra.y = 2;
    log.info('a', fields);
    log.info('b', extra);
    const [, , a] = lines[0]!;
    expect(Object.keys(a)).toEqual(['own', '__proto__', 'x']);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(a, '__proto__')?.value).toEqual({ polluted: true });
    expect((a as { polluted?: unknown }).polluted).toBeUndefined();
    expect(lines[1]![2]).toEqual({ own: 1, y: 2 });
    expect(Object.keys(lines[1]![2])).toEqual(['own', 'y']);
    const child = log.child(extra);
    child.info('c');
    expect(Object.keys(lines[2]![2])).toEqual(['own', 'y']);
  });

  it('an Error field is logged with its name, message, stack and cause; other values as they are', () => {
    const { log, lines } = capture();
    const cause = new RangeError('pool exhausted');
    const error = new TypeError('query failed', { cause });
    log.error('failed', { error, attempt: 2 });
    expect(lines[0]![2]).toEqual({
      error: {
        name: 'TypeError',
        message: 'query failed',
        stack: error.stack,
        cause: { name: 'RangeError', message: 'pool exhausted', stack: cause.stack },
      },
      attempt: 2,
    });
  });
});

describe('serializeError', () => {
  it('a cause that is no Error is left out', () => {
    const error = new Error('x', { cause: 'a string' });
    expect(serializeError(error)).toEqual({ name: 'Error', message: 'x', stack: error.stack });
    expect(serializeError(error)).not.toHaveProperty('cause');
  });
});

describe('jsonLineSink', () => {
  it('writes one JSON line: time, level, message, then the fields', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const before = Date.now();
    jsonLineSink('warn', 'slow', { ms: 900 });
    expect(written).toHaveLength(1);
    expect(written[0]!.endsWith('}\n')).toBe(true);
    expect(written[0]!.split('\n')).toHaveLength(2);
    const line = JSON.parse(written[0]!);
    expect(Object.keys(line)).toEqual(['time', 'level', 'message', 'ms']);
    expect(line).toMatchObject({ level: 'warn', message: 'slow', ms: 900 });
    expect(new Date(line.time).toISOString()).toBe(line.time);
    expect(Date.parse(line.time)).toBeGreaterThanOrEqual(before);
  });
});
