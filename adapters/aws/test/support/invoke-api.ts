import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InvocationOutcome, RuntimeApiServer } from './runtime-api.ts';

/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`,
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html) in front of Runtime API test
 * servers, so `@aws-sdk/client-lambda` reaches functions run by aws-lambda-ric and reads the error
 * payloads the real runtime client writes. RequestResponse answers 200 with the result, or 200 with
 * `X-Amz-Function-Error: Unhandled` and the error document; Event answers 202 at once; an unknown
 * name answers 404 `ResourceNotFoundException`, as Lambda does.
 */
export class InvokeApiServer {
  readonly #server: Server;
  readonly #functions: ReadonlyMap<string, RuntimeApiServer>;
  /** Outcomes of Event invocations, completed in the background. */
  readonly background: Promise<InvocationOutcome>[] = [];

  private constructor(server: Server, functions: ReadonlyMap<string, RuntimeApiServer>) {
    this.#server = server;
    this.#functions = functions;
  }

  static async start(functions: ReadonlyMap<string, RuntimeApiServer>): Promise<InvokeApiServer> {
    let self: InvokeApiServer | undefined;
    const server = createServer((req, res) => {
      self!.#route(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
    self = new InvokeApiServer(server, functions);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return self;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations(?:\?.*)?$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'UnknownOperationException',
      });
      res.end('{"message":"unknown operation"}');
      return;
    }
    const name = decodeURIComponent(match[1]!);
    const target = this.#functions.get(name);
    if (!target) {
      res.writeHead(404, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'ResourceNotFoundException',
      });
      res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
      return;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const event: unknown = text === '' ? {} : JSON.parse(text);
    if (req.headers['x-amz-invocation-type'] === 'Event') {
      this.background.push(target.invoke(event, { timeoutMs: 15_000 }));
      res.writeHead(202).end();
      return;
    }
    const outcome = await target.invoke(event, { timeoutMs: 15_000 });
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(outcome.kind === 'error' ? { 'x-amz-function-error': 'Unhandled' } : {}),
    });
    res.end(outcome.body);
  }
}
