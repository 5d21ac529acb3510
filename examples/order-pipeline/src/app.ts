/**
 * http → queue → topic → storage, plus a schedule: POST /orders accepts an order and queues it; the
 * `orders` queue worker charges it, stores its receipt in the `receipts` bucket and publishes
 * `order-events`; a subscriber notifies the customer; a storage function records each stored receipt
 * on its order; GET /orders/:id/receipt redirects to a short-lived signed URL; a nightly schedule
 * reports the day's orders. Orders themselves are JSON objects in the `orders` bucket (see
 * order-repository.ts), so every function sees them wherever it runs. The same code runs on S3, Blob
 * Storage, Cloud Storage and a local folder.
 */
import { randomUUID } from 'node:crypto';
import {
  defineApp,
  HttpError,
  http,
  Queue,
  queue,
  Storage,
  schedule,
  storage,
  Topic,
  topic,
} from '@polycloud/core';
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { type Order, OrderRepository, StorageOrderRepository } from './order-repository.ts';

const NewOrder = z.object({
  customer: z.string().email(),
  items: z
    .array(
      z.object({
        sku: z.string().min(1),
        quantity: z.number().int().positive(),
        unitPriceCents: z.number().int().nonnegative(),
      }),
    )
    .min(1),
});
const OrderEvent = z.object({
  type: z.enum(['order.paid', 'order.failed']),
  orderId: z.string(),
  customer: z.string(),
  totalCents: z.number(),
});

/** Receipts live under `orders/<id>.json` in the logical bucket `receipts` (mapped per provider in config). */
const RECEIPTS = 'receipts';
const receiptKey = (orderId: string) => `orders/${orderId}.json`;

const repositories = new ContainerModule(({ bind }) => {
  bind(OrderRepository)
    .toDynamicValue((context) => new StorageOrderRepository(context.get(Storage)))
    .inSingletonScope();
});

export default defineApp({
  name: 'order-pipeline',
  modules: [repositories],
  functions: {
    placeOrder: http('POST /orders', { body: NewOrder }, async (req, ctx) => {
      const order: Order = {
        id: randomUUID(),
        customer: req.data.customer,
        items: req.data.items,
        totalCents: req.data.items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0),
        status: 'received',
        createdAt: new Date().toISOString(),
      };
      await ctx.get(OrderRepository).save(order);
      // The queue carries only the id: the order itself is in the orders bucket. No groupId: orders
      // are independent, and ordered delivery is a deployment choice the default queues (SQS
      // standard, Storage Queues, Pub/Sub without message ordering) do not make.
      await ctx.get(Queue).send('orders', { orderId: order.id });
      return { status: 202, body: { id: order.id, status: order.status } };
    }),
    getOrder: http('GET /orders/:id', async (req, ctx) => {
      const order = await ctx.get(OrderRepository).get(req.params.id);
      if (!order) throw new HttpError(404, `no order ${req.params.id}`);
      return order;
    }),
    processOrder: queue('orders', { body: z.object({ orderId: z.string() }) }, async (message, ctx) => {
      const repo = ctx.get(OrderRepository);
      const order = await repo.get(message.data.orderId);
      if (!order) throw new Error(`order ${message.data.orderId} not found`);
      if (order.status !== 'received') return; // redelivered after success: nothing to do (idempotent)
      order.status = order.totalCents > 1_000_000 ? 'failed' : 'paid';
      await repo.save(order);
      if (order.status === 'paid') {
        const receipt = {
          orderId: order.id,
          customer: order.customer,
          items: order.items,
          totalCents: order.totalCents,
        };
        await ctx.get(Storage).put(RECEIPTS, receiptKey(order.id), JSON.stringify(receipt), {
          contentType: 'application/json',
          metadata: { order_id: order.id },
        });
      }
      await ctx.get(Topic).publish(
        'order-events',
        {
          type: `order.${order.status}`,
          orderId: order.id,
          customer: order.customer,
          totalCents: order.totalCents,
        },
        { attributes: { type: `order.${order.status}` } },
      );
    }),
    notifyCustomer: topic('order-events', { body: OrderEvent }, async (message, ctx) => {
      ctx.log.info('notify customer', {
        to: message.data.customer,
        event: message.data.type,
        orderId: message.data.orderId,
        totalCents: message.data.totalCents,
      });
    }),
    recordReceipt: storage(RECEIPTS, async (event, ctx) => {
      const orderId = /^orders\/(.+)\.json$/.exec(event.key)?.[1];
      if (!orderId) return; // not a receipt
      const repo = ctx.get(OrderRepository);
      const order = await repo.get(orderId);
      if (!order) throw new Error(`receipt for unknown order ${orderId}`);
      order.receipt = { key: event.key, size: event.size ?? 0 };
      await repo.save(order);
    }),
    getReceipt: http('GET /orders/:id/receipt', async (req, ctx) => {
      const order = await ctx.get(OrderRepository).get(req.params.id);
      if (!order?.receipt) throw new HttpError(404, `no receipt for order ${req.params.id}`);
      const url = await ctx.get(Storage).signedUrl(RECEIPTS, order.receipt.key, { expiresIn: 300 });
      return { status: 302, headers: { location: url } };
    }),
    nightlyReport: schedule('nightly-report', '0 3 * * *', async (event, ctx) => {
      const since = new Date(event.scheduledTime.getTime() - 24 * 3600 * 1000);
      const orders = await ctx.get(OrderRepository).since(since);
      ctx.log.info('nightly report', {
        orders: orders.length,
        revenueCents: orders.filter((o) => o.status === 'paid').reduce((s, o) => s + o.totalCents, 0),
      });
    }),
  },
});
