/**
 * Builds the native Lambda event each HTTP front door sends for a neutral request, and reads the
 * native response back, as a client behind that front door would see it. Shapes follow AWS's
 * documented payloads and the captured fixtures in test/fixtures/aws.
 */
import type { NeutralHttpRequest, ObservedHttpResponse } from '@polycloud/testing';

export type HttpFrontDoor = 'apigw-v1' | 'apigw-v2' | 'function-url' | 'alb' | 'alb-multi';

const CLIENT_IP = '203.0.113.7';
const REQUEST_TIME = 1_772_600_000_000;

function textOrBase64(body: Uint8Array | undefined): { body: string | null; isBase64Encoded: boolean } {
  if (!body || body.length === 0) return { body: null, isBase64Encoded: false };
  try {
    return { body: new TextDecoder('utf-8', { fatal: true }).decode(body), isBase64Encoded: false };
  } catch {
    return { body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
  }
}

function safeDecodeURI(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** What a client puts on the wire: each key and value percent-encoded. */
function rawQuery(query: [string, string][] | undefined): string {
  return (query ?? []).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function grouped(pairs: [string, string][]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of pairs) {
    out[k] ??= [];
    out[k].push(v);
  }
  return out;
}

function lastValues(multi: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v.at(-1)!]));
}

export function nativeHttpEvent(
  door: HttpFrontDoor,
  req: NeutralHttpRequest,
  requestId: string,
): Record<string, unknown> {
  const headers = req.headers ?? [];
  switch (door) {
    case 'apigw-v1': {
      const multiHeaders = grouped(headers);
      const decodedQuery = (req.query ?? []).map(([k, v]) => [k, v] as [string, string]);
      const multiQuery = grouped(decodedQuery);
      // REST hands Lambda a decoded path; the stage is only in requestContext.path.
      const path = req.path
        .split('/')
        .map((s) => decodeURIComponent(s))
        .join('/');
      return {
        resource: '/{proxy+}',
        path,
        httpMethod: req.method,
        headers: { Host: 'abc123.execute-api.us-east-1.amazonaws.com', ...lastValues(multiHeaders) },
        multiValueHeaders: { Host: ['abc123.execute-api.us-east-1.amazonaws.com'], ...multiHeaders },
        queryStringParameters: decodedQuery.length ? lastValues(multiQuery) : null,
        multiValueQueryStringParameters: decodedQuery.length ? multiQuery : null,
        pathParameters: { proxy: path.slice(1) },
        stageVariables: null,
        requestContext: {
          accountId: '123456789012',
          apiId: 'abc123',
          resourceId: 'r1',
          resourcePath: '/{proxy+}',
          httpMethod: req.method,
          path: `/prod${path}`,
          stage: 'prod',
          protocol: 'HTTP/1.1',
          requestId,
          requestTimeEpoch: REQUEST_TIME,
          domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
          identity: { sourceIp: CLIENT_IP, userAgent: 'contract', userArn: null, accessKey: null },
        },
        ...textOrBase64(req.body),
      };
    }
    case 'apigw-v2':
    case 'function-url': {
      const url = door === 'function-url';
      const domain = url
        ? 'abc123.lambda-url.us-east-1.on.aws'
        : 'abc123.execute-api.us-east-1.amazonaws.com';
      const v2Headers: Record<string, string> = { host: domain };
      const cookies: string[] = [];
      for (const [name, value] of headers) {
        const key = name.toLowerCase();
        // Payload 2.0 moves Cookie into `cookies` and joins other repeated headers with ",".
        if (key === 'cookie')
          cookies.push(
            ...value
              .split(';')
              .map((c) => c.trim())
              .filter(Boolean),
          );
        else v2Headers[key] = key in v2Headers && key !== 'host' ? `${v2Headers[key]},${value}` : value;
      }
      // A named stage on the execute-api endpoint prefixes rawPath (PEER-BUGS #2).
      const stage = url ? '$default' : 'live';
      const rawPath = url ? req.path : `/${stage}${req.path}`;
      const event: Record<string, unknown> = {
        version: '2.0',
        routeKey: url ? '$default' : 'ANY /{proxy+}',
        rawPath,
        rawQueryString: rawQuery(req.query),
        headers: v2Headers,
        requestContext: {
          accountId: '123456789012',
          apiId: 'abc123',
          domainName: domain,
          domainPrefix: 'abc123',
          http: {
            method: req.method,
            path: safeDecodeURI(rawPath),
            protocol: 'HTTP/1.1',
            sourceIp: CLIENT_IP,
            userAgent: 'contract',
          },
          requestId,
          routeKey: url ? '$default' : 'ANY /{proxy+}',
          stage,
          time: '04/Mar/2026:05:06:07 +0000',
          timeEpoch: REQUEST_TIME,
        },
        ...textOrBase64(req.body),
      };
      if (cookies.length) event.cookies = cookies;
      if (event.body === null) delete event.body;
      return event;
    }
    case 'alb':
    case 'alb-multi': {
      const multi = door === 'alb-multi';
      const lower = headers.map(([k, v]) => [k.toLowerCase(), v] as [string, string]);
      const multiHeaders = grouped([
        ['host', 'contract-alb.us-east-1.elb.amazonaws.com'],
        ...lower,
        ['x-forwarded-for', CLIENT_IP],
      ]);
      // ALB passes query keys and values exactly as the client encoded them.
      const encoded = (req.query ?? []).map(
        ([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)] as [string, string],
      );
      const multiQuery = grouped(encoded);
      const event: Record<string, unknown> = {
        requestContext: {
          elb: {
            targetGroupArn:
              'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/contract/0123456789abcdef',
          },
        },
        httpMethod: req.method,
        path: req.path,
        ...textOrBase64(req.body),
      };
      if (multi) {
        event.multiValueHeaders = multiHeaders;
        event.multiValueQueryStringParameters = multiQuery;
      } else {
        // Without multi-value mode ALB keeps the last value of a repeated header or query key.
        event.headers = lastValues(multiHeaders);
        event.queryStringParameters = lastValues(multiQuery);
      }
      if (event.body === null) event.body = '';
      return event;
    }
  }
}

/** Reads a Lambda HTTP response the way the front door turns it into an HTTP response. */
export function observeHttpResponse(door: HttpFrontDoor, raw: unknown): ObservedHttpResponse {
  const res = raw as Record<string, unknown>;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    if (key === 'set-cookie') cookies.push(value);
    else headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  };
  const single = (res.headers ?? {}) as Record<string, string>;
  const multi = (res.multiValueHeaders ?? {}) as Record<string, string[]>;
  if (door === 'alb-multi') {
    for (const [k, vs] of Object.entries(multi)) for (const v of vs) add(k, v);
  } else {
    for (const [k, v] of Object.entries(single)) add(k, v);
    // REST merges multiValueHeaders over headers.
    for (const [k, vs] of Object.entries(multi)) for (const v of vs) add(k, v);
  }
  if (door === 'apigw-v2' || door === 'function-url')
    for (const c of (res.cookies ?? []) as string[]) cookies.push(c);
  const body = typeof res.body === 'string' ? res.body : '';
  return {
    status: res.statusCode as number,
    headers,
    cookies,
    body: res.isBase64Encoded ? new Uint8Array(Buffer.from(body, 'base64')) : new TextEncoder().encode(body),
  };
}

/** A request of this front door's shape whose body claims base64 but is not. */
export function malformedHttpEvent(door: HttpFrontDoor, requestId: string): Record<string, unknown> {
  const event = nativeHttpEvent(door, { method: 'POST', path: '/echo/malformed' }, requestId);
  event.body = '%%% not base64 %%%';
  event.isBase64Encoded = true;
  return event;
}
