import type { HttpRequest as AzureHttpRequest } from '@azure/functions';
import type { HttpRequest } from '@polycloud/core';
import type { AzureSettings } from '../options.ts';
import { identityFromPrincipal } from './client-principal.ts';
import { neutralRequest } from './neutral-request.ts';

/**
 * Azure's HttpRequest → the neutral request (see neutral-request.ts for the quirks handled), its
 * body already read (`readRequestBody`); with `appServiceAuth` on, `x-ms-client-principal` becomes
 * its identity.
 *
 * @example
 * ```ts
 * const req = toNeutralRequest(request, await readRequestBody(request), settings);
 * ```
 */
export function toNeutralRequest(
  request: AzureHttpRequest,
  body: Uint8Array,
  settings: AzureSettings,
): HttpRequest {
  return neutralRequest(request, body, settings, identityFromPrincipal);
}

export { clientIp, readRequestBody, splitUrl, stripPrefix } from './neutral-request.ts';
