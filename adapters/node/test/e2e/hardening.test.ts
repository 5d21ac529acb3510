import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { internalAccess } from '../../src/http/internal-access.ts';
import { ChildServer } from '../support/child-server.ts';

const script = fileURLToPath(new URL('../support/hardening-app.ts', import.meta.url));
const started: ChildServer[] = [];
const start = (env: Record<string, string> = {}) => {
  const s = new ChildServer(script, env);
  started.push(s);
  return s;
};
afterEach(() => {
  for (const s of started.splice(0)) s.kill('SIGKILL');
});

interface Reply {
  at: number;
  status: number;
  connection: string | undefined;
  body: string;
}

function get(url: string, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () =>
        resolve({ at: Date.now(), status: res.statusCode!, connection: res.headers.connection, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes `head` on a raw socket, then `drip` every 300 ms; resolves with what came back once the server closes. */
function slowClient(url: string, head: string, drip?: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept a slow client for more than 10 s'));
    }, 10_000);
    socket.on('connect', () => {
      socket.write(head);
      if (drip) timer = setInterval(() => socket.write(drip), 300);
    });
    socket.on('data', (c: Buffer) => {
      received += c.toString();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(guard);
      resolve(received);
    });
  });
}

describe('node server hardening (a real server process, real sockets)', () => {
  it('drains keep-alive clients on SIGTERM: Connection: close, then exits 0 with the slow request answered', async () => {
    const server = start();
    const url = await server.url();
    const agent = new Agent({ keepAlive: true, maxSockets: 5 });
    let killedAt = 0;
    const after: Reply[] = [];
    let stop = false;
    const client = async () => {
      while (!stop) {
        try {
          const r = await get(`${url}/fast`, agent);
          if (killedAt) after.push(r);
        } catch {
          if (killedAt) return; // refused or reset: the server is gone
        }
      }
    };
    const clients = Array.from({ length: 5 }, client);
    await new Promise((r) => setTimeout(r, 300));
    const slow = get(`${url}/slow`);
    // SIGTERM once /slow is in flight (one arriving after the drain began would get 503).
    await server.waitFor((l) => l.started === 'slow');
    killedAt = Date.now();
    server.kill('SIGTERM');
    const slowReply = await slow;
    const code = await Promise.race([
      server.exited,
      new Promise((r) => setTimeout(() => r('still running'), 10_000)),
    ]);
    stop = true;
    await Promise.all(clients);
    agent.destroy();
    expect(code).toBe(0);
    expect(slowReply).toMatchObject({ status: 200, connection: 'close' });
    // Before: 775 keep-alive answers after SIGTERM and no exit. Now, once the drain began, at most
    // the requests already in flight on the 5 sockets go out without `close`; the rest are closed or refused.
    const drainAt = Date.parse(String(server.lines.find((l) => l.message === 'draining before exit')?.time));
    const keptAlive = after.filter((r) => r.at > drainAt && r.status === 200 && r.connection !== 'close');
    expect(keptAlive.length).toBeLessThanOrEqual(5);
    expect(after.every((r) => r.status === 200 || r.status === 503)).toBe(true);
  }, 30_000);

  it('answers a hung http handler with 504 at its timeout and aborts its ctx.signal', async () => {
    const server = start();
    const url = await server.url();
    const reply = await get(`${url}/hang`);
    expect(reply.status).toBe(504);
    expect(JSON.parse(reply.body)).toEqual({ error: 'Gateway Timeout' });
    const aborted = await server.waitFor((l) => l.aborted === 'hang', 5000);
    expect(String(aborted.reason)).toContain('TimeoutError');
  }, 30_000);

  it('fails a message whose handler outlives its timeout and redelivers it', async () => {
    const server = start();
    const url = await server.url();
    const res = await fetch(`${url}/enqueue/hang-once`, { method: 'POST', body: 'x' });
    const { id } = (await res.json()) as { id: string };
    await server.waitFor((l) => l.abortedDelivery === id);
    const handled = await server.waitFor((l) => l.handled === id);
    expect(handled.deliveryCount).toBe(2);
    expect(
      server.lines.some(
        (l) => l.message === 'queue handler timed out' && String(l.requestId).startsWith(`${id}:1`),
      ),
    ).toBe(true);
  }, 30_000);

  it('at the drain deadline logs every abandoned message id and exits 1', async () => {
    const server = start({ DRAIN_MS: '1000' });
    const url = await server.url();
    const res = await fetch(`${url}/enqueue/stuck`, { method: 'POST', body: 'never finishes' });
    const { id } = (await res.json()) as { id: string };
    await server.waitFor((l) => l.started === id);
    server.kill('SIGTERM');
    const code = await Promise.race([
      server.exited,
      new Promise((r) => setTimeout(() => r('still running'), 10_000)),
    ]);
    expect(code).toBe(1);
    expect(server.lines.find((l) => l.message === 'message abandoned and lost')).toMatchObject({
      messageId: id,
    });
    expect(server.lines.find((l) => l.message === 'shutdown drain timed out')).toMatchObject({
      abandonedMessages: 1,
      messagesKept: false,
    });
  }, 30_000);

  it('drops a client that drips its headers, and one that never finishes its body, with 408', async () => {
    const server = start();
    const url = await server.url();
    const [dripped, unfinished] = await Promise.all([
      slowClient(url, 'GET /fast HTTP/1.1\r\nHost: x\r\n', 'X-Drip: 1\r\n'),
      slowClient(url, 'POST /enqueue/q HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789'),
    ]);
    expect(dripped).toMatch(/^HTTP\/1\.1 408 /);
    expect(unfinished).toMatch(/^HTTP\/1\.1 408 /);
  }, 30_000);

  it('guards /_polycloud/* with the token, and answers a bad percent-encoding with 400 and no stack', async () => {
    const server = start({ POLYCLOUD_INTERNAL_TOKEN: 'secret-token' });
    const url = await server.url();
    expect((await fetch(`${url}/_polycloud/functions`)).status).toBe(401);
    expect(
      (await fetch(`${url}/_polycloud/functions`, { headers: { authorization: 'Bearer wrong-token!' } }))
        .status,
    ).toBe(401);
    const ok = await fetch(`${url}/_polycloud/functions`, {
      headers: { authorization: 'Bearer secret-token' },
    });
    expect(ok.status).toBe(200);
    const bad = await fetch(`${url}/_polycloud/queues/%E0%A4%A`, {
      method: 'POST',
      headers: { authorization: 'Bearer secret-token' },
      body: 'x',
    });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).not.toMatch(/\bat .*:\d+:\d+/);
    expect(text).toContain('percent-encoding');
    expect(server.lines.some((l) => JSON.stringify(l).includes('URIError'))).toBe(false);
  }, 30_000);
});

describe('internalAccess', () => {
  it('is open on loopback, closed elsewhere without a token, token-guarded with one', () => {
    expect(internalAccess('127.0.0.1', undefined).mode).toBe('open');
    expect(internalAccess('::1', undefined).mode).toBe('open');
    expect(internalAccess('0.0.0.0', undefined).mode).toBe('closed');
    expect(internalAccess('10.1.2.3', undefined).mode).toBe('closed');
    expect(internalAccess('0.0.0.0', 't').mode).toBe('token');
  });
});
