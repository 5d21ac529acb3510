import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineApp, http, Storage, type StorageEvent, StorageNotFoundError, storage } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle, type NodeServer } from '../../src/index.ts';

const seen: StorageEvent[] = [];
let failures = 0;
const app = defineApp({
  name: 'uploads',
  functions: {
    upload: http('PUT /files/*', async (req, ctx) => {
      const key = req.params['*']!;
      const info = await ctx.get(Storage).put('uploads', key, req.body, { contentType: 'text/plain' });
      return { status: 201, body: { key: info.key, size: info.size } };
    }),
    onUpload: storage(
      'uploads',
      async (event) => {
        if (event.key.startsWith('poison/')) {
          failures++;
          throw new Error('cannot process');
        }
        seen.push(event);
      },
      { events: ['created', 'deleted'] },
    ),
  },
});

let server: NodeServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polycloud-folder-'));
  server = await handle(app, {
    port: 0,
    schedules: false,
    handleSignals: false,
    storageDir: dir,
    broker: { maxDeliveries: 3, retryDelayMs: () => 1 },
    // Logical "uploads" lives in the folder "dev-uploads", as a cloud bucket name would be mapped.
    config: resolveConfig(
      { provider: 'node', providers: { node: { buckets: { uploads: 'dev-uploads' } } } },
      {},
    ),
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('node folder Storage: writes and deletes trigger the storage functions, as on the clouds', () => {
  it('an upload through an http function reaches the storage function with the exact key', async () => {
    const key = 'reports/2026 Q1+ü.txt';
    const res = await fetch(`${server.url}/files/${encodeURIComponent(key).replaceAll('%2F', '/')}`, {
      method: 'PUT',
      body: 'hello',
    });
    expect(res.status).toBe(201);
    await server.broker.drain();
    expect(seen.at(-1)).toMatchObject({
      type: 'created',
      bucket: 'dev-uploads',
      key,
      size: 5,
      contentType: 'text/plain',
      etag: '5d41402abc4b2a76b9719d911017c592', // MD5 of "hello", as S3 reports a single-part upload
    });
    expect(readdirSync(dir)).toEqual(['dev-uploads']);
  });

  it('a delete reaches it as "deleted"; deleting a missing key is quiet', async () => {
    const storageClient = server.runtime.resolve(Storage);
    await storageClient.put('uploads', 'tmp/x', 'x');
    await storageClient.delete('uploads', 'tmp/x');
    await storageClient.delete('uploads', 'tmp/x');
    await server.broker.drain();
    const forKey = seen.filter((e) => e.key === 'tmp/x').map((e) => e.type);
    expect(forKey).toEqual(['created', 'deleted']);
    await expect(storageClient.get('uploads', 'tmp/x')).rejects.toBeInstanceOf(StorageNotFoundError);
  });

  it('a signed PUT URL upload triggers the function too', async () => {
    const storageClient = server.runtime.resolve(Storage);
    const url = await storageClient.signedUrl('uploads', 'signed/a b.txt', { method: 'PUT', expiresIn: 60 });
    expect((await fetch(url, { method: 'PUT', body: 'via url' })).status).toBe(200);
    await server.broker.drain();
    expect(seen.at(-1)).toMatchObject({ type: 'created', key: 'signed/a b.txt', size: 7 });
    const refused = await fetch(url.replace('method=PUT', 'method=GET'));
    expect(refused.status).toBe(403);
  });

  it('a failing storage function is retried, then dead-lettered with its event (never dropped)', async () => {
    const storageClient = server.runtime.resolve(Storage);
    await storageClient.put('uploads', 'poison/1', 'x');
    await server.broker.drain();
    expect(failures).toBe(3);
    expect(server.broker.deadLetters.at(-1)).toMatchObject({
      function: 'onUpload',
      deliveries: 3,
      event: { type: 'created', key: 'poison/1' },
    });
  });

  it('an invalid key or a bucket mapped outside the root is refused before touching the disk', async () => {
    const storageClient = server.runtime.resolve(Storage);
    await expect(storageClient.put('uploads', 'a\nb', 'x')).rejects.toThrow(/control character/);
    await expect(storageClient.put('..', 'k', 'x')).rejects.toThrow(/not a folder name/);
  });
});
