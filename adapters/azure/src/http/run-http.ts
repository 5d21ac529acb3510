import type { HttpRequest as AzureHttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { errorResponse, type HttpRunner, toError } from '@polycloud/core/adapter';
import { invocationInit } from '../invocation.ts';
import type { AzureSettings } from '../options.ts';
import { neutralRequest, type PrincipalReader, readRequestBody } from './neutral-request.ts';
import { toAzureResponse } from './response.ts';
import { REST_PARAM } from './route-template.ts';

/**
 * One http invocation of a function: the host's request → the neutral request → the function →
 * the host's response. A body that cannot be read is a logged 500. `readPrincipal`: given when
 * `appServiceAuth` is on. `params`: the neutral router's match, when the host's own route was the
 * catch-all's.
 * @coldStart
 */
export async function runHttp(
  runner: HttpRunner,
  settings: AzureSettings,
  readPrincipal: PrincipalReader | undefined,
  request: AzureHttpRequest,
  context: InvocationContext,
  params?: Record<string, string>,
): Promise<HttpResponseInit> {
  const init = invocationInit(runner.fn, request, context, settings);
  let body: Uint8Array;
  try {
    body = await readRequestBody(request);
  } catch (error) {
    init.log.error('could not read the request', { error: toError(error) });
    return toAzureResponse(errorResponse(500, 'Internal Server Error'));
  }
  // The host already chose this function; its params stand when the neutral router would pick another.
  const res = await runner.http(
    () => {
      const req = neutralRequest(request, body, settings, readPrincipal);
      req.params = params ?? azureParams(request.params);
      return req;
    },
    init,
    params,
  );
  return toAzureResponse(res, init.log);
}

/** @coldStart */
function azureParams(params: Record<string, string> | undefined): Record<string, string> {
  if (!params) return {};
  let out: Record<string, string> | undefined;
  for (const key in params) {
    out ??= {};
    out[key === REST_PARAM ? '*' : key] = params[key]!;
  }
  return out ?? {};
}
