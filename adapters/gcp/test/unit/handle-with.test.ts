/**
 * `handleWith` is what `polycloud build` registers an app through, with only the entries its
 * functions need. A bundle that lacks one must say so at registration (cold start), not answer the
 * function's first request with an error.
 */
import { defineApp, http, queue } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { eventEntry, handleWith, httpEntry } from '../../src/handle.ts';

const app = defineApp({
  name: 'entries',
  functions: {
    getItem: http('GET /items/:id', (req) => ({ id: req.params.id })),
    orders: queue('orders', () => undefined),
  },
});

describe('handleWith', () => {
  it('registers every function when the entries its kinds need are given', () => {
    const { handlers } = handleWith(app, {}, { http: httpEntry, event: eventEntry });
    expect(Object.keys(handlers).sort()).toEqual(['getItem', 'orders']);
  });

  it('refuses an app whose queue function has no event entry in the bundle, naming the kind', () => {
    expect(() => handleWith(app, {}, { http: httpEntry })).toThrow(
      new TypeError('this bundle has no entry for queue functions'),
    );
  });

  it('refuses an http function without the http entry', () => {
    expect(() => handleWith(app, {}, { event: eventEntry })).toThrow(
      new TypeError('this bundle has no entry for http functions'),
    );
  });
});
