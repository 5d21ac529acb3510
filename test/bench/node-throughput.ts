/**
 * The node runtime's throughput against a bare node:http server and Fastify 5 on the same route
 * (GET /items/:id answering JSON), with autocannon: each server in its own process on 127.0.0.1,
 * short bounded runs, the servers taking turns round after round so that load on the machine falls
 * on all of them alike; the figure is the median over the rounds. The polycloud server is the built
 * `dist/node` output (`polycloud build --provider node`), the same one the cold-start bench starts.
 *
 * Targets (issue 12): ≥ 0.8× bare node:http, ≥ Fastify 5.
 *
 *   node --import tsx test/bench/node-throughput.ts [rounds] [seconds]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { buildColdApp } from '../cold-start/build-apps.ts';

/** The slice of autocannon's programmatic API used here (it ships no types). */
interface CannonResult {
  requests: { average: number };
  errors: number;
  non2xx: number;
}
type Cannon = (
  options: { url: string; connections: number; duration: number },
  done: (error: Error | null, result: CannonResult) => void,
) => unknown;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const [rounds = 3, seconds = 5] = process.argv.slice(2).map(Number);
const CONNECTIONS = 50;

const servers: Record<string, string> = {
  'bare node:http': join(import.meta.dirname, '../cold-start/handlers/node-raw.mjs'),
  'polycloud dist/node': join(await buildColdApp('plain', 'node'), 'server.mjs'),
  'Fastify 5': join(import.meta.dirname, 'servers/fastify.mjs'),
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function start(file: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Listening once the server has printed its line.
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid!, 'SIGTERM');
  await exited;
}

/** CPU seconds a process has used (user + system), from /proc: the server's own cost, whatever the load. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (USER_HZ, 100 on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function run(url: string, duration: number): Promise<CannonResult> {
  return new Promise((resolve, reject) => {
    autocannon({ url: `${url}/items/42`, connections: CONNECTIONS, duration }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

// Same answer first.
const answers = new Map<string, string>();
for (const [name, file] of Object.entries(servers)) {
  const { child, url } = await start(file);
  try {
    const res = await fetch(`${url}/items/42`);
    answers.set(name, JSON.stringify([res.status, res.headers.get('content-type'), await res.json()]));
  } finally {
    await stop(child);
  }
}
const expected = answers.get('bare node:http')!;
for (const [name, got] of answers) {
  // Fastify adds "; charset=utf-8" to the content type; status and body must match.
  const norm = (a: string) => a.replace('; charset=utf-8', '');
  if (norm(got) !== norm(expected)) throw new Error(`${name} answered ${got}, expected ${expected}`);
}

const rps = new Map<string, number[]>(Object.keys(servers).map((n) => [n, []]));
const errors = new Map<string, number>();
// Requests served per second of the server's own CPU time: on a machine shared with other work,
// req/s also measures who got the cores; this measures what each request cost the server.
const perCpuSecond = new Map<string, number[]>(Object.keys(servers).map((n) => [n, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, file] of Object.entries(servers)) {
    const { child, url } = await start(file);
    try {
      await run(url, 1); // warm-up: JIT, connection setup
      const cpuBefore = cpuSeconds(child.pid!);
      const result = await run(url, seconds);
      const cpu = cpuSeconds(child.pid!) - cpuBefore;
      rps.get(name)!.push(result.requests.average);
      perCpuSecond.get(name)!.push((result.requests.average * seconds) / cpu);
      errors.set(name, (errors.get(name) ?? 0) + result.errors + result.non2xx);
    } finally {
      await stop(child);
    }
    process.stderr.write(`node throughput: round ${round + 1}/${rounds} ${name}\n`);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const bare = median(rps.get('bare node:http')!);
const fastify = median(rps.get('Fastify 5')!);
const bareCpu = median(perCpuSecond.get('bare node:http')!);
const fastifyCpu = median(perCpuSecond.get('Fastify 5')!);
console.log(
  `\nNode runtime throughput: autocannon ${CONNECTIONS} connections, ${seconds} s per run after 1 s warm-up, median of ${rounds} rounds (Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end)`,
);
console.log(
  'Requests per server CPU second: what a request costs the server, whatever else runs on the machine.',
);
console.log(
  '| server | req/s | vs bare | vs Fastify | requests per server CPU second | vs bare | vs Fastify | errors |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [name, values] of rps) {
  const m = median(values);
  const c = median(perCpuSecond.get(name)!);
  console.log(
    `| ${name} | ${Math.round(m)} (${values.map((v) => Math.round(v)).join(', ')}) | ${(m / bare).toFixed(2)}× | ${(m / fastify).toFixed(2)}× | ${Math.round(c)} | ${(c / bareCpu).toFixed(2)}× | ${(c / fastifyCpu).toFixed(2)}× | ${errors.get(name) ?? 0} |`,
  );
}
