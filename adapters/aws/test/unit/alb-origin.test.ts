/**
 * ALB front door: the request URL's scheme and port come from X-Forwarded-Proto and X-Forwarded-Port,
 * which ALB sets to the client's connection to the listener ("X-Forwarded-Proto identifies the protocol
 * (HTTP or HTTPS) that a client used to connect to your load balancer"; "X-Forwarded-Port identifies
 * the destination port that the client used" — AWS, Elastic Load Balancing, Application Load
 * Balancers, "HTTP headers and Application Load Balancers",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/x-forwarded-headers.html).
 */
import type { HttpRequest } from '@polycloud/core';
import { defineApp, http } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';

async function urlFor(headers: Record<string, string>, multi = false): Promise<string> {
  let seen: HttpRequest | undefined;
  const app = defineApp({
    name: 'alb-origin',
    functions: {
      web: http('ANY /*', (req) => {
        seen = req;
        return { status: 204 };
      }),
    },
  });
  const lambda = createLambda(app, { logWriter: () => undefined });
  const event: Record<string, unknown> = {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1' } },
    httpMethod: 'GET',
    path: '/orders',
    queryStringParameters: { a: '1' },
    body: '',
    isBase64Encoded: false,
  };
  if (multi) event.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  else event.headers = headers;
  await lambda.handler('web')(event, lambdaContext({ functionName: 'web' }));
  return seen!.url;
}

describe('ALB request URL follows X-Forwarded-Proto and X-Forwarded-Port', () => {
  it('an HTTP listener on port 80 gives an http URL without a port', async () => {
    const url = await urlFor({ host: 'lb.example', 'x-forwarded-proto': 'http', 'x-forwarded-port': '80' });
    expect(url).toBe('http://lb.example/orders?a=1');
  });

  it('an HTTPS listener on 443 gives an https URL without a port', async () => {
    const url = await urlFor({ host: 'lb.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443' });
    expect(url).toBe('https://lb.example/orders?a=1');
  });

  it('a non-default listener port is written into the URL', async () => {
    expect(
      await urlFor({ host: 'lb.example', 'x-forwarded-proto': 'http', 'x-forwarded-port': '8080' }),
    ).toBe('http://lb.example:8080/orders?a=1');
    expect(
      await urlFor({ host: 'lb.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '8443' }, true),
    ).toBe('https://lb.example:8443/orders?a=1');
  });

  it('the default port of the other scheme is not mistaken for a default', async () => {
    expect(await urlFor({ host: 'lb.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '80' })).toBe(
      'https://lb.example:80/orders?a=1',
    );
  });

  it('a Host header that already carries a port is kept as sent', async () => {
    expect(
      await urlFor({ host: 'lb.example:8080', 'x-forwarded-proto': 'http', 'x-forwarded-port': '8080' }),
    ).toBe('http://lb.example:8080/orders?a=1');
  });

  it('multi-value mode reads the same headers', async () => {
    expect(
      await urlFor({ host: 'lb.example', 'x-forwarded-proto': 'http', 'x-forwarded-port': '80' }, true),
    ).toBe('http://lb.example/orders?a=1');
  });

  it('an unknown scheme or a non-numeric port is not trusted into the URL', async () => {
    expect(
      await urlFor({ host: 'lb.example', 'x-forwarded-proto': 'javascript', 'x-forwarded-port': 'x@evil' }),
    ).toBe('https://lb.example/orders?a=1');
  });
});
