import { HttpRequest } from '@polycloud/core';
import { isObject, type JsonObject } from '../events/records-source.ts';
import { identityFromRequestContext } from './identity.ts';
import type { HttpShape } from './payload-shape.ts';
import {
  lambdaBody,
  multiValueRequestHeaders,
  requestHeaders,
  requireMethod,
  requirePath,
  stringOrUndefined,
} from './request-fields.ts';
import { encodeResponseBody } from './response-body.ts';
import { LAMBDA_LIMIT } from './response-limit.ts';
import { decodedQuery, encodeDecodedPath } from './rest-fields.ts';

/** API Gateway REST API (Lambda proxy integration, payload format 1.0). */
export const apigwV1: HttpShape = {
  name: 'apigw-v1',
  responseLimit: LAMBDA_LIMIT,
  matches(event) {
    const rc = event.requestContext;
    // Detected by httpMethod + a REST requestContext, never by `rawPath`: a REST API behind a
    // base-path mapping has been seen carrying `rawPath` and peers then misread it as v2 (PEER-BUGS #2).
    return (
      typeof event.httpMethod === 'string' &&
      isObject(rc) &&
      !isObject(rc.elb) &&
      event.version !== '2.0' &&
      // WebSocket events and authorizer requests reuse this shape but are not HTTP requests.
      rc.connectionId === undefined &&
      rc.eventType === undefined &&
      event.methodArn === undefined
    );
  },
  toRequest(event) {
    const rc = event.requestContext as JsonObject;
    const identity = isObject(rc.identity) ? rc.identity : undefined;
    const host = headerValue(event.headers, 'host') ?? stringOrUndefined(rc.domainName);
    return new HttpRequest({
      method: requireMethod(event.httpMethod, 'httpMethod'),
      // REST hands the path over decoded: re-encode it so core decodes each segment exactly once.
      rawPath: encodeDecodedPath(routePath(event)),
      query: decodedQuery(
        event.multiValueQueryStringParameters,
        event.queryStringParameters,
        'queryStringParameters',
      ),
      // multiValueHeaders keeps every repeated header; `headers` holds only the last value of each.
      headers:
        event.multiValueHeaders === undefined || event.multiValueHeaders === null
          ? requestHeaders(event.headers, 'headers')
          : multiValueRequestHeaders(event.multiValueHeaders),
      body: lambdaBody(event.body, event.isBase64Encoded),
      ip: stringOrUndefined(identity?.sourceIp),
      identity: identityFromRequestContext(rc),
      origin: host ? `https://${host}` : undefined,
    });
  },
  toResponse(response) {
    const out: JsonObject = {
      statusCode: response.status,
      headers: response.headers,
      ...encodeResponseBody(response),
    };
    // REST API merges multiValueHeaders into the response: the only way to send several Set-Cookie.
    if (response.cookies.length > 0) out.multiValueHeaders = { 'set-cookie': response.cookies };
    return out;
  },
};

/**
 * The path relative to the API: `path` carries a custom domain's base-path mapping (`/v1/todos/1`)
 * or, on some front doors, the stage, while `resource` + `pathParameters` are relative to the API.
 * The prefix is dropped only when the two agree on the rest of the path.
 */
function routePath(event: JsonObject): string {
  const path = requirePath(event.path, 'path');
  const resource = event.resource;
  if (typeof resource !== 'string' || !resource.startsWith('/')) return path;
  const params = isObject(event.pathParameters) ? event.pathParameters : {};
  let complete = true;
  const relative = resource.replace(/\{([^}]+?)\+?\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== 'string') complete = false;
    return typeof value === 'string' ? value : '';
  });
  if (!complete || relative === path) return path;
  return path.endsWith(relative) ? relative : path;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  for (const key in headers) {
    if (key.toLowerCase() === name) {
      const v = headers[key];
      return typeof v === 'string' ? v : undefined;
    }
  }
  return undefined;
}
