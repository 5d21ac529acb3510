import { defineApp, HttpError, http, Queue, queue, schedule } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { testApp } from '../src/test-app.ts';

const seen: string[] = [];
const app = defineApp({
  name: 'shop',
  functions: {
    getOrder: http('GET /orders/:id', (req) => {
      if (req.params.id === '0') throw new HttpError(404, 'no such order');
      return { id: req.params.id, q: req.query.get('q') };
    }),
    placeOrder: http('POST /orders', async (req, ctx) => {
      await ctx.get(Queue).send('orders', await req.json());
      return { status: 202, body: { queued: true } };
    }),
    processOrder: queue('orders', (message) => {
      const order = message.json() as { sku?: string };
      if (!order.sku) throw new Error('no sku');
      seen.push(order.sku);
    }),
    nightly: schedule('nightly', '0 3 * * *', (event) => {
      seen.push(`nightly ${event.scheduledTime.toISOString()}`);
    }),
  },
});

describe('testApp', () => {
  const t = testApp(app);

  it('routes http requests and answers as a server would', async () => {
    const ok = await t.http('GET', '/orders/7?q=x');
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({ id: '7', q: 'x' });
    expect((await t.http('GET', '/orders/0')).status).toBe(404);
    expect((await t.http('GET', '/nowhere')).status).toBe(404);
    expect((await t.http('POST', '/orders', { body: { sku: 'a' } })).json()).toEqual({ queued: true });
  });

  it('delivers a message and rejects when the handler throws', async () => {
    await t.message('processOrder', { sku: 'b' });
    expect(seen).toContain('b');
    await expect(t.message('processOrder', {})).rejects.toThrow('no sku');
    await expect(t.message('getOrder', {})).rejects.toThrow('not a queue or topic');
  });

  it('runs a schedule at the given time', async () => {
    await t.schedule('nightly', new Date('2026-12-07T03:00:00Z'));
    expect(seen).toContain('nightly 2026-12-07T03:00:00.000Z');
  });
});
