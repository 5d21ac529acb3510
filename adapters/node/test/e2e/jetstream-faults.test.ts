import { join } from 'node:path';
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCommand } from '../../../../packages/cli/src/build-command.ts';
import { ChildServer } from '../support/child-server.ts';
import { freePort, NatsServer } from '../support/nats-server.ts';

/**
 * Three replicas of the built server on one nats-server: 500 jobs (every 10th fails twice, every
 * 50th always fails) and 4 ordered groups of 10 steps; one replica is killed with SIGKILL mid-batch
 * and nats-server is restarted on the same store mid-run. Afterwards every job was handled
 * successfully or sits in the dead-letter stream, the jobs stream is empty (so nothing was
 * acknowledged without a success or a dead letter), groups ran in order, and each schedule tick ran once.
 */
const fixture = join(import.meta.dirname, '../fixtures/fault-app');
const JOBS = 500;
const GROUPS = ['g-a', 'g-b', 'g-c', 'g-d'];
const STEPS = 10;

let nats: NatsServer | undefined;
let nc: NatsConnection | undefined;
const replicas: (ChildServer | undefined)[] = [];
const retired: ChildServer[] = [];

afterAll(async () => {
  for (const r of [...replicas, ...retired]) r?.kill('SIGKILL');
  await nc?.close();
  await nats?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`replica on ${port} not healthy in 15 s`);
}

async function deadLetters(
  jsm: JetStreamManager,
): Promise<Map<number, { deliveries: number; error: string }>> {
  const out = new Map<number, { deliveries: number; error: string }>();
  const info = await jsm.streams.info('PC_DLQ').catch(() => undefined);
  if (!info || info.state.messages === 0) return out;
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const m = await jsm.streams.getMessage('PC_DLQ', { seq }).catch(() => null);
    if (!m) continue;
    const job = JSON.parse(new TextDecoder().decode(m.data)) as { n: number };
    out.set(job.n, {
      deliveries: Number(m.header.get('Pc-Dead-Deliveries')),
      error: m.header.get('Pc-Dead-Error'),
    });
  }
  return out;
}

describe('JetStream across three replicas of the built server, with faults', () => {
  it('loses nothing through a kill -9 and a nats-server restart; groups stay in order; ticks run once', async () => {
    nats = await NatsServer.start();
    await buildCommand(fixture, 'node', () => undefined);
    const serverFile = join(fixture, 'dist/node/server.mjs');
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    const startReplica = (i: number) => {
      replicas[i] = new ChildServer(
        serverFile,
        { PORT: String(ports[i]), HOST: '127.0.0.1', POLYCLOUD_NATS_URL: nats!.url },
        [],
      );
      return waitHealthy(ports[i]!);
    };
    await Promise.all([0, 1, 2].map(startReplica));
    let allUpSince = Date.now();

    // Sends through the app's own http function (Queue.send inside), retrying on another replica
    // when one is down or the send was not stored (the app answers 500 then, never 202).
    let turn = 0;
    let refusedSends = 0;
    const post = async (path: string, body: unknown) => {
      for (let attempt = 0; attempt < 400; attempt++) {
        const port = ports[turn++ % 3]!;
        const res = await fetch(`http://127.0.0.1:${port}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).catch(() => undefined);
        if (res?.status === 202) return;
        refusedSends++;
        await sleep(50);
      }
      throw new Error(`${path} not accepted`);
    };

    let accepted = 0;
    const faults: Promise<void>[] = [];
    const jobs = Array.from({ length: JOBS }, (_, n) => ({
      n,
      failTimes: n % 10 === 3 ? 2 : 0,
      always: n % 50 === 7,
    }));
    const steps = GROUPS.flatMap((group) =>
      Array.from({ length: STEPS }, (_, i) => ({ group, seq: i + 1, failFirst: i % 4 === 1 })),
    );
    const sendJobs = async (worker: number) => {
      for (let i = worker; i < jobs.length; i += 8) {
        await post('/jobs', jobs[i]);
        accepted++;
        if (accepted === 150) {
          // Mid-batch: SIGKILL replica 1, bring it back a second later.
          replicas[1]!.kill('SIGKILL');
          retired.push(replicas[1]!);
          faults.push(sleep(1000).then(() => startReplica(1)));
        }
        if (accepted === 300) faults.push(nats!.restart());
      }
    };
    const sendSteps = async () => {
      // One group at a time in order per group; groups interleaved.
      for (let i = 0; i < STEPS; i++)
        for (const g of GROUPS)
          await post(
            '/steps',
            steps.find((s) => s.group === g && s.seq === i + 1),
          );
    };
    await Promise.all([...Array.from({ length: 8 }, (_, w) => sendJobs(w)), sendSteps()]);
    await Promise.all(faults);
    allUpSince = Date.now();

    nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    const lines = () => [...replicas, ...retired].flatMap((r) => r?.lines ?? []);
    const okJobs = () =>
      new Set(
        lines()
          .filter((l) => typeof l.ok === 'number')
          .map((l) => l.ok as number),
      );
    let dead = new Map<number, { deliveries: number; error: string }>();
    const deadline = Date.now() + 45_000;
    for (;;) {
      dead = await deadLetters(jsm);
      const ok = okJobs();
      const stepsDone = new Set(
        lines()
          .filter((l) => typeof l.step === 'string')
          .map((l) => `${l.step}/${l.seq}`),
      );
      if (jobs.every((j) => ok.has(j.n) || dead.has(j.n)) && stepsDone.size === steps.length) break;
      if (Date.now() > deadline) break;
      await sleep(250);
    }
    // A tick while all three replicas run: wait for the next minute boundary if none happened yet.
    const ticksSince = (t: number) =>
      lines().filter((l) => typeof l.tick === 'string' && Date.parse(l.tick as string) >= t);
    if (ticksSince(allUpSince).length === 0) {
      const next = Math.ceil(Date.now() / 60_000) * 60_000;
      await sleep(next - Date.now() + 2500);
    }

    const ok = okJobs();
    const lost = jobs.filter((j) => !ok.has(j.n) && !dead.has(j.n)).map((j) => j.n);
    const failedAttempts = lines().filter((l) => typeof l.failed === 'number').length;
    const handledLines = lines().filter((l) => typeof l.ok === 'number').length;
    const jobsStream = await jsm.streams.info('PC_Q_jobs');
    const ticks = lines().filter((l) => typeof l.tick === 'string') as { tick: string; pid: number }[];
    const perTick = new Map<string, number[]>();
    for (const t of ticks) perTick.set(t.tick, [...(perTick.get(t.tick) ?? []), t.pid]);
    console.log(
      JSON.stringify({
        sent: JOBS,
        handled: ok.size,
        handledRuns: handledLines,
        duplicates: handledLines - ok.size,
        retried: failedAttempts,
        deadLettered: dead.size,
        lost: lost.length,
        refusedSends,
        jobsLeftInStream: jobsStream.state.messages,
        ticks: Object.fromEntries(perTick),
      }),
    );

    expect(lost).toEqual([]);
    // Nothing acknowledged without a success or a dead letter: the work-queue stream is empty and
    // every job is in one of the two sets; the always-failing ones only in the dead-letter stream.
    expect(jobsStream.state.messages).toBe(0);
    const alwaysFailing = jobs.filter((j) => j.always).map((j) => j.n);
    expect([...dead.keys()].sort((a, b) => a - b)).toEqual(alwaysFailing);
    for (const n of alwaysFailing) {
      expect(ok.has(n)).toBe(false);
      expect(dead.get(n)!.deliveries).toBeGreaterThanOrEqual(4);
      expect(dead.get(n)!.error).toContain(`job ${n} fails`);
    }
    // Each job failing twice was retried: its success came on delivery 3 or later.
    const firstOk = new Map<number, number>();
    for (const l of lines())
      if (typeof l.ok === 'number' && !firstOk.has(l.ok)) firstOk.set(l.ok, l.delivery as number);
    for (const j of jobs.filter((x) => x.failTimes === 2)) expect(firstOk.get(j.n)).toBeGreaterThanOrEqual(3);

    // Groups in order: each group's successful steps, in time order, never go back.
    for (const g of GROUPS) {
      const done = lines()
        .filter((l) => l.step === g)
        .sort((a, b) => (a.at as number) - (b.at as number))
        .map((l) => l.seq as number);
      expect(new Set(done).size, `group ${g} complete`).toBe(STEPS);
      expect(
        done.every((seq, i) => i === 0 || seq >= done[i - 1]!),
        `group ${g} in order: ${done.join(',')}`,
      ).toBe(true);
    }

    // Every tick ran exactly once across the replicas (and at least one ran while all three were up).
    expect(ticksSince(allUpSince).length).toBeGreaterThanOrEqual(1);
    for (const [tick, pids] of perTick) expect(pids, `tick ${tick}`).toHaveLength(1);
  }, 150_000);
});
