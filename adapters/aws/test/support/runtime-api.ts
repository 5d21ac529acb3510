import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the runtime client posted back for one invocation. */
export type InvocationOutcome =
  | { requestId: string; kind: 'response'; body: string }
  | { requestId: string; kind: 'error'; body: string; errorType: string | undefined };

interface Pending {
  requestId: string;
  event: string;
  deadlineMs: number;
  functionArn: string;
  settle(outcome: InvocationOutcome): void;
}

const PREFIX = '/2018-06-01/runtime';

/**
 * A small implementation of the documented Lambda Runtime API
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html), enough to drive AWS's own
 * runtime interface client: `invocation/next` long-polls until `invoke()` queues an event, the
 * client posts the result to `invocation/{id}/response` or `/error`, `init/error` records a
 * failed cold start. 127.0.0.1 on a random port.
 */
export class RuntimeApiServer {
  readonly #server: Server;
  readonly #queue: Pending[] = [];
  readonly #waiting: ServerResponse[] = [];
  readonly #inFlight = new Map<string, Pending>();
  readonly initErrors: { errorType: string | undefined; body: string }[] = [];
  readonly #initWaiters: ((error: { errorType: string | undefined; body: string }) => void)[] = [];
  readonly functionName: string;

  private constructor(server: Server, functionName: string) {
    this.#server = server;
    this.functionName = functionName;
  }

  static async start(functionName = 'polycloud-test'): Promise<RuntimeApiServer> {
    let self: RuntimeApiServer | undefined;
    const server = createServer((req, res) => {
      self!.#route(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    self = new RuntimeApiServer(server, functionName);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return self;
  }

  /** `host:port`, the value of AWS_LAMBDA_RUNTIME_API. */
  get address(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  /** Queues one event and resolves with what the runtime client answered; rejects after `timeoutMs`. */
  invoke(
    event: unknown,
    options: { timeoutMs?: number; lambdaTimeoutMs?: number } = {},
  ): Promise<InvocationOutcome> {
    const requestId = randomUUID();
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#inFlight.delete(requestId);
        const queued = this.#queue.findIndex((p) => p.requestId === requestId);
        if (queued >= 0) this.#queue.splice(queued, 1);
        reject(new Error(`runtime client gave no answer for ${requestId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#enqueue({
        requestId,
        event: JSON.stringify(event),
        deadlineMs: Date.now() + (options.lambdaTimeoutMs ?? 30_000),
        functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${this.functionName}`,
        settle: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      });
    });
  }

  /** Resolves with the first `init/error` the runtime client posts; rejects after `timeoutMs`. */
  initError(timeoutMs: number): Promise<{ errorType: string | undefined; body: string }> {
    const first = this.initErrors[0];
    if (first) return Promise.resolve(first);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no init/error within ${timeoutMs} ms`)), timeoutMs);
      // Settled when the POST arrives, before the answer lets the runtime client exit.
      this.#initWaiters.push((error) => {
        clearTimeout(timer);
        resolve(error);
      });
    });
  }

  close(): Promise<void> {
    for (const res of this.#waiting.splice(0)) res.destroy();
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #enqueue(pending: Pending): void {
    const res = this.#waiting.shift();
    if (res) this.#deliver(res, pending);
    else this.#queue.push(pending);
  }

  #deliver(res: ServerResponse, pending: Pending): void {
    this.#inFlight.set(pending.requestId, pending);
    res.writeHead(200, {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': pending.requestId,
      'lambda-runtime-deadline-ms': String(pending.deadlineMs),
      'lambda-runtime-invoked-function-arn': pending.functionArn,
      'lambda-runtime-trace-id': `Root=1-${Date.now().toString(16)}-${pending.requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`,
    });
    res.end(pending.event);
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '';
    const body = await readBody(req);
    if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) {
      const pending = this.#queue.shift();
      if (pending) this.#deliver(res, pending);
      else this.#waiting.push(res);
      return;
    }
    if (req.method === 'POST' && url === `${PREFIX}/init/error`) {
      const error = { errorType: header(req, 'lambda-runtime-function-error-type'), body };
      this.initErrors.push(error);
      for (const waiter of this.#initWaiters.splice(0)) waiter(error);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method === 'POST' && match) {
      const requestId = decodeURIComponent(match[1]!);
      const pending = this.#inFlight.get(requestId);
      if (!pending) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ errorMessage: `unknown request id ${requestId}`, errorType: 'InvalidRequestID' }),
        );
        return;
      }
      this.#inFlight.delete(requestId);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      pending.settle(
        match[2] === 'response'
          ? { requestId, kind: 'response', body }
          : { requestId, kind: 'error', body, errorType: header(req, 'lambda-runtime-function-error-type') },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errorType":"NotFound"}');
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
