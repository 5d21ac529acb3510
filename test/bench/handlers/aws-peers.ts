/**
 * The AWS peers on the events of handlers/aws.ts, each written the way its documentation shows, for
 * the same answers: middy (@middy/core around the hand-written handler), hono's aws-lambda adapter,
 * @h4ad/serverless-adapter and serverless-http in front of one plain node:http listener (a web
 * framework's own cost stays out of the adapter's), and @aws-lambda-powertools/batch for SQS.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { type FrameworkContract, ServerlessAdapter } from '@h4ad/serverless-adapter';
import { ApiGatewayV2Adapter } from '@h4ad/serverless-adapter/adapters/aws';
import { DefaultHandler } from '@h4ad/serverless-adapter/handlers/default';
import { PromiseResolver } from '@h4ad/serverless-adapter/resolvers/promise';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import serverless from 'serverless-http';
import { rawGet, rawPost, sink } from './aws.ts';

export const middyGet = middy<APIGatewayProxyEventV2>().handler(rawGet);
export const middyPost = middy<APIGatewayProxyEventV2>().handler(rawPost);

const app = new Hono();
app.get('/todos/:id', (c) => c.json({ id: c.req.param('id') }));
app.post('/todos', async (c) =>
  c.json({ length: (await c.req.json<{ title: string }>()).title.length }, 201),
);
export const honoHandler = handle(app);

/** The route as a node:http listener: what h4ad and serverless-http hand requests to. */
function listener(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0]!;
  if (req.method === 'GET' && path.startsWith('/todos/')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: path.split('/')[2] }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const todo = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { title: string };
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ length: todo.title.length }));
  });
}

type Listener = typeof listener;
class ListenerFramework implements FrameworkContract<Listener> {
  sendRequest(target: Listener, request: IncomingMessage, response: ServerResponse): void {
    target(request, response);
  }
}
export const h4adHandler = ServerlessAdapter.new(listener)
  .setFramework(new ListenerFramework())
  .setHandler(new DefaultHandler())
  .setResolver(new PromiseResolver())
  .addAdapter(new ApiGatewayV2Adapter())
  .build();

export const serverlessHttpHandler = serverless(listener);

// Powertools: the record handler throws for a failed message, as polycloud's queue handler does.
const processor = new BatchProcessor(EventType.SQS);
async function recordHandler(record: SQSRecord): Promise<void> {
  if ((JSON.parse(record.body) as { fail?: boolean }).fail) throw new Error('failed on purpose');
}
/** Each failure is logged as a JSON line with its stack, as the raw handler and polycloud do. */
export async function powertoolsSqs(event: SQSEvent, context: Context) {
  const response = await processPartialResponse(event, recordHandler, processor, { context });
  for (const e of processor.errors) {
    sink(
      JSON.stringify({
        level: 'ERROR',
        message: 'failed',
        errorType: e.name,
        errorMessage: e.message,
        stackTrace: e.stack,
      }),
    );
  }
  return response;
}
