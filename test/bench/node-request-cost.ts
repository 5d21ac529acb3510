/**
 * What one request costs the server's JavaScript, without sockets or a load generator: the request
 * listeners of a bare node:http server, the node runtime and Fastify 5 (handlers/node-servers.ts)
 * are handed IncomingMessage/ServerResponse pairs in-process, as Node's http parser hands them
 * (GET /items/42 with autocannon's four headers), and each response emits `close` as Node's does.
 * Every answer is checked equal first. Two figures per server:
 *
 * - CPU time per request (process.cpuUsage over batches of 2,000 requests, rounds interleaved; the
 *   minimum and the median): what the throughput bench's requests per CPU second measure, minus the
 *   kernel's and the parser's share, which are the same for all three.
 * - Bytes allocated per request (heap growth over 2,000 requests with a new space large enough that
 *   no collection runs; a round in which one ran is discarded): what the garbage collector pays later.
 *
 *   node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 --conditions=source \
 *     --import tsx test/bench/node-request-cost.ts [rounds]
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import type * as Servers from './handlers/node-servers.ts';
import { importProductionBundle } from './production-bundle.ts';

const rounds = Number(process.argv[2] ?? 20);
const BATCH = 2_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench:node-cost)');

const s = await importProductionBundle<typeof Servers>(
  new URL('./handlers/node-servers.ts', import.meta.url).pathname,
  ['fastify'],
);
const poly = await s.polycloud();
const fast = await s.fastify();
const servers: Record<string, Servers.Listener> = {
  'bare node:http': s.bare,
  'polycloud (node runtime)': poly.listener,
  'Fastify 5': fast.listener,
};

const socket = new Socket();
const RAW_HEADERS = [
  'Host',
  '127.0.0.1:3000',
  'User-Agent',
  'autocannon',
  'Accept',
  '*/*',
  'Connection',
  'keep-alive',
];

/** One request as Node's parser makes it; the response closes on the next microtask, as on a socket. */
function request(listener: Servers.Listener): ServerResponse {
  const req = new IncomingMessage(socket);
  req.method = 'GET';
  req.url = '/items/42';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.httpVersion = '1.1';
  req.rawHeaders = RAW_HEADERS;
  req.complete = true;
  req.push(null);
  const res = new ServerResponse(req);
  listener(req, res);
  return res;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Status and body of one answer, from what the response wrote. */
async function answer(listener: Servers.Listener): Promise<string> {
  const res = request(listener) as ServerResponse & { outputData?: { data: string | Buffer }[] };
  await settle();
  res.emit('close');
  const wire = (res.outputData ?? []).map((d) => String(d.data)).join('');
  return `${res.statusCode} ${wire.slice(wire.indexOf('\r\n\r\n') + 4)}`;
}

const expected = await answer(s.bare);
for (const [name, listener] of Object.entries(servers)) {
  const got = await answer(listener);
  if (got !== expected) throw new Error(`${name} answered ${got}, expected ${expected}`);
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
};
async function batch(listener: Servers.Listener): Promise<void> {
  for (let i = 0; i < BATCH; i++) {
    const res = request(listener);
    queueMicrotask(() => res.emit('close'));
  }
  await settle();
}

let collections = 0;
new PerformanceObserver((list) => {
  collections += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

const cpu = new Map<string, number[]>(Object.keys(servers).map((n) => [n, []]));
const bytes = new Map<string, number[]>(Object.keys(servers).map((n) => [n, []]));
for (const listener of Object.values(servers)) await batch(listener); // warm-up: JIT
// CPU first, without forced collections: a full collection's concurrent sweeping runs on helper
// threads afterwards, and process.cpuUsage counts every thread.
for (let round = 0; round < rounds; round++) {
  for (const [name, listener] of Object.entries(servers)) {
    const c0 = cpuMs();
    await batch(listener);
    cpu.get(name)!.push(((cpuMs() - c0) * 1000) / BATCH);
  }
}
for (let round = 0; round < rounds; round++) {
  for (const [name, listener] of Object.entries(servers)) {
    gc();
    await settle();
    const seen = collections;
    const heap = process.memoryUsage().heapUsed;
    await batch(listener);
    const grown = process.memoryUsage().heapUsed - heap;
    if (collections === seen) bytes.get(name)!.push(grown / BATCH);
  }
}
await poly.close();
await fast.close();

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => sorted(values)[values.length >> 1] ?? Number.NaN;
const bare = 'bare node:http';
console.log(
  `\nNode server cost per request, in-process (Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end), ${rounds} rounds of ${BATCH} requests`,
);
console.log(
  '| server | CPU µs/request (min) | (median) | vs bare (median) | bytes allocated/request | over bare | rounds without a GC |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const name of Object.keys(servers)) {
  const c = cpu.get(name)!;
  const b = bytes.get(name)!;
  console.log(
    `| ${name} | ${sorted(c)[0]!.toFixed(2)} | ${median(c).toFixed(2)} | ${(median(cpu.get(bare)!) / median(c)).toFixed(2)}× | ${Math.round(median(b))} | +${Math.round(median(b) - median(bytes.get(bare)!))} | ${b.length}/${rounds} |`,
  );
}
process.exit(0);
