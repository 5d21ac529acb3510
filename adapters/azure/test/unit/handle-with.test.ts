/**
 * `handleWith` is what `polycloud build` registers an app through, with the trigger handlers only
 * when the app has functions other than http. A bundle that lacks them must say so at registration
 * (cold start), not fail the function's first invocation.
 */
import { defineApp, http, queue } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { eventHandler, handleWith } from '../../src/handle.ts';

const app = defineApp({
  name: 'entries',
  functions: {
    getItem: http('GET /items/:id', (req) => ({ id: req.params.id })),
    orders: queue('orders', () => undefined),
  },
});

describe('handleWith', () => {
  it('registers every function when the trigger handlers are given', () => {
    const { handlers, plans } = handleWith(app, { register: false }, { event: eventHandler });
    expect(Object.keys(handlers).sort()).toEqual(['getItem', 'orders']);
    expect(plans.orders!.method).toBe('storageQueue');
  });

  it('refuses an app with a queue function when the bundle has no trigger handlers, naming the kind', () => {
    expect(() => handleWith(app, { register: false }, {})).toThrow(
      new TypeError('this bundle has no entry for queue functions'),
    );
  });

  it('needs no trigger handlers for an app of http functions', () => {
    const httpOnly = defineApp({ name: 'web', functions: { getItem: app.functions.get('getItem')! } });
    expect(Object.keys(handleWith(httpOnly, { register: false }, {}).handlers)).toEqual(['getItem']);
  });
});
