/**
 * Queue/Topic over Pub/Sub REST with credentials, against doubles of the metadata server and the
 * publish endpoint (the emulator takes no token). Against the real emulator: test/e2e/pubsub-publisher.test.ts.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineApp, Queue, queue, Topic } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { handle } from '../../src/index.ts';

const app = defineApp({ name: 'pub', functions: { pubQueue: queue('pub-queue', () => {}) } });

async function listen(
  handler: (
    req: IncomingMessage,
    body: string,
  ) => { status: number; body: unknown; headers?: Record<string, string> },
) {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const out = handler(req, body);
      res.statusCode = out.status;
      for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('Pub/Sub publisher with credentials from the metadata server', () => {
  it('sends a cached access token (Metadata-Flavor: Google) and the REST publish body', async () => {
    let tokenRequests = 0;
    const metadata = await listen((req) => {
      tokenRequests++;
      expect(req.headers['metadata-flavor']).toBe('Google');
      expect(req.url).toBe('/computeMetadata/v1/instance/service-accounts/default/token');
      return {
        status: 200,
        body: { access_token: 'ya29.test', expires_in: 3599 },
        headers: { 'Metadata-Flavor': 'Google' },
      };
    });
    const published: { auth: string | undefined; url: string | undefined; body: unknown }[] = [];
    const pubsub = await listen((req, body) => {
      published.push({ auth: req.headers.authorization, url: req.url, body: JSON.parse(body) });
      return { status: 200, body: { messageIds: [`id-${published.length}`] } };
    });
    try {
      const { runtime } = handle(app, {
        project: 'proj',
        pubsubEndpoint: pubsub.url,
        metadataHost: new URL(metadata.url).host,
        idToken: 'metadata',
      });
      const topic = runtime.resolve(Topic);
      expect(await topic.publish('orders', { n: 1 }, { attributes: { a: 'b' }, orderingKey: 'k' })).toEqual({
        id: 'id-1',
      });
      expect(await runtime.resolve(Queue).send('jobs', new Uint8Array([0, 255]))).toEqual({ id: 'id-2' });
      expect(tokenRequests).toBe(1);
      expect(published).toEqual([
        {
          auth: 'Bearer ya29.test',
          url: '/v1/projects/proj/topics/orders:publish',
          body: {
            messages: [
              { data: Buffer.from('{"n":1}').toString('base64'), attributes: { a: 'b' }, orderingKey: 'k' },
            ],
          },
        },
        {
          auth: 'Bearer ya29.test',
          url: '/v1/projects/proj/topics/jobs:publish',
          body: { messages: [{ data: 'AP8=' }] },
        },
      ]);
      await expect(runtime.resolve(Queue).send('jobs', 'x', { delayMs: 1000 })).rejects.toThrow(
        /no delayed delivery/,
      );
    } finally {
      await metadata.close();
      await pubsub.close();
    }
  });

  it('without a project the error says which setting is missing', async () => {
    const { runtime } = handle(app, { pubsubEndpoint: 'http://127.0.0.1:1', idToken: 'none' });
    await expect(runtime.resolve(Topic).publish('t', 'x')).rejects.toThrow(
      /need a project: set providers.gcp.project/,
    );
  });
});
