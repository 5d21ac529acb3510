/**
 * Added cost of the gcp adapter over a hand-written functions-framework handler doing the same
 * work on the same request (target ≤ 2 µs). Both sides come from one bundle built with
 * `polycloud build`'s esbuild settings (handlers/gcp.ts), the framework kept external so its real
 * code runs, as on Cloud Functions:
 * - handler only: the Request the framework's middleware produced for a real HTTP request, handed
 *   to each handler with a fresh response, called as the framework calls it (what differs between
 *   the two is exactly the adapter);
 * - in the framework's wrapper: the same, through the framework's own per-request wrapper (a node
 *   domain and a nextTick), in which every promise costs more;
 * - whole request: both served by the framework's own server on 127.0.0.1 over a keep-alive
 *   connection (loopback noise is tens of µs: this shows the share, not the 2 µs).
 * Compare rows within a group: the difference in µs per call is the claim.
 */

import { Agent, request as httpRequest, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import functions, { type HttpFunction, type Request } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, bench, describe } from 'vitest';
import type * as Handlers from './handlers/gcp.ts';
import { importProductionBundle } from './production-bundle.ts';

// Long runs after a warm-up: sub-µs differences need many samples to rise above GC and scheduler noise.
const RUN = { time: 2_000, warmupTime: 500 };

const h = await importProductionBundle<typeof Handlers>(
  new URL('./handlers/gcp.ts', import.meta.url).pathname,
  ['@google-cloud/functions-framework'],
);

// The framework's per-request wrapper of an http function (not exported by the package).
const require = createRequire(import.meta.url);
const { wrapUserFunction } = require(
  join(dirname(require.resolve('@google-cloud/functions-framework')), 'function_wrappers.js'),
) as { wrapUserFunction: (fn: HttpFunction, type: 'http') => HttpFunction };

const captured: Record<string, Request> = {};
functions.http('benchCapture', (req, res) => {
  captured[req.method] = req;
  res.end();
});

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function post(port: number, method = 'POST'): Promise<string> {
  return new Promise((resolve, reject) => {
    const get = method === 'GET';
    const headers = get ? { 'x-cloud-trace-context': h.HEADERS['x-cloud-trace-context'] } : h.HEADERS;
    const req = httpRequest({ host: '127.0.0.1', port, path: h.PATH, method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () =>
        res.statusCode === 200 ? resolve(text) : reject(new Error(`${res.statusCode} ${text}`)),
      );
    });
    req.on('error', reject);
    req.end(get ? undefined : h.BODY);
  });
}

async function serve(name: string) {
  const server = getTestServer(name);
  // The in-process groups run first, for longer than the 5 s default: keep the agent's socket open.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

const servers = await Promise.all(['benchHandWritten', 'benchPolycloud', 'benchCapture'].map(serve));
const [handPort, polyPort, capturePort] = servers.map((s) => s.port) as [number, number, number];
await post(capturePort);
await post(capturePort, 'GET');
const framed = captured.POST!;
const framedGet = captured.GET!;
if (!framed?.rawBody || !framedGet || framedGet.rawBody)
  throw new Error('bench setup: the framework did not hand over its requests as expected');

afterAll(async () => {
  agent.destroy();
  await Promise.all(servers.map(({ server }) => new Promise((r) => server.close(r))));
});

/** A fresh response per call; `done` resolves when the handler ended it (no socket: 'finish' never fires). */
function respond(req = framed): { res: ServerResponse<Request>; done: Promise<void>; text: () => string } {
  const res = new ServerResponse<Request>(req);
  (res as unknown as { locals: object }).locals = {};
  let resolve!: () => void;
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  let sent: unknown;
  const end = res.end.bind(res);
  res.end = ((...args: unknown[]) => {
    sent = args[0];
    const out = (end as (...a: unknown[]) => ServerResponse<Request>)(...args);
    resolve();
    return out;
  }) as ServerResponse<Request>['end'];
  return { res, done, text: () => String(sent) };
}

const failed = (error: unknown) => {
  throw error;
};
/** As the framework calls an http function: the return value matters only if it is a promise. */
async function call(handler: HttpFunction, req = framed): Promise<void> {
  const { res, done } = respond(req);
  const ret = handler(req, res as never) as unknown;
  if (ret instanceof Promise) ret.catch(failed);
  await done;
}

const wrappedHand = wrapUserFunction(h.handWritten, 'http');
const wrappedPoly = wrapUserFunction(h.polycloud, 'http');

// Same answer from every side before anything is timed: a bench of two error pages proves nothing.
for (const port of [handPort, polyPort]) {
  const body = await post(port);
  if (body !== h.EXPECTED) throw new Error(`bench setup: ${port} answered ${body}`);
}
const sides: [HttpFunction, Request, string][] = [
  ...[h.handWritten, h.polycloud, h.noTrace, wrappedHand, wrappedPoly].map(
    (fn): [HttpFunction, Request, string] => [fn, framed, h.EXPECTED],
  ),
  [h.handWrittenGet, framedGet, h.GET_EXPECTED],
  [h.polycloudGet, framedGet, h.GET_EXPECTED],
];
for (const [handler, req, expected] of sides) {
  const { res, done, text } = respond(req);
  handler(req, res as never);
  await done;
  if (res.statusCode !== 200 || text() !== expected)
    throw new Error(`bench setup: in-process handler answered ${res.statusCode} ${text()}`);
}

describe('gcp http: handler only (the framework-parsed request)', () => {
  bench(
    'hand-written functions-framework handler',
    async () => {
      await call(h.handWritten);
    },
    RUN,
  );
  bench(
    'polycloud gcp adapter',
    async () => {
      await call(h.polycloud);
    },
    RUN,
  );
  bench(
    'polycloud gcp adapter, no trace project',
    async () => {
      await call(h.noTrace);
    },
    RUN,
  );
});

describe('gcp http: handler only, GET (no body)', () => {
  bench(
    'hand-written functions-framework handler',
    async () => {
      await call(h.handWrittenGet, framedGet);
    },
    RUN,
  );
  bench(
    'polycloud gcp adapter',
    async () => {
      await call(h.polycloudGet, framedGet);
    },
    RUN,
  );
});

describe("gcp http: handler in the framework's wrapper (domain + nextTick)", () => {
  bench(
    'hand-written functions-framework handler',
    async () => {
      await call(wrappedHand);
    },
    RUN,
  );
  bench(
    'polycloud gcp adapter',
    async () => {
      await call(wrappedPoly);
    },
    RUN,
  );
});

describe('gcp http: adapter share', () => {
  bench(
    'core runner.http only (equivalent HttpRequest)',
    async () => {
      await h.coreOnly();
    },
    RUN,
  );
  bench(
    'Express request → HttpRequest → Express response (translation only)',
    () => {
      const { res } = respond();
      h.translationOnly(framed, res as never);
    },
    RUN,
  );
});

describe('gcp http: whole request through the framework server on 127.0.0.1', () => {
  bench(
    'hand-written functions-framework handler',
    async () => {
      await post(handPort);
    },
    RUN,
  );
  bench(
    'polycloud gcp adapter',
    async () => {
      await post(polyPort);
    },
    RUN,
  );
});
