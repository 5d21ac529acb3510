import { HttpRequest, type HttpResponse, InvalidEventError } from '@polycloud/core';
import { isBinaryBody } from '@polycloud/core/adapter';
import { isObject, type JsonObject } from '../json-object.ts';
import { identityFromRequestContext } from './identity.ts';
import type { HttpShape } from './payload-shape.ts';
import {
  lambdaBody,
  requestHeaders,
  requireMethod,
  requirePath,
  stringOrUndefined,
} from './request-fields.ts';
import { encodeResponseBody } from './response-body.ts';
import { LAMBDA_LIMIT } from './response-limit.ts';

/** @coldStart */
export function isPayloadV2(event: JsonObject): boolean {
  const rc = event.requestContext;
  // Authorizer requests share payload 2.0 but carry `routeArn` and `type`.
  return event.version === '2.0' && isObject(rc) && isObject(rc.http) && event.routeArn === undefined;
}

/** @coldStart */
export function isFunctionUrlDomain(rc: JsonObject): boolean {
  return typeof rc.domainName === 'string' && rc.domainName.includes('.lambda-url.');
}

/** @coldStart */
function isHttpApiEvent(event: JsonObject): boolean {
  return isPayloadV2(event) && !isFunctionUrlDomain(event.requestContext as JsonObject);
}

/** @coldStart */
function requestFromHttpApi(event: JsonObject): HttpRequest {
  return requestFromPayloadV2(event, stripStage);
}

/**
 * Payload 2.0 is shared by HTTP APIs and Function URLs; only the path rule differs.
 * @coldStart
 */
export function requestFromPayloadV2(
  event: JsonObject,
  pathOf: (rawPath: string, rc: JsonObject) => string,
): HttpRequest {
  const rc = event.requestContext as JsonObject;
  const http = rc.http as JsonObject;
  const rawQuery = event.rawQueryString;
  if (rawQuery !== undefined && rawQuery !== null && typeof rawQuery !== 'string') {
    throw new InvalidEventError('must be a string', 'rawQueryString');
  }
  const host = stringOrUndefined(rc.domainName);
  // v2 joins repeated headers with "," and moves Cookie into `cookies`.
  const headers = requestHeaders(event.headers, 'headers', event.cookies);
  return new HttpRequest({
    method: requireMethod(http.method, 'requestContext.http.method'),
    // rawPath keeps the client's percent-encoding (requestContext.http.path is decoded): core decodes once.
    rawPath: pathOf(requirePath(event.rawPath ?? http.path, 'rawPath'), rc),
    query: rawQuery ?? undefined,
    headers,
    // Read as the Cookie header would be, without building the headers or re-splitting a join.
    cookies: headers?.cookies,
    body: lambdaBody(event.body, event.isBase64Encoded),
    ip: stringOrUndefined(http.sourceIp),
    identity: identityFromRequestContext(rc),
    origin: host ? `https://${host}` : undefined,
  });
}

/**
 * On the default execute-api endpoint a named stage prefixes rawPath (`/dev/todos`); routes are
 * relative to the stage (PEER-BUGS #2). A custom domain's API mapping leaves no stage in rawPath.
 * @coldStart
 */
function stripStage(rawPath: string, rc: JsonObject): string {
  const stage = rc.stage;
  if (typeof stage !== 'string' || stage === '' || stage === '$default') return rawPath;
  const domain = typeof rc.domainName === 'string' ? rc.domainName : '';
  if (domain !== '' && !domain.includes('.execute-api.') && !/^(localhost|127\.0\.0\.1)(:|$)/.test(domain)) {
    return rawPath;
  }
  const prefix = `/${stage}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : rawPath;
}

/**
 * HTTP API and Function URL responses: Set-Cookie values travel in `cookies`, one per entry.
 * @coldStart
 */
export function responseForPayloadV2(response: HttpResponse): JsonObject {
  const { status, headers, cookies, body } = response;
  // Text with a textual type, the hot path, is written straight into the payload.
  if (typeof body === 'string' && !isBinaryBody(headers)) {
    return cookies.length > 0
      ? { statusCode: status, headers, cookies, body, isBase64Encoded: false }
      : { statusCode: status, headers, body, isBase64Encoded: false };
  }
  const encoded = encodeResponseBody(response);
  return cookies.length > 0
    ? { statusCode: status, headers, cookies, body: encoded.body, isBase64Encoded: encoded.isBase64Encoded }
    : { statusCode: status, headers, body: encoded.body, isBase64Encoded: encoded.isBase64Encoded };
}

/**
 * API Gateway HTTP API (payload format 2.0), the template's front door. Its entries are top-level
 * `@coldStart` functions, not object methods: V8 compiles a method on its first call, these while it
 * parses the file (packages/cli/src/eager-compile.ts).
 */
export const apigwV2: HttpShape = {
  name: 'apigw-v2',
  responseLimit: LAMBDA_LIMIT,
  matches: isHttpApiEvent,
  toRequest: requestFromHttpApi,
  toResponse: responseForPayloadV2,
};
