import '../support/host/functions-core.ts';
import { defineApp, http } from '@polycloud/core';
import { describe, expect, test } from 'vitest';
import { ROUTES_FALLBACK } from '../../src/handle.ts';
import { handle } from '../../src/index.ts';
import { hostHttpResponse, invokeHost, rpcHttp } from '../support/host/host.ts';

// The Functions host maps http routes in function-name order (FunctionMetadataManager sorts the
// functions by name, OrdinalIgnoreCase) into a RouteCollection that takes the first match
// (WebJobsRouteBuilder): no specificity ranking. `updateTodo` sorts after `polycloud-routes`, so
// the host hands `PATCH /api/todos/42` to the catch-all. Found by the differential suite once its
// Azure host stand-in used that order: the PATCH answered 404 where node answers 200.
const app = defineApp({
  name: 'fallbackapp',
  functions: {
    listTodos: http('GET /todos', () => []),
    updateTodo: http('PATCH /todos/:id', (req) => ({
      updated: req.params.id,
      params: Object.keys(req.params),
    })),
  },
});

const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function viaFallback(method: string, path: string) {
  handle(app, { config: { provider: 'azure', providers: {} }, env: {} });
  const out = await invokeHost(ROUTES_FALLBACK, { data: rpcHttp({ method, path }, '{*rest}') });
  expect(out.ok, out.error).toBe(true);
  return hostHttpResponse(out.response);
}

describe('the polycloud-routes catch-all on the host', () => {
  test('runs the function a request belongs to, with that route’s params', async () => {
    const res = await viaFallback('PATCH', '/todos/42');
    expect(res.status).toBe(200);
    expect(JSON.parse(text(res.body))).toEqual({ updated: '42', params: ['id'] });
  });

  test('answers what no route takes as node does: 405 with Allow, else 404', async () => {
    const wrongMethod = await viaFallback('DELETE', '/todos/42');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('PATCH');
    const nowhere = await viaFallback('GET', '/nowhere');
    expect(nowhere.status).toBe(404);
    expect(JSON.parse(text(nowhere.body))).toEqual({ error: 'Not Found' });
  });
});
