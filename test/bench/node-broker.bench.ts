/**
 * Messages through a node runtime queue: the in-memory broker (one process) next to NATS JetStream
 * with one and with three replicas (separate processes, competing consumers on one durable
 * consumer; a real nats-server on 127.0.0.1 with a file store). Each iteration: replica 0 sends 200
 * messages with Queue.send (each awaits the server's ack on JetStream) and the iteration ends when
 * all 200 were handled, on whichever replica. messages/s = 200 × the row's hz. Send → handler latency
 * (p50, p99) over every message of the run is printed after the rows.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { afterAll, bench, describe } from 'vitest';
import { NatsServer } from '../../adapters/node/test/support/nats-server.ts';

const N = 200;
const RUN = { time: 4_000, warmupTime: 500, warmupIterations: 2 };
const replicaScript = new URL('./handlers/node-broker-replica.ts', import.meta.url).pathname;

interface Cluster {
  name: string;
  replicas: ChildProcess[];
  handled: number;
  waiters: (() => void)[];
}

function startCluster(name: string, count: number, env: Record<string, string>): Promise<Cluster> {
  const cluster: Cluster = { name, replicas: [], handled: 0, waiters: [] };
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const child = fork(replicaScript, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    ready.push(
      new Promise((resolve) => {
        child.on('message', (msg: { ready?: boolean; handled?: number }) => {
          if (msg.ready) resolve();
          if (msg.handled) {
            cluster.handled += msg.handled;
            for (const wake of cluster.waiters.splice(0)) wake();
          }
        });
      }),
    );
    cluster.replicas.push(child);
  }
  return Promise.all(ready).then(() => cluster);
}

async function round(cluster: Cluster): Promise<void> {
  const target = cluster.handled + N;
  cluster.replicas[0]!.send({ send: N });
  while (cluster.handled < target) await new Promise<void>((resolve) => cluster.waiters.push(resolve));
}

async function latencies(cluster: Cluster): Promise<number[]> {
  const all = await Promise.all(
    cluster.replicas.map(
      (child) =>
        new Promise<number[]>((resolve) => {
          const on = (msg: { latencies?: number[] }) => {
            if (!msg.latencies) return;
            child.off('message', on);
            resolve(msg.latencies);
          };
          child.on('message', on);
          child.send({ report: true });
        }),
    ),
  );
  return all.flat().sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

const nats = await NatsServer.start();
const memory = await startCluster('in-memory broker, 1 process', 1, {});
const one = await startCluster('JetStream, 1 replica', 1, { BENCH_NATS_URL: nats.url, BENCH_PREFIX: 'B1' });
const three = await startCluster('JetStream, 3 replicas', 3, {
  BENCH_NATS_URL: nats.url,
  BENCH_PREFIX: 'B3',
});

afterAll(async () => {
  const rows: string[] = [];
  for (const cluster of [memory, one, three]) {
    const l = await latencies(cluster);
    rows.push(
      `${cluster.name.padEnd(30)} messages ${String(l.length).padStart(6)}  p50 ${pct(l, 50).toFixed(2)} ms  p99 ${pct(l, 99).toFixed(2)} ms`,
    );
    for (const child of cluster.replicas) child.kill('SIGKILL');
  }
  process.stdout.write(`\nsend → handler latency over the whole run\n${rows.join('\n')}\n`);
  await nats.dispose();
});

describe(`queue: ${N} messages sent and handled per iteration`, () => {
  bench('in-memory broker, 1 process', () => round(memory), RUN);
  bench('JetStream, 1 replica', () => round(one), RUN);
  bench('JetStream, 3 replicas', () => round(three), RUN);
});
