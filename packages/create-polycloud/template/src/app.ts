import { defineApp, HttpError, http, Queue, queue, schedule } from '@polycloud/core';

/** Orders kept in memory: enough to try the app; swap in a database through a service. */
const orders = new Map<string, { id: string; sku: string; status: 'queued' | 'processed' }>();

export default defineApp({
  name: 'orders',
  functions: {
    placeOrder: http('POST /orders', async (req, ctx) => {
      const body = (await req.json()) as { sku?: unknown };
      if (typeof body.sku !== 'string' || body.sku === '') throw new HttpError(400, 'sku is required');
      const order = { id: String(orders.size + 1), sku: body.sku, status: 'queued' as const };
      orders.set(order.id, order);
      await ctx.get(Queue).send('orders', { id: order.id });
      return { status: 202, body: order };
    }),
    getOrder: http('GET /orders/:id', (req) => {
      const order = orders.get(req.params.id ?? '');
      if (!order) throw new HttpError(404, `no order ${req.params.id}`);
      return order;
    }),
    // A throw here is a failed delivery: the message comes back (and, after the retries, dead-letters).
    processOrder: queue('orders', (message, ctx) => {
      const { id } = message.json() as { id: string };
      const order = orders.get(id);
      if (!order) throw new Error(`no order ${id}`);
      order.status = 'processed';
      ctx.log.info('processed', { id });
    }),
    nightlyReport: schedule('nightly-report', '0 3 * * *', (event, ctx) => {
      const open = [...orders.values()].filter((o) => o.status === 'queued').length;
      ctx.log.info('report', { at: event.scheduledTime.toISOString(), open });
    }),
  },
});
