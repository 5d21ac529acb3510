/**
 * The GCP benchmark's module: a hand-written functions-framework handler and the polycloud
 * registration of the same function, each registered with the framework by name. test/bench/gcp.bench.ts
 * bundles it as `polycloud build --provider gcp` does (framework external, so the real one is used)
 * and runs both sides from that one bundle.
 */
import functions, { type HttpFunction, type Request, type Response } from '@google-cloud/functions-framework';
import { defineApp, HttpRequest, type HttpResponse, http } from '@polycloud/core';
import { bindFunction, writeNodeResponse } from '@polycloud/core/adapter';
import { toHttpRequest } from '../../../adapters/gcp/src/http/request.ts';
import { handle } from '../../../adapters/gcp/src/index.ts';

export const HEADERS = {
  'content-type': 'application/json',
  cookie: 'session=abc; theme=dark',
  'x-cloud-trace-context': '105445aa7843bc8bf206b12000100000/1;o=1',
};
export const BODY = '{"qty":2,"note":"bench"}';
export const PATH = '/items/42?verbose=1';
export const EXPECTED = '{"id":"42","qty":2,"verbose":true,"session":"abc"}';
/** A GET has no body: body-parser leaves `rawBody` unset. */
export const GET_EXPECTED = '{"id":"42","verbose":true}';

// Both read the route param, the query, a cookie and the JSON body, and answer the same JSON.
export const handWritten: HttpFunction = (req, res) => {
  const id = req.path.split('/')[2];
  const body = JSON.parse(req.rawBody!.toString('utf8')) as { qty: number };
  const session = /(?:^|;\s*)session=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ id, qty: body.qty, verbose: req.query.verbose === '1', session }));
};
functions.http('benchHandWritten', handWritten);
export const handWrittenGet: HttpFunction = (req, res) => {
  const id = req.path.split('/')[2];
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ id, verbose: req.query.verbose === '1' }));
};

const item = http('POST /items/:id', (req: HttpRequest) => {
  const body = req.json<{ qty: number }>();
  return {
    id: req.params.id,
    qty: body.qty,
    verbose: req.query.get('verbose') === '1',
    session: req.cookies.session,
  };
});
const itemGet = http('GET /items/:id', (req: HttpRequest) => ({
  id: req.params.id,
  verbose: req.query.get('verbose') === '1',
}));
// A project makes the trace header count: the adapter reads it when the function logs.
const traced = handle(defineApp({ name: 'bench', functions: { benchPolycloud: item, benchGet: itemGet } }), {
  project: 'bench-project',
});
export const polycloud = traced.handlers.benchPolycloud!;
export const polycloudGet = traced.handlers.benchGet!;
export const noTrace = handle(defineApp({ name: 'bench2', functions: { benchNoTrace: item } }), {}).handlers
  .benchNoTrace!;

// The adapter's own share: core alone on the equivalent request, and the translation alone.
const runtime = traced.runtime;
const runner = bindFunction(runtime, 'benchPolycloud');
const bodyBytes = Buffer.from(BODY);
export function coreOnly(): HttpResponse | Promise<HttpResponse> {
  const request = new HttpRequest({
    method: 'POST',
    rawPath: '/items/42',
    query: 'verbose=1',
    headers: HEADERS,
    body: bodyBytes,
  });
  return runner.http(() => request, { requestId: 'bench' });
}
const answer: HttpResponse = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  cookies: [],
  body: EXPECTED,
};
/** Express request → HttpRequest, and a finished HttpResponse → Express response. */
export function translationOnly(req: Request, res: Response): void {
  const request = toHttpRequest(req, req.rawBody!, 1, undefined);
  request.headers.get('cookie');
  writeNodeResponse(res, answer);
}
