import '../support/host/functions-core.ts';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import { ConfigError, defineApp, type Message, Queue, queue, Topic } from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle } from '../../src/index.ts';
import { invokeHost, typed } from '../support/host/host.ts';

// Queue on Azure against azurite (the Storage emulator Microsoft ships): polycloud sends, the SDK
// receives, and the received message goes through the library's storage queue trigger conversion
// (the host decodes base64 itself, as host.json messageEncoding "base64", its default, says).

const REPO = resolve(import.meta.dirname, '../../../..');
const AZURITE = resolve(REPO, 'node_modules/azurite/dist/src/queue/main.js');
const ACCOUNT = 'devstoreaccount1';
// The well-known development storage key, public in Microsoft's azurite documentation.
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

let azurite: ChildProcess;
let output = '';
let connection: string;
let service: QueueServiceClient;

const received: Message[] = [];
const app = defineApp({
  name: 'svc',
  functions: {
    work: queue('orders', (message) => {
      received.push(message);
    }),
  },
});

// App settings, filled in once azurite listens (the Queue reads them on first send).
const hostEnv: NodeJS.ProcessEnv = {};
// Registered with the (intercepted) host once: the trigger path below runs through it.
const hosted = handle(app, { config: { app: 'svc', provider: 'azure', providers: {} }, env: hostEnv });

/** A fresh cold start of the app (no host registration), for the sending side. */
function registration(env: NodeJS.ProcessEnv = hostEnv) {
  return handle(app, { config: { app: 'svc', provider: 'azure', providers: {} }, env, register: false });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The next message of a queue, deleted (bounded: ten polls 100 ms apart). */
async function receiveOne(name: string) {
  const client = service.getQueueClient(name);
  for (let i = 0; i < 10; i++) {
    const { receivedMessageItems } = await client.receiveMessages({ numberOfMessages: 1 });
    const m = receivedMessageItems[0];
    if (m) {
      await client.deleteMessage(m.messageId, m.popReceipt);
      return m;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no message in ${name}`);
}

/** A received message through the storage queue trigger as the host hands it over. */
async function trigger(
  m: Awaited<ReturnType<typeof receiveOne>>,
  data: { string: string } | { bytes: Uint8Array },
) {
  received.length = 0;
  const out = await invokeHost('work', {
    data,
    triggerMetadata: {
      Id: typed(m.messageId),
      DequeueCount: { json: String(m.dequeueCount) },
      InsertionTime: typed(m.insertedOn.toISOString()),
      PopReceipt: typed(m.popReceipt),
    },
  });
  expect(out.ok, out.error).toBe(true);
  return received[0]!;
}

beforeAll(async () => {
  const port = await freePort();
  azurite = spawn(
    process.execPath,
    [
      AZURITE,
      '--queueHost',
      '127.0.0.1',
      '--queuePort',
      String(port),
      '--inMemoryPersistence',
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--silent',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ready = new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`azurite did not listen within 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/successfully listens on/.test(output)) {
        clearTimeout(timer);
        done();
      }
    };
    azurite.stdout!.on('data', onData);
    azurite.stderr!.on('data', onData);
    azurite.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`azurite exited with ${code}:\n${output}`));
    });
  });
  await ready;
  connection =
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
    `QueueEndpoint=http://127.0.0.1:${port}/${ACCOUNT};`;
  hostEnv.AzureWebJobsStorage = connection;
  service = QueueServiceClient.fromConnectionString(connection);
  await service.createQueue('orders');
  await service.createQueue('later');
}, 30_000);

afterAll(async () => {
  if (azurite && azurite.exitCode === null) {
    const exited = once(azurite, 'exit');
    process.kill(azurite.pid!, 'SIGTERM');
    const timer = setTimeout(() => azurite.exitCode === null && process.kill(azurite.pid!, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
});

describe('Queue on Azure (Storage Queues)', () => {
  it('sends text as base64; the trigger hands the handler the same text', async () => {
    const { id } = await hosted.runtime.resolve(Queue).send('orders', 'hello wörld');
    const m = await receiveOne('orders');
    expect(m.messageId).toBe(id);
    expect(m.messageText).toBe(Buffer.from('hello wörld').toString('base64'));
    const message = await trigger(m, { string: Buffer.from(m.messageText, 'base64').toString('utf8') });
    expect(message.id).toBe(id);
    expect(message.text()).toBe('hello wörld');
    expect(message.source).toBe('orders');
    expect(message.deliveryCount).toBe(1);
    expect(message.attributes).toEqual({});
    expect(message.enqueuedAt?.toISOString()).toBe(m.insertedOn.toISOString());
  });

  it('sends a JSON value as its JSON text', async () => {
    await registration()
      .runtime.resolve(Queue)
      .send('orders', { n: 1, tags: ['a'] });
    const m = await receiveOne('orders');
    expect(Buffer.from(m.messageText, 'base64').toString('utf8')).toBe('{"n":1,"tags":["a"]}');
    // @azure/functions parses a JSON string body; the adapter serialises it back (message-body.ts).
    const message = await trigger(m, { string: '{"n":1,"tags":["a"]}' });
    expect(message.json()).toEqual({ n: 1, tags: ['a'] });
  });

  it('sends bytes as they are: base64 on the wire, the exact bytes after the host decodes it', async () => {
    const bytes = new Uint8Array([0, 1, 0xff, 0xfe, 0xed, 0xa0, 0x80, 10]);
    await registration().runtime.resolve(Queue).send('orders', bytes);
    const m = await receiveOne('orders');
    const decoded = new Uint8Array(Buffer.from(m.messageText, 'base64'));
    expect(decoded).toEqual(bytes);
    const message = await trigger(m, { bytes: decoded });
    // @azure/functions hands bytes over as a Buffer: compare the bytes, not the class.
    expect(new Uint8Array(message.body)).toEqual(bytes);
  });

  it('delays with the initial visibility timeout (delayMs 1500 → 2 s)', async () => {
    const q = registration().runtime.resolve(Queue);
    const { id } = await q.send('later', 'not yet', { delayMs: 1_500 });
    // Invisible at once, yet counted: the queue holds it hidden.
    const peek = await service.getQueueClient('later').peekMessages({ numberOfMessages: 32 });
    expect(peek.peekedMessageItems.map((p) => p.messageId)).not.toContain(id);
    const props = await service.getQueueClient('later').getProperties();
    expect(props.approximateMessagesCount).toBe(1);
  });

  it('refuses what Storage Queues cannot carry, before any request', async () => {
    const q = registration().runtime.resolve(Queue);
    await expect(q.send('orders', 'x', { attributes: { tenant: 'acme' } })).rejects.toThrow(
      'Queue.send("orders"): options.attributes cannot be carried by Azure Storage Queues',
    );
    await expect(q.send('orders', 'x', { groupId: 'g' })).rejects.toThrow(
      'Queue.send("orders"): options.groupId needs ordered delivery',
    );
    await expect(q.send('orders', 'x', { delayMs: 8 * 24 * 3600 * 1000 })).rejects.toThrow(RangeError);
    await expect(q.send('Orders', 'x')).rejects.toThrow('Queue.send("Orders"): Storage queue names are 3-63');
    await expect(q.send('orders', 'x'.repeat(49_153))).rejects.toThrow(
      'body is 65540 characters as base64; Storage Queues take at most 65536',
    );
    await expect(q.send('orders', undefined)).rejects.toThrow('body must be text, bytes or a JSON value');
    const peek = await service.getQueueClient('orders').peekMessages({ numberOfMessages: 32 });
    expect(peek.peekedMessageItems).toEqual([]);
  });

  it('a missing queue fails naming the call and the Storage error code', async () => {
    await expect(registration().runtime.resolve(Queue).send('nope', 'x')).rejects.toThrow(
      'Queue.send("nope"): sendMessage failed: QueueNotFound: The specified queue does not exist. (Storage Queues must be created before sending)',
    );
  });

  it('uses the app setting named by providers.azure.connections.storage; a missing one is a ConfigError', async () => {
    const reg = handle(app, {
      config: {
        app: 'svc',
        provider: 'azure',
        providers: { azure: { connections: { storage: 'JobsQueues' } } },
      },
      env: { JobsQueues: connection },
      register: false,
    });
    const { id } = await reg.runtime.resolve(Queue).send('orders', 'via setting');
    expect((await receiveOne('orders')).messageId).toBe(id);
    const bare = registration({}).runtime.resolve(Queue);
    await expect(bare.send('orders', 'x')).rejects.toThrow(ConfigError);
    await expect(bare.send('orders', 'x')).rejects.toThrow(
      'app setting AzureWebJobsStorage (providers.azure.connections.storage) holds no storage connection string',
    );
  });
});

describe('Topic on Azure', () => {
  it('publishes to Service Bus by default and names the missing connection setting', async () => {
    const t = registration({}).runtime.resolve(Topic);
    await expect(t.publish('events', 'x')).rejects.toThrow(ConfigError);
    await expect(t.publish('events', 'x')).rejects.toThrow(
      'app setting ServiceBusConnection holds no Service Bus connection string',
    );
  });
});
