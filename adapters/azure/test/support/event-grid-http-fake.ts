import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EventGridRequest {
  headers: IncomingHttpHeaders;
  url: string;
  body: unknown;
}

export interface EventGridHttpFake {
  /** The custom topic endpoint to publish to. */
  readonly endpoint: string;
  readonly key: string;
  readonly requests: EventGridRequest[];
  close(): Promise<void>;
}

/**
 * The publish side of an Event Grid custom topic: `POST /api/events` with the `aeg-sas-key` header,
 * answered as Event Grid documents it (200 with an empty body; 401 for a wrong key; 400 for a body
 * that is not a CloudEvents batch). A protocol fake on 127.0.0.1, not Event Grid: it records what the
 * SDK sent so the test can check it against the CloudEvents 1.0 JSON format.
 */
export async function startEventGridFake(): Promise<EventGridHttpFake> {
  const key = 'fake-topic-key';
  const requests: EventGridRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.startsWith('/api/events')) {
        res.writeHead(404).end();
        return;
      }
      if (req.headers['aeg-sas-key'] !== key) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"Unauthorized"}}');
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      if (
        !Array.isArray(body) ||
        !String(req.headers['content-type']).startsWith('application/cloudevents-batch+json')
      ) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"BadRequest"}}');
        return;
      }
      requests.push({ headers: req.headers, url: req.url, body });
      res.writeHead(200, { 'content-length': 0 }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/api/events`,
    key,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
