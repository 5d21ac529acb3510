/**
 * Added cost of polycloud on Azure over a hand-written v4 handler, on the same @azure/functions
 * HttpRequest (a GET without body, so one request object serves every iteration and undici's request
 * construction does not drown the difference). Both sides end where the library takes over
 * (`HttpResponseInit`); "translation only" isolates the adapter's own share from the core runtime's
 * (routing, context, middleware chain, response normalisation). Target: ≤ 2 µs added.
 */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import azure from '@azure/functions';
import { defineApp, http } from '@polycloud/core';
import { bench, describe } from 'vitest';
import { handle, toAzureResponse, toNeutralRequest } from '../../adapters/azure/src/index.ts';

const request = new azure.HttpRequest({
  method: 'GET',
  url: 'https://bench.azurewebsites.net/api/todos/42?include=tags&include=owner',
  headers: { accept: 'application/json', 'x-request-id': 'abc', cookie: 'session=s1' },
  params: { id: '42' },
});
const context = new azure.InvocationContext({
  invocationId: 'bench',
  functionName: 'getTodo',
  logHandler: () => {},
});

async function handWritten(req: HttpRequest, _ctx: InvocationContext) {
  return { status: 200, jsonBody: { id: req.params.id, include: req.query.getAll('include') } };
}

/** The same, serialising its JSON itself (as polycloud does before handing bytes to the library). */
async function handWrittenSerialised(req: HttpRequest, _ctx: InvocationContext) {
  const body = JSON.stringify({ id: req.params.id, include: req.query.getAll('include') });
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: new TextEncoder().encode(body),
  };
}

const app = defineApp({
  name: 'bench',
  functions: {
    getTodo: http('GET /todos/:id', (req) => ({ id: req.params.id, include: req.query.getAll('include') })),
  },
});
const { handlers, settings } = handle(app, { register: false, env: {} });
const polycloud = handlers.getTodo!;
const response = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  cookies: [],
  body: new Uint8Array(8),
};

describe('azure http: added cost over a hand-written v4 handler', () => {
  bench('hand-written @azure/functions v4 handler', async () => {
    await handWritten(request, context);
  });
  bench('hand-written v4 handler, serialising its own JSON body', async () => {
    await handWrittenSerialised(request, context);
  });
  bench('polycloud on @azure/functions (adapter + core runtime)', async () => {
    await polycloud(request, context);
  });
  bench('adapter translation only (request in, response out)', async () => {
    await toNeutralRequest(request, settings);
    toAzureResponse(response);
  });
});
