/**
 * How a response body travels in Lambda's JSON envelope, and where the size limits cut, from AWS's docs:
 * - the response `body` is a string, `isBase64Encoded: true` when it carries binary content
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response);
 * - a synchronous invocation's response payload is at most 6 MB (6,291,556 bytes) of serialised JSON
 *   (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); an ALB Lambda target's
 *   response at most 1 MB (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html).
 */
import { defineApp, type HttpRequest, http } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { LAMBDA_LIMIT, oversizedResponseBytes } from '../../src/http/response-limit.ts';
import { ALB_RESPONSE_LIMIT_BYTES, createLambda, LAMBDA_RESPONSE_LIMIT_BYTES } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { type HttpFrontDoor, nativeHttpEvent } from '../support/native-http.ts';

type Json = Record<string, any>;

function setup(answer: (req: HttpRequest) => unknown) {
  const logs: Json[] = [];
  const app = defineApp({ functions: { web: http('ANY /*', answer as never) } });
  const lambda = createLambda(app, { logWriter: (line) => logs.push(JSON.parse(line)) });
  const call = async (door: HttpFrontDoor) =>
    (await lambda.handler('web')(
      nativeHttpEvent(door, { method: 'GET', path: '/x' }, 'r'),
      lambdaContext(),
    )) as Json;
  return { call, logs };
}

describe('response bodies in the envelope', () => {
  it('bytes handed over as a view into a larger buffer go out as exactly those bytes', async () => {
    const whole = new TextEncoder().encode('HEADER|héllo wörld|TRAILER');
    const view = whole.subarray(7, 7 + new TextEncoder().encode('héllo wörld').length);
    const { call } = setup(() => ({
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: view,
    }));
    for (const door of ['apigw-v2', 'apigw-v1', 'function-url', 'alb'] as const) {
      const res = await call(door);
      expect(res.isBase64Encoded, door).toBe(false);
      expect(res.body, door).toBe('héllo wörld');
    }
  });
  it('binary bytes from a view go out base64 as exactly those bytes', async () => {
    const whole = new Uint8Array([9, 9, 0x89, 0x50, 0x4e, 0x47, 9]);
    const { call } = setup(() => ({
      status: 200,
      headers: { 'content-type': 'image/png' },
      body: whole.subarray(2, 6),
    }));
    const res = await call('apigw-v2');
    expect(res).toMatchObject({
      isBase64Encoded: true,
      body: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64'),
    });
  });
  it('an empty body is the empty string and not marked base64, whatever the content type', async () => {
    for (const type of ['image/png', 'text/plain']) {
      const { call } = setup(() => ({
        status: 204,
        headers: { 'content-type': type },
        body: new Uint8Array(0),
      }));
      for (const door of ['apigw-v2', 'apigw-v1', 'alb'] as const) {
        const res = await call(door);
        expect(res.body, `${door} ${type}`).toBe('');
        expect(res.isBase64Encoded, `${door} ${type}`).toBe(false);
      }
    }
  });
});

describe('the response size limits', () => {
  it('a text body that grows six-fold when JSON-escaped (control characters) is measured, not waved through', async () => {
    // 100 characters over limit/6: under 6 MB as characters, over it as Lambda's JSON (\u0001 is 6 bytes).
    const body = '\u0001'.repeat(Math.ceil(LAMBDA_RESPONSE_LIMIT_BYTES / 6) + 100);
    const { call, logs } = setup(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body }));
    const res = await call('apigw-v2');
    expect(res.statusCode).toBe(500);
    expect(logs.find((l) => l.level === 'ERROR')?.message).toMatch(
      /^response of \d+ bytes exceeds Lambda's 6 MB response payload limit \(6291556 bytes\); answered 500 instead of a truncated body$/,
    );
  });
  it('large headers count too: a body just under the limit with 64 KB of headers is over it', async () => {
    const body = 'a'.repeat(LAMBDA_RESPONSE_LIMIT_BYTES - 40_000);
    const headers = { 'content-type': 'text/plain', 'x-big': 'b'.repeat(64 * 1024) };
    const { call, logs } = setup(() => ({ status: 200, headers, body }));
    expect((await call('apigw-v2')).statusCode).toBe(500);
    expect(logs.find((l) => l.level === 'ERROR')).toMatchObject({ function: 'web', status: 200 });
  });
  it('the log line carries the function, request id, handler status and measured size', async () => {
    const body = 'z'.repeat(ALB_RESPONSE_LIMIT_BYTES);
    const { call, logs } = setup(() => ({ status: 201, headers: { 'content-type': 'text/plain' }, body }));
    expect((await call('alb')).statusCode).toBe(500);
    const line = logs.find((l) => l.level === 'ERROR')!;
    expect(line).toMatchObject({ function: 'web', status: 201 });
    expect(line.responseBytes).toBeGreaterThan(ALB_RESPONSE_LIMIT_BYTES);
    expect(line.message).toBe(
      `response of ${line.responseBytes} bytes exceeds ALB's 1 MB limit on a Lambda target's response (${ALB_RESPONSE_LIMIT_BYTES} bytes); answered 500 instead of a truncated body`,
    );
  });
  it('exactly at the limit passes; one byte over does not', () => {
    // '{"body":"…"}' is the body plus 11 bytes.
    const at = { body: 'x'.repeat(LAMBDA_RESPONSE_LIMIT_BYTES - 11) };
    expect(oversizedResponseBytes(at, LAMBDA_LIMIT)).toBeUndefined();
    const over = { body: 'x'.repeat(LAMBDA_RESPONSE_LIMIT_BYTES - 10) };
    expect(oversizedResponseBytes(over, LAMBDA_LIMIT)).toBe(LAMBDA_RESPONSE_LIMIT_BYTES + 1);
  });
  it('a payload without a string body is never measured as oversized', () => {
    expect(oversizedResponseBytes({}, LAMBDA_LIMIT)).toBeUndefined();
    expect(oversizedResponseBytes({ body: null }, LAMBDA_LIMIT)).toBeUndefined();
  });
});
