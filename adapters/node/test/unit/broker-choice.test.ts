/**
 * Which broker a node runtime gets (docs: handle()'s `broker` option first, then
 * `providers.node.broker` in polycloud.config, then POLYCLOUD_NATS_URL; in-memory when none names
 * NATS). The choice is made when the runtime's broker is created; the chosen broker's code loads on
 * first use. Constructing a JetStream broker does not connect, so no server is needed here.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { defineApp, queue } from '@polycloud/core';
import { AppRuntime } from '@polycloud/core/adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BrokerChoice } from '../../src/events/broker-choice.ts';
import { DeferredBroker } from '../../src/events/deferred-broker.ts';
import { JetStreamBroker } from '../../src/events/jetstream-broker.ts';
import { BrokerFullError, type MessageBroker } from '../../src/events/message-broker.ts';
import { MemoryBroker } from '../../src/index.ts';
import { nodeProvider } from '../../src/provider.ts';

const app = defineApp({ name: 'broker-choice', functions: { q: queue('orders', () => undefined) } });

function runtimeWith(broker?: Record<string, unknown>): AppRuntime {
  return new AppRuntime(app, nodeProvider(), {
    config: { app: 'broker-choice', provider: 'node', providers: broker ? { node: { broker } } : {} },
  });
}

afterEach(() => {
  vi.unstubAllEnvs();
});

/** The runtime's broker as the server holds it (the choice made, its module not loaded yet). */
function chooseBroker(
  runtime: AppRuntime,
  options: BrokerChoice | undefined,
  timeoutMs: number,
): DeferredBroker {
  return new DeferredBroker(runtime, options, timeoutMs);
}

/** The broker it chose, its module loaded. */
function chosen(runtime: AppRuntime, options?: BrokerChoice): Promise<MessageBroker> {
  return chooseBroker(runtime, options, 30_000).loaded();
}

describe('chooseBroker', () => {
  it('nothing configured: the in-memory broker', async () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', '');
    expect(chooseBroker(runtimeWith(), undefined, 30_000).kind).toBe('memory');
    expect(await chosen(runtimeWith())).toBeInstanceOf(MemoryBroker);
    expect(await chosen(runtimeWith(), { maxDeliveries: 3 })).toBeInstanceOf(MemoryBroker);
  });

  it('handle()’s broker option naming NATS: JetStream, whatever the config says', async () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', '');
    const broker = chooseBroker(runtimeWith(), { kind: 'nats', url: 'nats://127.0.0.1:4222' }, 30_000);
    expect(broker.kind).toBe('nats');
    expect(broker.distributesSchedules).toBe(true);
    expect(await broker.loaded()).toBeInstanceOf(JetStreamBroker);
  });

  it('providers.node.broker naming NATS in the config: JetStream', async () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', '');
    expect(await chosen(runtimeWith({ kind: 'nats' }))).toBeInstanceOf(JetStreamBroker);
    expect(await chosen(runtimeWith({ kind: 'memory' }))).toBeInstanceOf(MemoryBroker);
  });

  it('POLYCLOUD_NATS_URL alone: JetStream; an explicit memory broker option keeps the in-memory one', async () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', 'nats://127.0.0.1:4222');
    expect(await chosen(runtimeWith())).toBeInstanceOf(JetStreamBroker);
    expect(await chosen(runtimeWith(), { maxDeliveries: 2 })).toBeInstanceOf(JetStreamBroker);
    expect(await chosen(runtimeWith(), { kind: 'memory' })).toBeInstanceOf(MemoryBroker);
  });

  it('the choice is made once, when the broker is created: a later POLYCLOUD_NATS_URL does not change it', async () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', '');
    const broker = chooseBroker(runtimeWith(), undefined, 30_000);
    vi.stubEnv('POLYCLOUD_NATS_URL', 'nats://127.0.0.1:4222');
    expect(broker.kind).toBe('memory');
    expect(await broker.loaded()).toBeInstanceOf(MemoryBroker);
  });

  it('the in-memory broker keeps the options it was given', async () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', '');
    const runtime = runtimeWith();
    const broker = chooseBroker(runtime, { maxPending: 1 }, 30_000);
    // maxPending 1 (the default is 10,000): a second unsettled message is refused.
    const first = broker.send('orders', 'a');
    await expect(broker.send('orders', 'b')).rejects.toBeInstanceOf(BrokerFullError);
    await first;
    await broker.close();
  });
});

/**
 * A listener that answers like a NATS server requiring credentials and refuses the client's CONNECT
 * (`-ERR 'Authorization Violation'`, as nats-server does): the real client connects to whichever URL
 * the broker was handed, sends its CONNECT, and gives up after the server's second refusal, so the
 * broker's first use rejects quickly and nothing keeps retrying. `connects` holds each CONNECT line.
 */
async function refusingNats(): Promise<{ url: string; connects: string[]; close(): Promise<void> }> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      const line = data
        .toString()
        .split('\r\n')
        .find((l) => l.startsWith('CONNECT '));
      if (!line) return;
      connects.push(line);
      socket.end("-ERR 'Authorization Violation'\r\n");
    });
    socket.write(
      'INFO {"server_id":"refusing","version":"2.10.0","proto":1,"headers":true,"max_payload":1048576,"auth_required":true}\r\n',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `nats://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends one message: the JetStream broker connects on first use, and the refusing server makes it reject. */
async function firstUse(broker: MessageBroker): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const bounded = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('the broker contacted neither listener within 5 s')), 5_000);
  });
  try {
    return await Promise.race([
      broker.send('orders', 'a').then(
        () => 'sent',
        (error: unknown) => error,
      ),
      bounded,
    ]);
  } finally {
    clearTimeout(timer);
    // close() waits for the first connection, which never comes when the broker was handed an address
    // where nothing answers: bounded, so such a failure reports its assertion rather than a hang.
    await Promise.race([broker.close(), new Promise((r) => setTimeout(r, 1_000).unref())]);
  }
}

describe('the NATS URL the JetStream broker connects to', () => {
  const servers: Awaited<ReturnType<typeof refusingNats>>[] = [];
  async function listener() {
    const server = await refusingNats();
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('handle()’s broker option: its own url, over POLYCLOUD_NATS_URL', async () => {
    const [chosen, env] = [await listener(), await listener()];
    vi.stubEnv('POLYCLOUD_NATS_URL', env.url);
    const broker = chooseBroker(runtimeWith(), { kind: 'nats', url: chosen.url, name: 'own-name' }, 30_000);
    expect(String(await firstUse(broker))).toMatch(/Authorization Violation/);
    expect(chosen.connects.length).toBeGreaterThan(0);
    expect(JSON.parse(chosen.connects[0]!.slice('CONNECT '.length)).name).toBe('own-name');
    expect(env.connects).toEqual([]);
  });

  it('a NATS broker option without a url: POLYCLOUD_NATS_URL', async () => {
    const env = await listener();
    vi.stubEnv('POLYCLOUD_NATS_URL', env.url);
    const broker = chooseBroker(runtimeWith(), { kind: 'nats' }, 30_000);
    expect(String(await firstUse(broker))).toMatch(/Authorization Violation/);
    expect(env.connects.length).toBeGreaterThan(0);
  });

  it('providers.node.broker in the config: its url', async () => {
    const [chosen, env] = [await listener(), await listener()];
    vi.stubEnv('POLYCLOUD_NATS_URL', env.url);
    const broker = chooseBroker(runtimeWith({ kind: 'nats', url: chosen.url }), undefined, 30_000);
    expect(String(await firstUse(broker))).toMatch(/Authorization Violation/);
    expect(chosen.connects.length).toBeGreaterThan(0);
    expect(env.connects).toEqual([]);
  });

  it('POLYCLOUD_NATS_URL alone (other broker options given): that url', async () => {
    const env = await listener();
    vi.stubEnv('POLYCLOUD_NATS_URL', env.url);
    const broker = chooseBroker(runtimeWith(), { maxDeliveries: 2 }, 30_000);
    expect(String(await firstUse(broker))).toMatch(/Authorization Violation/);
    expect(env.connects.length).toBeGreaterThan(0);
    // The client names itself after the app by default (no `name` given).
    expect(JSON.parse(env.connects[0]!.slice('CONNECT '.length)).name).toBe('polycloud-broker-choice');
  });
});
