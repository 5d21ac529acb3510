/**
 * API Gateway HTTP API (payload v2.0) events as a browser-facing API receives them: 14 headers, 3
 * cookies, a JWT authorizer's context and a repeated query key. The shape follows the payload in
 * AWS's "Working with AWS Lambda proxy integrations for HTTP APIs" (format 2.0) and the JWT
 * authorizer's `requestContext.authorizer.jwt` { claims, scopes }.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

const HOST = 'r3pmxmplak.execute-api.us-east-1.amazonaws.com';

export function apigwV2Event(
  method: string,
  rawPath: string,
  body?: string,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-encoding': 'gzip, deflate, br',
    'accept-language': 'en-GB,en;q=0.9',
    authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJl',
    'content-length': String(body === undefined ? 0 : Buffer.byteLength(body)),
    host: HOST,
    origin: 'https://app.example.com',
    referer: 'https://app.example.com/items',
    'user-agent':
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
    'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  else headers['if-none-match'] = 'W/"2a-0f3e"';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: 'include=tags&include=owner&limit=20',
    cookies: ['session=s%3A9f8e7d6c', 'theme=dark', 'consent=analytics%2Cads'],
    headers,
    queryStringParameters: { include: 'tags,owner', limit: '20' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'r3pmxmplak',
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: {
            sub: 'user-123',
            iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example',
            aud: 'client-abc',
            scope: 'items/read items/write',
            exp: '1796601600',
            iat: '1796598000',
          },
          scopes: ['items/read', 'items/write'],
        },
      },
      domainName: HOST,
      domainPrefix: 'r3pmxmplak',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: headers['user-agent']!,
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage: '$default',
      time: '07/Dec/2026:03:00:00 +0000',
      timeEpoch: 1_796_598_000_000,
    },
    body,
    isBase64Encoded: false,
  };
}
