/**
 * The JetStream broker's start and close where no NATS server answers (no server needed): a queue
 * with two functions is refused at once (a configuration error, not an outage to retry), and
 * close() returns promptly whether nothing listens at the address or something listens and never
 * speaks, stopping the client's dialling.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { defineApp, queue, topic } from '@polycloud/core';
import { AppRuntime } from '@polycloud/core/adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { JetStreamBroker } from '../../src/events/jetstream-broker.ts';
import { nodeProvider } from '../../src/provider.ts';
import { freePort } from '../support/nats-server.ts';

const logs: string[] = [];
function brokerOf(app: Parameters<typeof defineApp>[0], url: string): JetStreamBroker {
  const runtime = new AppRuntime(defineApp(app), {
    ...nodeProvider(),
    sink: (_l, message) => logs.push(message),
  });
  return new JetStreamBroker(runtime, { kind: 'nats', url });
}

/** Resolves with what the promise settled to, or 'pending' after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms).unref())]);
}

let silent: { server: Server; sockets: Set<Socket> } | undefined;
afterEach(async () => {
  logs.length = 0;
  if (!silent) return;
  for (const s of silent.sockets) s.destroy();
  await new Promise((r) => silent!.server.close(r));
  silent = undefined;
});

describe('JetStream broker lifecycle without a server', () => {
  it('a queue with two functions: start() refuses at once, naming both, without retrying', async () => {
    const broker = brokerOf(
      {
        name: 'two-owners',
        functions: { first: queue('orders', () => undefined), second: queue('orders', () => undefined) },
      },
      'nats://127.0.0.1:1',
    );
    await expect(within(broker.start(), 1_000)).rejects.toThrow(
      'queue "orders" has two functions (first, second); on JetStream a queue has one consumer function (use a topic to fan out)',
    );
    expect(logs).toEqual([]);
    await broker.close();
  });

  it('queues with one function each, and a topic with two, start the setup (and wait for the server)', async () => {
    const port = await freePort();
    const broker = brokerOf(
      {
        name: 'one-owner',
        functions: {
          first: queue('orders', () => undefined),
          second: queue('refunds', () => undefined),
          fanA: topic('news', () => undefined),
          fanB: topic('news', () => undefined),
        },
      },
      `nats://127.0.0.1:${port}`,
    );
    const starting = broker.start();
    expect(await within(starting, 300)).toBe('pending');
    await broker.close();
    await expect(within(starting, 3_000)).rejects.toThrow('the JetStream broker is closed');
  });

  it('close() returns at once when nothing listens, and the send waiting for the connection rejects', async () => {
    const port = await freePort();
    const broker = brokerOf({ name: 'unreachable', functions: {} }, `nats://127.0.0.1:${port}`);
    const sending = broker.send('orders', 'a');
    expect(await within(sending, 300)).toBe('pending');
    const started = Date.now();
    expect(await within(broker.close(), 200)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(200);
    // The client stops dialling at its next attempt (every 0.5 s).
    await expect(within(sending, 3_000)).rejects.toThrow('the JetStream broker is closed');
  });

  it('close() returns at once when the server accepts and never speaks', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    silent = { server, sockets };
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const broker = brokerOf({ name: 'silent', functions: {} }, `nats://127.0.0.1:${port}`);
    void broker.send('orders', 'a').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    expect(sockets.size).toBeGreaterThan(0);
    expect(await within(broker.close(), 200)).toBeUndefined();
  });

  it('close() before any use, and twice, is a no-op', async () => {
    const broker = brokerOf({ name: 'unused', functions: {} }, 'nats://127.0.0.1:1');
    await broker.close();
    await broker.close();
    await expect(within(broker.send('orders', 'a'), 3_000)).rejects.toThrow('the JetStream broker is closed');
  });
});
