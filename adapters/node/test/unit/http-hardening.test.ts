/**
 * The node server's protective parts, in-process with real sockets: who may call `/_polycloud/*`,
 * the socket timeouts a server gets, the 504 of an http handler past its timeout, and the bounded
 * drain of keep-alive clients at shutdown. (test/e2e/hardening.test.ts drives the same parts
 * through a child process and signals; these run in the fast suite and under Stryker.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { defineApp, type HttpResponse, http } from '@polycloud/core';
import { toHttpResponse } from '@polycloud/core/adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionDrain } from '../../src/http/connection-drain.ts';
import { answerWithin } from '../../src/http/http-timeout.ts';
import { internalAccess, internalDenied } from '../../src/http/internal-access.ts';
import { applyKeepAlive, serverTimeoutOptions } from '../../src/http/server-timeouts.ts';
import { createNodeRuntime, handle } from '../../src/index.ts';

const withAuthorization = (authorization?: string) =>
  ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

describe('who may call /_polycloud/*', () => {
  it('without a token: open on every loopback address, closed on any other', () => {
    for (const host of ['localhost', '::1', '127.0.0.1', '127.0.0.53', '127.255.10.1'])
      expect(internalAccess(host, undefined), host).toEqual({ mode: 'open' });
    // A container binds 0.0.0.0 (the build does): anyone who reaches the port could enqueue or read dead letters.
    for (const host of [
      '0.0.0.0',
      '::',
      '10.1.2.3',
      '128.0.0.1',
      '127.0.0',
      '127.',
      '127..0.1',
      '127.0.0.1.',
      '127.0.0.1a',
      '127.0.0.-1',
      '1270.0.0.1',
      '127.0.0.1.nip.io',
      'x127.0.0.1',
      'localhost.example.com',
    ])
      expect(internalAccess(host, undefined), host).toEqual({ mode: 'closed' });
  });

  it('an empty POLYCLOUD_INTERNAL_TOKEN is no token (the endpoints do not open to an empty bearer)', () => {
    expect(internalAccess('0.0.0.0', '').mode).toBe('closed');
    expect(internalAccess('127.0.0.1', '').mode).toBe('open');
  });

  it('with a token every address is guarded, loopback too', () => {
    const access = internalAccess('127.0.0.1', 'secret-token');
    expect(access.mode).toBe('token');
    expect(internalDenied(access, withAuthorization())).toBe(401);
    expect(internalDenied(access, withAuthorization('Bearer secret-token'))).toBe(0);
  });

  it('open answers 0, closed answers 404 whatever the request carries', () => {
    expect(internalDenied({ mode: 'open' }, withAuthorization())).toBe(0);
    expect(internalDenied({ mode: 'closed' }, withAuthorization())).toBe(404);
    expect(internalDenied({ mode: 'closed' }, withAuthorization('Bearer anything'))).toBe(404);
  });

  it('only the exact token behind the Bearer scheme passes', () => {
    const access = internalAccess('0.0.0.0', 'secret-token');
    for (const wrong of [
      '',
      'secret-token', // no scheme
      'Basic secret-token',
      'Bearer ',
      'Bearer secret-tokeN', // same length, one byte off
      'Bearer secret-token2', // longer
      'Bearer secret-toke', // a prefix
      'Bearer  secret-token', // the token with a leading space
      'Bearersecret-token',
    ])
      expect(internalDenied(access, withAuthorization(wrong)), wrong).toBe(401);
    // Another scheme is refused even when "bearer " appears inside its credentials.
    const spaced = internalAccess('0.0.0.0', 'key bearer token');
    expect(internalDenied(spaced, withAuthorization('Digest key bearer token'))).toBe(401);
    expect(internalDenied(spaced, withAuthorization('Bearer key bearer token'))).toBe(0);
  });

  it('the auth scheme is case-insensitive, as RFC 9110 §11.1 defines it (curl -H "authorization: bearer …")', () => {
    const access = internalAccess('0.0.0.0', 'secret-token');
    expect(internalDenied(access, withAuthorization('bearer secret-token'))).toBe(0);
    expect(internalDenied(access, withAuthorization('BEARER secret-token'))).toBe(0);
  });
});

describe('socket timeouts', () => {
  it('the documented defaults: keep-alive 65 s, headers 15 s, whole request 60 s, checked every second', () => {
    expect(serverTimeoutOptions()).toEqual({
      keepAliveTimeout: 65_000,
      headersTimeout: 15_000,
      requestTimeout: 60_000,
      connectionsCheckingInterval: 1000,
    });
  });

  it('each one can be set; the headers timeout never exceeds the request timeout (Node refuses that)', () => {
    expect(
      serverTimeoutOptions({ keepAliveTimeoutMs: 120_000, headersTimeoutMs: 5000, requestTimeoutMs: 20_000 }),
    ).toEqual({
      keepAliveTimeout: 120_000,
      headersTimeout: 5000,
      requestTimeout: 20_000,
      connectionsCheckingInterval: 1000,
    });
    expect(serverTimeoutOptions({ requestTimeoutMs: 8000 }).headersTimeout).toBe(8000);
    expect(serverTimeoutOptions({ headersTimeoutMs: 90_000 }).headersTimeout).toBe(60_000);
  });

  it('keep-alive is re-applied on the server object: longer than a balancer idle timeout, not Node’s 5 s', () => {
    const server = createServer();
    expect(server.keepAliveTimeout).toBe(5000);
    applyKeepAlive(server);
    expect(server.keepAliveTimeout).toBe(65_000);
    applyKeepAlive(server, { keepAliveTimeoutMs: 700_000 });
    expect(server.keepAliveTimeout).toBe(700_000);
  });

  it('a server from handle() carries them', async () => {
    const app = defineApp({ name: 'timeouts', functions: { ok: http('GET /ok', () => 'ok') } });
    const served = await handle(app, {
      port: 0,
      schedules: false,
      handleSignals: false,
      timeouts: { keepAliveTimeoutMs: 70_000, requestTimeoutMs: 30_000 },
    });
    try {
      expect(served.server.keepAliveTimeout).toBe(70_000);
      expect(served.server.requestTimeout).toBe(30_000);
      expect(served.server.headersTimeout).toBe(15_000);
    } finally {
      await served.close();
    }
  });
});

describe('an http handler past its timeout', () => {
  const app = defineApp({
    name: 'http-timeout',
    functions: {
      limited: http('GET /limited/:id', () => 'never called here', { timeoutMs: 50 }),
      unlimited: http('GET /unlimited', () => 'never called here'),
    },
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
  const never = () => new Promise<never>(() => undefined);

  it('is answered 504 at the function’s own timeoutMs, logged with the function name', async () => {
    vi.useFakeTimers();
    const runtime = createNodeRuntime(app);
    const errors = vi.spyOn(runtime.log, 'error').mockImplementation(() => undefined);
    let answer: { status?: number; body?: unknown } | undefined;
    void answerWithin(runtime, 'GET', '/limited/7', never(), 1000).then((r) => {
      answer = r as typeof answer;
    });
    await vi.advanceTimersByTimeAsync(49);
    expect(answer).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(answer?.status).toBe(504);
    expect(JSON.stringify(answer?.body)).toContain('Gateway Timeout');
    expect(errors).toHaveBeenCalledWith('http handler timed out; answered 504', {
      function: 'limited',
      timeoutMs: 50,
    });
  });

  it('without a timeoutMs of its own, the server’s default applies', async () => {
    vi.useFakeTimers();
    const runtime = createNodeRuntime(app);
    const errors = vi.spyOn(runtime.log, 'error').mockImplementation(() => undefined);
    let answer: { status?: number } | undefined;
    void answerWithin(runtime, 'GET', '/unlimited', never(), 300).then((r) => {
      answer = r;
    });
    await vi.advanceTimersByTimeAsync(299);
    expect(answer).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(answer?.status).toBe(504);
    expect(errors).toHaveBeenCalledWith('http handler timed out; answered 504', {
      function: 'unlimited',
      timeoutMs: 300,
    });
  });

  it('a path no route matches (or another method) takes the default, and names no function', async () => {
    vi.useFakeTimers();
    const runtime = createNodeRuntime(app);
    const errors = vi.spyOn(runtime.log, 'error').mockImplementation(() => undefined);
    let answered = 0;
    void answerWithin(runtime, 'POST', '/limited/7', never(), 200).then(() => answered++);
    void answerWithin(runtime, 'GET', '/nowhere', never(), 200).then(() => answered++);
    await vi.advanceTimersByTimeAsync(199);
    expect(answered).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(answered).toBe(2);
    expect(errors).toHaveBeenCalledTimes(2);
    expect(errors).toHaveBeenLastCalledWith('http handler timed out; answered 504', {
      function: undefined,
      timeoutMs: 200,
    });
  });

  it('an answer in time is the handler’s, and no timeout is logged after it', async () => {
    vi.useFakeTimers();
    const runtime = createNodeRuntime(app);
    const errors = vi.spyOn(runtime.log, 'error').mockImplementation(() => undefined);
    const made = toHttpResponse({ status: 201, body: 'made' });
    const late = new Promise<HttpResponse>((resolve) => setTimeout(() => resolve(made), 40));
    const answer = answerWithin(runtime, 'GET', '/limited/1', late, 1000);
    await vi.advanceTimersByTimeAsync(40);
    await expect(answer).resolves.toBe(made);
    await vi.advanceTimersByTimeAsync(5000);
    expect(errors).not.toHaveBeenCalled();
  });
});

/** A raw keep-alive client: writes requests on one socket and collects everything until the server closes it. */
function rawClient(port: number): { socket: Socket; write(text: string): void; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (c: Buffer) => {
    received += c.toString();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  return { socket, write: (text) => socket.write(text), closed };
}

/** A server whose every request goes through `drain.admit`; `/slow` and `/stream` wait for `release()`. */
async function drainedServer() {
  const started: string[] = [];
  const holds: (() => void)[] = [];
  let drain!: ConnectionDrain;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!drain.admit(req, res)) return;
    started.push(req.url ?? '');
    if (req.url === '/slow') holds.push(() => res.end('slow done'));
    else if (req.url === '/stream') {
      // Headers already on the wire: Connection: close can no longer be added to this response.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part 1;');
      holds.push(() => res.end('part 2'));
    } else res.end('fast');
  });
  drain = new ConnectionDrain(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(check()).toBe(true);
  };
  const release = () => {
    for (const hold of holds.splice(0)) hold();
  };
  const releaseOne = () => holds.shift()?.();
  return { server, drain, port, started, release, releaseOne, until };
}

describe('draining keep-alive clients at shutdown', () => {
  it('an in-flight response goes out with Connection: close, and begin() resolves once it has', async () => {
    const s = await drainedServer();
    const client = rawClient(s.port);
    client.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await s.until(() => s.started.length === 1);
    expect(s.drain.inFlight).toBe(1);
    expect(s.drain.draining).toBe(false);
    let drained = false;
    const done = s.drain.begin().then(() => {
      drained = true;
    });
    expect(s.drain.draining).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    s.release();
    await done;
    expect(s.drain.inFlight).toBe(0);
    const reply = await client.closed;
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(reply.toLowerCase()).toContain('connection: close');
    expect(reply).toContain('slow done');
  });

  it('with nothing in flight begin() resolves at once, idle keep-alive sockets are closed and the port stops listening', async () => {
    const s = await drainedServer();
    const idle = rawClient(s.port);
    idle.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    await s.until(() => s.started.length === 1);
    await s.until(() => s.drain.inFlight === 0);
    await s.drain.begin();
    const reply = await idle.closed;
    expect(reply).toMatch(/keep-alive/i);
    expect(reply).toContain('fast');
    expect(s.server.listening).toBe(false);
  });

  it('a request arriving on a kept-alive socket while draining gets 503 with Connection: close and Retry-After', async () => {
    const s = await drainedServer();
    const client = rawClient(s.port);
    client.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    await s.until(() => s.started.length === 1);
    const done = s.drain.begin();
    // The client sends its next request on the same connection before it has read the first answer.
    client.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 20));
    s.release();
    await done;
    const reply = await client.closed;
    expect(s.started).toEqual(['/stream']); // the second request never reached a handler
    const second = reply.slice(reply.indexOf('HTTP/1.1', 1));
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second.toLowerCase()).toContain('connection: close');
    expect(second.toLowerCase()).toContain('retry-after: 1');
    expect(second.toLowerCase()).toContain('content-type: application/json');
    expect(second).toContain('{"error":"server is shutting down"}');
  });

  it('with two requests in flight, begin() resolves only once the last one has closed', async () => {
    const s = await drainedServer();
    const a = rawClient(s.port);
    const b = rawClient(s.port);
    a.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await s.until(() => s.started.length === 1);
    b.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    await s.until(() => s.started.length === 2);
    let drained = false;
    const done = s.drain.begin().then(() => {
      drained = true;
    });
    s.releaseOne();
    await a.closed;
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    expect(s.drain.inFlight).toBe(1);
    s.release();
    await done;
    await b.closed;
    expect(drained).toBe(true);
  });

  it('forceClose() at the deadline cuts what is left and says how many', async () => {
    const s = await drainedServer();
    const a = rawClient(s.port);
    const b = rawClient(s.port);
    a.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    b.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await s.until(() => s.started.length === 2);
    void s.drain.begin();
    expect(s.drain.forceClose()).toBe(2);
    expect(await a.closed).toBe('');
    expect(await b.closed).toBe('');
  });

  it('through handle(): close() waits for the slow request, answers it with Connection: close, and reports clean', async () => {
    let release!: () => void;
    const app = defineApp({
      name: 'drain',
      functions: {
        slow: http('GET /slow', () => new Promise<string>((resolve) => (release = () => resolve('done')))),
      },
    });
    const served = await handle(app, { port: 0, schedules: false, handleSignals: false });
    const client = rawClient(served.port);
    client.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    for (let i = 0; i < 500 && release === undefined; i++) await new Promise((r) => setTimeout(r, 5));
    const report = served.close();
    release();
    expect(await report).toEqual({ clean: true, abandonedRequests: 0, abandonedMessages: [] });
    const reply = await client.closed;
    expect(reply.toLowerCase()).toContain('connection: close');
    expect(reply).toContain('done');
  });
});
