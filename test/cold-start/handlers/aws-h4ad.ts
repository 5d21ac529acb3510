/**
 * @h4ad/serverless-adapter with its API Gateway v2 adapter in front of a plain node:http request
 * listener (its framework contract, implemented in one line), the same route: a peer's cold start.
 * A plain listener keeps a web framework's own cost out of the adapter's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FrameworkContract, ServerlessAdapter } from '@h4ad/serverless-adapter';
import { ApiGatewayV2Adapter } from '@h4ad/serverless-adapter/adapters/aws';
import { DefaultHandler } from '@h4ad/serverless-adapter/handlers/default';
import { PromiseResolver } from '@h4ad/serverless-adapter/resolvers/promise';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

class ListenerFramework implements FrameworkContract<Listener> {
  sendRequest(app: Listener, request: IncomingMessage, response: ServerResponse): void {
    app(request, response);
  }
}

const listener: Listener = (req, res) => {
  const id = decodeURIComponent((req.url ?? '').split('?')[0]!.split('/')[2] ?? '');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id, name: `item ${id}` }));
};

export const handler = ServerlessAdapter.new(listener)
  .setFramework(new ListenerFramework())
  .setHandler(new DefaultHandler())
  .setResolver(new PromiseResolver())
  .addAdapter(new ApiGatewayV2Adapter())
  .build();
