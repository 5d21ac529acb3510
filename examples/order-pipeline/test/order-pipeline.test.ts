import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handle, type NodeServer } from '@polycloud/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import app from '../src/app.ts';

let server: NodeServer;
let storageDir: string;
beforeAll(async () => {
  storageDir = mkdtempSync(join(tmpdir(), 'order-pipeline-'));
  server = await handle(app, {
    storageDir,
    port: 0,
    schedules: false,
    handleSignals: false,
    broker: { maxDeliveries: 2, retryDelayMs: () => 5 },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(storageDir, { recursive: true, force: true });
});

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  });
  return { lines, restore: () => spy.mockRestore() };
}

describe('examples/order-pipeline: http → queue → topic, plus a schedule', () => {
  it('accepts an order, processes it from the queue and notifies through the topic', async () => {
    const logs = captureLogs();
    try {
      const res = await fetch(`${server.url}/orders`, {
        method: 'POST',
        body: JSON.stringify({
          customer: 'ana@example.com',
          items: [{ sku: 'tea', quantity: 2, unitPriceCents: 450 }],
        }),
      });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      await server.broker.drain();
      const order = await (await fetch(`${server.url}/orders/${id}`)).json();
      expect(order).toMatchObject({ id, status: 'paid', totalCents: 900 });
      const notified = logs.lines.find((l) => l.message === 'notify customer');
      expect(notified).toMatchObject({
        to: 'ana@example.com',
        event: 'order.paid',
        orderId: id,
        function: 'notifyCustomer',
      });
      // The receipt was stored, the storage function saw it, and its signed link serves it.
      expect(order.receipt).toMatchObject({ key: `orders/${id}.json` });
      const link = await fetch(`${server.url}/orders/${id}/receipt`, { redirect: 'manual' });
      expect(link.status).toBe(302);
      const receipt = await fetch(link.headers.get('location')!);
      expect(receipt.headers.get('content-type')).toBe('application/json');
      expect(await receipt.json()).toEqual({
        orderId: id,
        customer: 'ana@example.com',
        items: [{ sku: 'tea', quantity: 2, unitPriceCents: 450 }],
        totalCents: 900,
      });
    } finally {
      logs.restore();
    }
  });

  it('keeps orders in the orders bucket, so another instance of the app sees them', async () => {
    const res = await fetch(`${server.url}/orders`, {
      method: 'POST',
      body: JSON.stringify({
        customer: 'bo@example.com',
        items: [{ sku: 'cup', quantity: 1, unitPriceCents: 700 }],
      }),
    });
    const { id } = (await res.json()) as { id: string };
    // A second server on the same storage: on Lambda and Cloud Run every function is such an
    // instance of its own, and an order kept in memory would be unknown to all but placeOrder.
    const other = await handle(app, { storageDir, port: 0, schedules: false, handleSignals: false });
    try {
      const seen = await fetch(`${other.url}/orders/${id}`);
      expect(seen.status).toBe(200);
      expect(await seen.json()).toMatchObject({ id, customer: 'bo@example.com', totalCents: 700 });
      expect((await fetch(`${other.url}/orders/no-such-order`)).status).toBe(404);
    } finally {
      await other.close();
      await server.broker.drain();
    }
  });

  it('rejects an invalid order with 400 and queues nothing', async () => {
    const before = server.broker.pending;
    const res = await fetch(`${server.url}/orders`, {
      method: 'POST',
      body: JSON.stringify({ customer: 'not-an-email', items: [] }),
    });
    expect(res.status).toBe(400);
    expect(server.broker.pending).toBe(before);
  });

  it('dead-letters a queue message it cannot process instead of dropping it', async () => {
    await fetch(`${server.url}/_polycloud/queues/orders`, {
      method: 'POST',
      body: JSON.stringify({ orderId: 'missing' }),
    });
    await server.broker.drain();
    expect((await server.broker.listDeadLetters()).at(-1)).toMatchObject({
      function: 'processOrder',
      deliveries: 2,
      error: 'Error: order missing not found',
    });
  });

  it('runs the nightly report when its schedule fires', async () => {
    const logs = captureLogs();
    try {
      const res = await fetch(`${server.url}/_polycloud/functions/nightlyReport`, {
        method: 'POST',
        headers: {
          'ce-specversion': '1.0',
          'ce-id': 'n1',
          'ce-source': '//scheduler',
          'ce-type': 'polycloud.schedule.fired',
          'ce-time': new Date().toISOString(),
        },
      });
      expect(res.status).toBe(204);
      expect(logs.lines.find((l) => l.message === 'nightly report')).toMatchObject({
        // The two good orders above (900 + 700 cents), read back from the orders bucket.
        orders: 2,
        revenueCents: 1600,
      });
    } finally {
      logs.restore();
    }
  });
});
