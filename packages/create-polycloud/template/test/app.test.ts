import { testApp } from '@polycloud/testing';
import { describe, expect, it } from 'vitest';
import app from '../src/app.ts';

describe('orders app', () => {
  const t = testApp(app);

  it('places an order over http and reads it back', async () => {
    const placed = await t.http('POST', '/orders', { body: { sku: 'book' } });
    expect(placed.status).toBe(202);
    const { id } = placed.json<{ id: string }>();
    const read = await t.http('GET', `/orders/${id}`);
    expect(read.json()).toMatchObject({ id, sku: 'book' });
  });

  it('answers 400 for a bad body and 404 for an unknown order', async () => {
    expect((await t.http('POST', '/orders', { body: {} })).status).toBe(400);
    expect((await t.http('GET', '/orders/nope')).status).toBe(404);
  });

  it('processes a queued order, and fails (so redelivers) an unknown one', async () => {
    const { id } = (await t.http('POST', '/orders', { body: { sku: 'pen' } })).json<{ id: string }>();
    await t.message('processOrder', { id });
    expect((await t.http('GET', `/orders/${id}`)).json()).toMatchObject({ status: 'processed' });
    await expect(t.message('processOrder', { id: 'nope' })).rejects.toThrow('no order nope');
  });

  it('runs the nightly report', async () => {
    await expect(t.schedule('nightlyReport', new Date('2026-01-01T03:00:00Z'))).resolves.toBeUndefined();
  });
});
