/**
 * `startServer`, the built server's `handle()`: it says, before anything is awaited, whether
 * starting imports a lazily loaded chunk (the built entry awaits `listening` only when it does not,
 * since such a chunk imports the entry itself), and `listening` is the server `handle()` gives.
 * The NATS case (the JetStream broker's code) needs a server: e2e/jetstream-faults runs a built
 * server on JetStream, which would never start had its entry awaited that import.
 */
import { defineApp, http, schedule } from '@polycloud/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeServer, startServer } from '../../src/handle.ts';

const servers: NodeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const options = { port: 0, handleSignals: false, schedules: false } as const;
const ping = http('GET /ping', () => ({ pong: true }));

describe('startServer', () => {
  it('an http-only app on the in-memory broker imports nothing lazily before it listens', async () => {
    const starting = startServer(defineApp({ name: 'start-plain', functions: { ping } }), options);
    expect(starting.importsBeforeListening).toBe(false);
    const server = await starting.listening;
    servers.push(server);
    expect(server.broker.kind).toBe('memory');
    const res = await fetch(`${server.url}/ping`);
    expect(await res.json()).toEqual({ pong: true });
  });

  it('an app with schedules imports the Scheduler before it listens', async () => {
    const app = defineApp({
      name: 'start-scheduled',
      functions: { ping, nightly: schedule('nightly', '0 3 * * *', () => undefined) },
    });
    const starting = startServer(app, options);
    expect(starting.importsBeforeListening).toBe(true);
    const server = await starting.listening;
    servers.push(server);
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
  });
});
