/**
 * One Azure Functions app process, run as `node --import tsx azure-host-process.ts <dist> <port>`:
 * the built dist/azure/index.js is loaded the way the Node worker loads it (the recorded
 * @azure/functions-core stands in for the worker, see adapters/azure/test/host), and an HTTP
 * server plays the host: it tries the registered http triggers' route templates and methods (after
 * host.json's routePrefix) in the host's order, function names sorted, the first match winning,
 * answers 404 itself when none matches,
 * and runs the matched function through @azure/functions' own invocation model. Storage queue
 * deliveries come in on `POST /__host/queues/<name>`; the host's retry policy for them
 * (maxDequeueCount 5, then the `<name>-poison` queue) is played here too. For triggers whose
 * messages a test carries itself (a Storage queue, a Service Bus topic, a blob), `GET
 * /__host/functions` lists each function's bindings and `POST /__host/invoke/<name>` runs one
 * invocation from the host's RPC input (`{ data, triggerMetadata }`), answering how it ended and
 * what the function logged.
 */
import '../../../adapters/azure/test/support/host/functions-core.ts';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { worker } from '../../../adapters/azure/test/support/host/functions-core.ts';
import {
  type HostInvocation,
  hostHttpResponse,
  invokeHost,
  rpcHttp,
  typed,
} from '../../../adapters/azure/test/support/host/host.ts';
import type { RpcTypedData } from '../../../adapters/azure/test/support/host/rpc.ts';

const [distDir, portArg] = process.argv.slice(2) as [string, string];
await import(pathToFileURL(join(distDir, 'index.js')).href);
const hostJson = JSON.parse(readFileSync(join(distDir, 'host.json'), 'utf8'));
const prefix: string = hostJson.extensions?.http?.routePrefix ?? 'api';
const MAX_DEQUEUE = hostJson.extensions?.queues?.maxDequeueCount ?? 5;

interface Trigger {
  name: string;
  template: string;
  methods: string[];
  regex: RegExp;
}

const triggers: Trigger[] = [];
const queueTriggers = new Map<string, string>();
for (const [name, fn] of worker.functions) {
  for (const binding of Object.values(fn.metadata.bindings) as Record<string, any>[]) {
    if (binding.type === 'httpTrigger') {
      const template: string = binding.route ?? name;
      const segs = template === '' ? [] : template.split('/');
      const source = segs
        .map((s) => (s.startsWith('{*') ? '(?:/.*)?' : s.startsWith('{') ? '/[^/]+' : `/${escapeRegExp(s)}`))
        .join('');
      triggers.push({
        name,
        template,
        methods: (binding.methods ?? ['GET', 'POST']).map((m: string) => m.toUpperCase()),
        regex: new RegExp(`^${source}/?$`, 'i'),
      });
    }
    if (binding.type === 'queueTrigger') queueTriggers.set(binding.queueName, name);
  }
}
// The host's order, which is not route specificity: FunctionMetadataManager hands the functions
// over sorted by name (OrdinalIgnoreCase), WebScriptHostHttpRoutesManager maps one route per http
// function in that order, and WebJobsRouteBuilder builds a RouteCollection from them as they are,
// which takes the first route whose template and httpMethod constraint match
// (Azure/azure-functions-host src/WebJobs.Script/Host/FunctionMetadataManager.cs,
// src/WebJobs.Script.WebHost/WebScriptHostHttpRoutesManager.cs; Azure/azure-webjobs-sdk-extensions
// src/WebJobs.Extensions.Http/Routing/WebJobsRouteBuilder.cs).
const ordinalIgnoreCase = (a: string, b: string) => {
  const [x, y] = [a.toUpperCase(), b.toUpperCase()];
  return x < y ? -1 : x > y ? 1 : 0;
};
triggers.sort((a, b) => ordinalIgnoreCase(a.name, b.name));

const poison = new Map<string, string[]>();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    const body = new Uint8Array(Buffer.concat(chunks));
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    try {
      if (rawPath.startsWith('/__host/')) return await control(rawPath, req.method ?? 'GET', body, res);
      const base = prefix ? `/${prefix}` : '';
      const path =
        rawPath.startsWith(`${base}/`) || rawPath === base ? rawPath.slice(base.length) || '/' : undefined;
      const method = (req.method ?? 'GET').toUpperCase();
      const trigger =
        path === undefined
          ? undefined
          : triggers.find((t) => t.methods.includes(method) && t.regex.test(path === '/' ? '' : path));
      if (!trigger) {
        res.statusCode = 404;
        return res.end();
      }
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const outcome = await invokeHost(trigger.name, {
        data: rpcHttp(
          {
            method,
            path: path!,
            query: q === -1 ? undefined : url.slice(q + 1),
            headers,
            body,
            routePrefix: prefix,
            host: req.headers.host,
          },
          trigger.template,
        ),
      });
      // The host writes what a function logged to its own log stream.
      for (const l of outcome.logs) process.stdout.write(`${l.message}\n`);
      if (!outcome.ok) {
        // A failed invocation: the host answers 500 with no body.
        res.statusCode = 500;
        return res.end();
      }
      const out = hostHttpResponse(outcome.response);
      res.statusCode = out.status;
      for (const [k, v] of Object.entries(out.headers)) res.setHeader(k, v);
      if (out.cookies.length) res.setHeader('set-cookie', out.cookies);
      // Kestrel writes no body for HEAD.
      res.end(method === 'HEAD' || out.body.length === 0 ? undefined : out.body);
    } catch (error) {
      res.statusCode = 599;
      res.end(`host failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  });
});

/** A Storage queue message delivered until it succeeds or reaches maxDequeueCount, then poisoned. */
async function control(
  path: string,
  method: string,
  body: Uint8Array,
  res: import('node:http').ServerResponse,
) {
  const [, , area, name = ''] = path.split('/');
  res.setHeader('content-type', 'application/json');
  if (area === 'functions' && method === 'GET')
    return res.end(
      JSON.stringify(
        [...worker.functions].map(([fn, { metadata }]) => ({ name: fn, bindings: metadata.bindings })),
      ),
    );
  if (area === 'invoke' && method === 'POST') {
    const invocation = JSON.parse(Buffer.from(body).toString('utf8')) as HostInvocation;
    return res.end(JSON.stringify(await invokeHost(decodeURIComponent(name), revive(invocation))));
  }
  if (area === 'poison' && method === 'GET')
    return res.end(JSON.stringify(poison.get(decodeURIComponent(name)) ?? []));
  const fn = queueTriggers.get(decodeURIComponent(name));
  if (area !== 'queues' || method !== 'POST' || !fn) {
    res.statusCode = 404;
    return res.end('{}');
  }
  const text = Buffer.from(body).toString('utf8');
  const id = `${Date.now()}-${Math.random().toString(16).slice(2)}`;
  for (let dequeue = 1; dequeue <= MAX_DEQUEUE; dequeue++) {
    const outcome = await invokeHost(fn, {
      data: typed(text),
      triggerMetadata: {
        Id: typed(id),
        DequeueCount: { json: String(dequeue) },
        QueueTrigger: typed(text),
        InsertionTime: typed(new Date().toISOString()),
      },
    });
    if (outcome.ok) return res.end(JSON.stringify({ deliveries: dequeue, poisoned: false }));
  }
  const poisonQueue = `${decodeURIComponent(name)}-poison`;
  poison.set(poisonQueue, [...(poison.get(poisonQueue) ?? []), text]);
  return res.end(JSON.stringify({ deliveries: MAX_DEQUEUE, poisoned: true }));
}

/** Bytes travel as base64 in the control request's JSON (`{ bytes: "<base64>" }`). */
function revive(invocation: HostInvocation): HostInvocation {
  const bytes = (d: RpcTypedData): RpcTypedData =>
    typeof d.bytes === 'string' ? { bytes: new Uint8Array(Buffer.from(d.bytes, 'base64')) } : d;
  return {
    data: bytes(invocation.data),
    triggerMetadata: Object.fromEntries(
      Object.entries(invocation.triggerMetadata ?? {}).map(([k, v]) => [k, bytes(v)]),
    ),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

server.listen(Number(portArg), '127.0.0.1', () => {
  process.stdout.write(`azure-host listening ${portArg} (${triggers.length} http triggers)\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
