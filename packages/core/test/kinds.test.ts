/**
 * The function builders (`http`, `queue`, `topic`, `storage`, `schedule`, `event`): the definition
 * each one returns, field by field, in both argument orders, and the AppDefinitionError a user meets
 * for each mistake (the message names the builder and what is wrong).
 */
import { describe, expect, it } from 'vitest';
import { FUNCTION_KINDS } from '../src/adapter.ts';
import { AppDefinitionError, event, http, queue, schedule, storage, topic } from '../src/index.ts';
import type { StandardSchemaV1 } from '../src/validation.ts';

const ok = () => undefined;
const schema = {
  '~standard': { version: 1, vendor: 'test', validate: (v: unknown) => ({ value: v }) },
} as StandardSchemaV1;

function refusal(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(AppDefinitionError);
    return (error as Error).message;
  }
  throw new Error('no AppDefinitionError');
}

describe('http()', () => {
  it('parses the route: methods upper-cased and split on "," or "|", the path trimmed', () => {
    expect(http('get,Post /todos/:id', ok).route).toEqual({ methods: ['GET', 'POST'], path: '/todos/:id' });
    expect(http('  PUT|delete   /a  ', ok).route).toEqual({ methods: ['PUT', 'DELETE'], path: '/a' });
    // The first space ends the methods: a space after a comma leaves " POST /x" as the path.
    expect(refusal(() => http('GET, POST /x', ok))).toBe(
      'route "GET, POST /x": the path must start with "/"',
    );
  });

  it('ANY, "*" or no method at all: every method (an empty list)', () => {
    expect(http('ANY /x', ok).route).toEqual({ methods: [], path: '/x' });
    expect(http('any /x', ok).route.methods).toEqual([]);
    expect(http('* /x', ok).route.methods).toEqual([]);
    expect(http('/health', ok).route).toEqual({ methods: [], path: '/health' });
  });

  it('refuses an unknown method, a path without "/", and "*" anywhere but last', () => {
    expect(refusal(() => http('FETCH /x', ok))).toBe(
      'route "FETCH /x": unknown method "FETCH" (valid: ANY, GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)',
    );
    expect(refusal(() => http('GET todos', ok))).toBe('route "GET todos": the path must start with "/"');
    expect(refusal(() => http('todos', ok))).toBe('route "todos": the path must start with "/"');
    expect(refusal(() => http('GET /files/*/meta', ok))).toBe('route "GET /files/*/meta": "*" must be last');
    expect(http('GET /files/*', ok).route.path).toBe('/files/*');
  });

  it('keeps the handler, the options and the body schema, in either argument order', () => {
    const options = { body: schema, timeoutMs: 5_000 };
    const def = http('POST /todos', options, ok);
    expect(def).toEqual({
      kind: 'http',
      route: { methods: ['POST'], path: '/todos' },
      handler: ok,
      options,
      body: schema,
    });
    expect(http('POST /todos', ok, options)).toEqual(def);
    expect(http('GET /', ok)).toEqual({
      kind: 'http',
      route: { methods: ['GET'], path: '/' },
      handler: ok,
      options: {},
      body: undefined,
    });
  });

  it('refuses a builder call without a handler function', () => {
    expect(refusal(() => (http as (...a: unknown[]) => unknown)('GET /', {}))).toBe(
      'a handler function is required',
    );
    expect(refusal(() => (queue as (...a: unknown[]) => unknown)('q', {}, {}))).toBe(
      'a handler function is required',
    );
  });
});

describe('queue() and topic()', () => {
  it('carry their name, handler, options and body schema', () => {
    expect(queue('orders', { body: schema }, ok)).toEqual({
      kind: 'queue',
      queue: 'orders',
      handler: ok,
      options: { body: schema },
      body: schema,
    });
    expect(topic('events', ok)).toEqual({
      kind: 'topic',
      topic: 'events',
      handler: ok,
      options: {},
      body: undefined,
    });
    expect(topic('events', ok, { timeoutMs: 1 })).toEqual(topic('events', { timeoutMs: 1 }, ok));
  });

  it('refuse an empty or blank name, naming the builder', () => {
    expect(refusal(() => queue('', ok))).toBe('queue(): a name is required');
    expect(refusal(() => queue('  ', ok))).toBe('queue(): a name is required');
    expect(refusal(() => topic('\t', ok))).toBe('topic(): a name is required');
    expect(refusal(() => (topic as (...a: unknown[]) => unknown)(undefined, ok))).toBe(
      'topic(): a name is required',
    );
  });
});

describe('storage()', () => {
  it('receives created objects unless told otherwise', () => {
    expect(storage('uploads', ok)).toEqual({
      kind: 'storage',
      bucket: 'uploads',
      events: ['created'],
      handler: ok,
      options: {},
    });
    expect(storage('uploads', { events: ['deleted', 'created'] }, ok).events).toEqual(['deleted', 'created']);
  });

  it('refuses an unknown event type and an empty bucket name', () => {
    expect(refusal(() => storage('uploads', { events: ['changed' as never] }, ok))).toBe(
      'storage("uploads"): unknown event "changed" (valid: created, deleted, archived, metadataUpdated)',
    );
    expect(refusal(() => storage(' ', ok))).toBe('storage(): a name is required');
  });
});

describe('schedule()', () => {
  it('keeps the five cron fields, white space normalised; the timezone only when set', () => {
    const def = schedule('nightly', '  0   3 * *\t* ', ok);
    expect(def).toEqual({ kind: 'schedule', name: 'nightly', cron: '0 3 * * *', handler: ok, options: {} });
    expect('timezone' in def).toBe(false);
    const paris = schedule('morning', '0 8 * * 1-5', { timezone: 'Europe/Paris' }, ok);
    expect(paris.timezone).toBe('Europe/Paris');
    expect(schedule('morning', '0 8 * * 1-5', ok, { timezone: 'Europe/Paris' })).toEqual(paris);
  });

  it('refuses a cron without exactly five fields, and an empty name', () => {
    expect(refusal(() => schedule('s', '0 3 * *', ok))).toBe(
      'schedule("s"): "0 3 * *" must have 5 fields (minute hour day-of-month month day-of-week)',
    );
    expect(refusal(() => schedule('s', '0 0 3 * * *', ok))).toMatch(/must have 5 fields/);
    expect(refusal(() => schedule('', '0 3 * * *', ok))).toBe('schedule(): a name is required');
  });
});

describe('event()', () => {
  it('accepts every type without a filter, one type, or a list; the source only when set', () => {
    const all = event({}, ok);
    expect(all).toEqual({ kind: 'event', types: [], handler: ok, options: {} });
    expect('source' in all).toBe(false);
    expect(event({ type: 'a.b' }, ok).types).toEqual(['a.b']);
    expect(event({ type: ['a', 'b'] }, ok).types).toEqual(['a', 'b']);
    const sourced = event({ type: 'a', source: '/orders' }, { timeoutMs: 2 }, ok);
    expect(sourced).toEqual({
      kind: 'event',
      types: ['a'],
      source: '/orders',
      handler: ok,
      options: { timeoutMs: 2 },
    });
    expect(event({ type: 'a', source: '/orders' }, ok, { timeoutMs: 2 })).toEqual(sourced);
    expect('source' in event({ source: '' }, ok)).toBe(false);
  });
});

describe('FUNCTION_KINDS', () => {
  it('lists the six trigger kinds, in the order adapters document them', () => {
    expect(FUNCTION_KINDS).toEqual(['http', 'queue', 'topic', 'storage', 'schedule', 'event']);
  });
});
