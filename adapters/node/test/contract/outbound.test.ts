import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineApp, type Message, Queue, queue, Storage, Topic, topic } from '@polycloud/core';
import type { ReadBackMessage } from '@polycloud/testing';
import { runOutboundContract } from '@polycloud/testing';
import { handle, type NodeServer } from '../../src/index.ts';

// The node runtime's Storage is a folder; signed URLs are served by the node server itself.
let server: NodeServer | undefined;
// The broker delivers to the app's functions: these record what arrived, for the read-back.
const inbox = { queue: [] as Message[], topic: [] as Message[] };
const probe = defineApp({
  name: 'outbound',
  functions: {
    onQueue: queue('probe-queue', (m) => {
      inbox.queue.push(m);
    }),
    onTopic: topic('probe-topic', (m) => {
      inbox.topic.push(m);
    }),
  },
});

async function readBack(box: Message[]): Promise<ReadBackMessage> {
  await server!.broker.drain();
  const m = box.shift();
  if (!m) throw new Error('nothing was delivered');
  return { body: m.body, attributes: { ...m.attributes }, ...(m.groupId ? { groupId: m.groupId } : {}) };
}
let dir: string | undefined;

runOutboundContract(
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'polycloud-folder-storage-'));
    server = await handle(probe, {
      port: 0,
      schedules: false,
      handleSignals: false,
      storageDir: dir,
    });
    return {
      name: 'node:folder storage + broker',
      backend: 'local folder + node server signed-URL route; in-memory broker',
      mode: 'live',
      storage: { client: server.runtime.resolve(Storage), bucket: 'probe' },
      queue: {
        client: server.runtime.resolve(Queue),
        name: 'probe-queue',
        receive: () => readBack(inbox.queue),
      },
      topic: {
        client: server.runtime.resolve(Topic),
        name: 'probe-topic',
        receive: () => readBack(inbox.topic),
      },
    };
  },
  'node:folder storage + broker',
  {
    close: async () => {
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  },
);
