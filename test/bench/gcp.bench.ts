/**
 * Added cost of the gcp adapter over a hand-written functions-framework handler doing the same
 * work on the same request (target ≤ 2 µs):
 * - handler only: the Request the framework's middleware produced for a real HTTP request, handed
 *   to each handler with a fresh response (what differs between the two is exactly the adapter);
 * - whole request: both served by the framework's own server on 127.0.0.1 over a keep-alive
 *   connection (loopback noise is tens of µs: this shows the share, not the 2 µs).
 */

import { Agent, request as httpRequest, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import functions, { type HttpFunction, type Request } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { defineApp, HttpRequest, http } from '@polycloud/core';
import { afterAll, bench, describe } from 'vitest';
import { register } from '../../adapters/gcp/src/index.ts';

const BODY = Buffer.from('{"qty":2,"note":"bench"}');
const HEADERS = {
  'content-type': 'application/json',
  cookie: 'session=abc; theme=dark',
  'x-cloud-trace-context': '105445aa7843bc8bf206b12000100000/1;o=1',
};
const EXPECTED = '{"id":"42","qty":2,"verbose":true,"session":"abc"}';

// Both read the route param, the query, a cookie and the JSON body, and answer the same JSON.
const handWritten: HttpFunction = (req, res) => {
  const id = req.path.split('/')[2];
  const body = JSON.parse(req.rawBody!.toString('utf8')) as { qty: number };
  const session = /(?:^|;\s*)session=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ id, qty: body.qty, verbose: req.query.verbose === '1', session }));
};
functions.http('benchHandWritten', handWritten);

const app = defineApp({
  name: 'bench',
  functions: {
    benchPolycloud: http('POST /items/:id', (req: HttpRequest) => {
      const body = req.json<{ qty: number }>();
      return {
        id: req.params.id,
        qty: body.qty,
        verbose: req.query.get('verbose') === '1',
        session: req.cookies.session,
      };
    }),
  },
});
// A project makes the trace header count: the adapter parses it on every request.
const { handlers, runtime } = register(app, { project: 'bench-project' });
const compiled = runtime.function('benchPolycloud');
const app2 = defineApp({ name: 'bench2', functions: { benchNoTrace: app.functions.get('benchPolycloud')! } });
const noTrace = register(app2, {}).handlers.benchNoTrace!;

let captured: Request | undefined;
functions.http('benchCapture', (req, res) => {
  captured = req;
  res.end();
});

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function post(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/items/42?verbose=1', method: 'POST', headers: HEADERS, agent },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          res.statusCode === 200 ? resolve(text) : reject(new Error(`${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(BODY);
  });
}

async function serve(name: string) {
  const server = getTestServer(name);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

const servers = await Promise.all(['benchHandWritten', 'benchPolycloud', 'benchCapture'].map(serve));
const [handPort, polyPort, capturePort] = servers.map((s) => s.port) as [number, number, number];
// Same answer from both before anything is timed: a bench of two error pages proves nothing.
for (const port of [handPort, polyPort]) {
  const body = await post(port);
  if (body !== EXPECTED) throw new Error(`bench setup: ${port} answered ${body}`);
}
await post(capturePort);
if (!captured) throw new Error('bench setup: the framework did not hand over its request');
const framed = captured;

afterAll(async () => {
  agent.destroy();
  await Promise.all(servers.map(({ server }) => new Promise((r) => server.close(r))));
});

/** A fresh response per call; resolves when the handler ended it (no socket: 'finish' never fires). */
function respond(): { res: ServerResponse<Request>; done: Promise<void> } {
  const res = new ServerResponse<Request>(framed);
  let resolve!: () => void;
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  const end = res.end.bind(res);
  res.end = ((...args: unknown[]) => {
    const out = (end as (...a: unknown[]) => ServerResponse<Request>)(...args);
    resolve();
    return out;
  }) as ServerResponse<Request>['end'];
  return { res, done };
}

describe('gcp http: handler only (the framework-parsed request)', () => {
  bench('hand-written functions-framework handler', async () => {
    const { res, done } = respond();
    handWritten(framed, res as never);
    await done;
  });
  bench('polycloud gcp adapter', async () => {
    const { res, done } = respond();
    await handlers.benchPolycloud!(framed, res as never);
    await done;
  });
  bench('polycloud gcp adapter, no trace project', async () => {
    const { res, done } = respond();
    await noTrace(framed, res as never);
    await done;
  });
  // The neutral runtime alone on an equivalent request: what the adapter's translation adds on top.
  bench('polycloud core alone (runtime.handleHttp, no translation)', async () => {
    const request = new HttpRequest({
      method: 'POST',
      rawPath: '/items/42',
      query: 'verbose=1',
      headers: HEADERS,
      body: framed.rawBody!,
    });
    await runtime.handleHttp(request, { requestId: 'bench' }, compiled);
  });
});

describe('gcp http: whole request through the framework server on 127.0.0.1', () => {
  bench('hand-written functions-framework handler', async () => {
    await post(handPort);
  });
  bench('polycloud gcp adapter', async () => {
    await post(polyPort);
  });
});
