/**
 * `req.identity` from what API Gateway or Lambda verified, per authorizer type, from AWS's documented
 * `requestContext` of each payload:
 * - HTTP API (payload 2.0) and Function URLs: `authorizer.jwt.{claims, scopes}`, `authorizer.iam.{accessKey,
 *   accountId, callerId, cognitoIdentity, principalOrgId, userArn, userId}`, `authorizer.lambda.{…context}`
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html,
 *   https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html);
 * - REST (payload 1.0): `authorizer.claims` (Cognito user pools), `authorizer.{principalId, integrationLatency,
 *   …context}` (Lambda authorizers), `identity.{accessKey, userArn, caller, sourceIp, userAgent, clientCert, …}`
 *   for AWS_IAM (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
 * Client headers (`Authorization`) never make an identity.
 */
import { defineApp, http } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { nativeHttpEvent } from '../support/native-http.ts';

type Json = Record<string, any>;

const app = defineApp({ functions: { web: http('ANY /*', (req) => ({ identity: req.identity ?? null })) } });
const lambda = createLambda(app, { logWriter: () => undefined });

async function identityOf(event: Json): Promise<unknown> {
  const res = (await lambda.handler('web')(event, lambdaContext())) as Json;
  expect(res.statusCode, JSON.stringify(res)).toBe(200);
  return JSON.parse(res.body).identity;
}
function v2(requestContext: Json): Json {
  const ev = nativeHttpEvent('apigw-v2', { method: 'GET', path: '/me' }, 'r') as Json;
  Object.assign(ev.requestContext, requestContext);
  return ev;
}
function v1(requestContext: Json): Json {
  const ev = nativeHttpEvent('apigw-v1', { method: 'GET', path: '/me' }, 'r') as Json;
  Object.assign(ev.requestContext, requestContext);
  return ev;
}

describe('HTTP API and Function URL authorizers', () => {
  it('JWT: the claims, `sub` as the subject', async () => {
    const claims = { sub: 'user-1', iss: 'https://issuer', aud: 'api', exp: '1700000000' };
    expect(await identityOf(v2({ authorizer: { jwt: { claims, scopes: ['read'] } } }))).toEqual({
      source: 'aws:jwt',
      subject: 'user-1',
      claims,
    });
  });
  it('JWT without claims is no JWT identity', async () => {
    expect(await identityOf(v2({ authorizer: { jwt: { scopes: ['read'] } } }))).toBeNull();
    expect(await identityOf(v2({ authorizer: { jwt: 'token' } }))).toBeNull();
  });
  it('IAM: the caller facts without null fields, the user ARN as the subject', async () => {
    const iam = {
      accessKey: 'AKIAEXAMPLE',
      accountId: '123456789012',
      callerId: 'AIDAEXAMPLE',
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: 'arn:aws:iam::123456789012:user/ada',
      userId: 'AIDAEXAMPLE',
    };
    expect(await identityOf(v2({ authorizer: { iam } }))).toEqual({
      source: 'aws:iam',
      subject: 'arn:aws:iam::123456789012:user/ada',
      claims: {
        accessKey: 'AKIAEXAMPLE',
        accountId: '123456789012',
        callerId: 'AIDAEXAMPLE',
        userArn: 'arn:aws:iam::123456789012:user/ada',
        userId: 'AIDAEXAMPLE',
      },
    });
  });
  it('IAM with an access key but no user ARN is an identity without a subject', async () => {
    const id = (await identityOf(v2({ authorizer: { iam: { accessKey: 'AKIA', userArn: '' } } }))) as Json;
    expect(id).toEqual({ source: 'aws:iam', claims: { accessKey: 'AKIA', userArn: '' } });
  });
  it('IAM with a user ARN and no access key (a role session federated in) is the caller too', async () => {
    const id = await identityOf(
      v2({ authorizer: { iam: { userArn: 'arn:aws:sts::1:assumed-role/r/s', accessKey: null } } }),
    );
    expect(id).toEqual({
      source: 'aws:iam',
      subject: 'arn:aws:sts::1:assumed-role/r/s',
      claims: { userArn: 'arn:aws:sts::1:assumed-role/r/s' },
    });
  });
  it('IAM with neither a user ARN nor an access key (or only empty ones) names no caller', async () => {
    expect(await identityOf(v2({ authorizer: { iam: { accountId: '1' } } }))).toBeNull();
    expect(await identityOf(v2({ authorizer: { iam: { accessKey: '', userArn: '' } } }))).toBeNull();
    expect(await identityOf(v2({ authorizer: { iam: { accessKey: 5, userArn: 6 } } }))).toBeNull();
  });
  it('Lambda authorizer: its context; principalId, else sub, as the subject', async () => {
    const withPrincipal = { principalId: 'p-1', sub: 's-1', tenant: 'acme' };
    expect(await identityOf(v2({ authorizer: { lambda: withPrincipal } }))).toEqual({
      source: 'aws:lambda-authorizer',
      subject: 'p-1',
      claims: withPrincipal,
    });
    expect(await identityOf(v2({ authorizer: { lambda: { sub: 's-1' } } }))).toEqual({
      source: 'aws:lambda-authorizer',
      subject: 's-1',
      claims: { sub: 's-1' },
    });
  });
  it('a subject that is empty or no string is left out', async () => {
    expect(await identityOf(v2({ authorizer: { lambda: { principalId: '' } } }))).toEqual({
      source: 'aws:lambda-authorizer',
      claims: { principalId: '' },
    });
    expect(await identityOf(v2({ authorizer: { jwt: { claims: { sub: 42 } } } }))).toEqual({
      source: 'aws:jwt',
      claims: { sub: 42 },
    });
  });
});

describe('REST authorizers', () => {
  it('Cognito user pool: the claims, `sub` as the subject', async () => {
    const claims = { sub: 'c-1', 'cognito:username': 'ada', email: 'ada@example.com' };
    expect(await identityOf(v1({ authorizer: { claims } }))).toEqual({
      source: 'aws:cognito',
      subject: 'c-1',
      claims,
    });
  });
  it("Lambda authorizer: principalId is the subject, the context the claims, API Gateway's integrationLatency left out", async () => {
    expect(
      await identityOf(v1({ authorizer: { principalId: 'user|9', integrationLatency: 12, tenant: 'acme' } })),
    ).toEqual({ source: 'aws:lambda-authorizer', subject: 'user|9', claims: { tenant: 'acme' } });
  });
  it('an authorizer object with nothing recognisable is no identity', async () => {
    expect(await identityOf(v1({ authorizer: { principalId: 7, integrationLatency: 0 } }))).toBeNull();
    expect(await identityOf(v1({ authorizer: 'none' }))).toBeNull();
  });
  it('AWS_IAM: the SigV4 caller from requestContext.identity, without the client address, user agent and certificate', async () => {
    const identity = {
      accessKey: 'AKIAEXAMPLE',
      accountId: '123456789012',
      caller: 'AIDAEXAMPLE',
      cognitoAuthenticationProvider: null,
      cognitoIdentityId: null,
      sourceIp: '203.0.113.7',
      userAgent: 'curl/8.0',
      clientCert: { clientCertPem: 'PEM' },
      user: 'AIDAEXAMPLE',
      userArn: 'arn:aws:iam::123456789012:user/ada',
    };
    expect(await identityOf(v1({ identity }))).toEqual({
      source: 'aws:iam',
      subject: 'arn:aws:iam::123456789012:user/ada',
      claims: {
        accessKey: 'AKIAEXAMPLE',
        accountId: '123456789012',
        caller: 'AIDAEXAMPLE',
        user: 'AIDAEXAMPLE',
        userArn: 'arn:aws:iam::123456789012:user/ada',
      },
    });
  });
  it('an unauthenticated REST request (identity with only the client address) has no identity', async () => {
    expect(
      await identityOf(v1({ identity: { sourceIp: '203.0.113.7', userAgent: 'curl', accessKey: null } })),
    ).toBeNull();
  });
  it('an authorizer that is recognised wins over requestContext.identity', async () => {
    const id = (await identityOf(
      v1({ authorizer: { claims: { sub: 'c-1' } }, identity: { userArn: 'arn:aws:iam::1:user/x' } }),
    )) as Json;
    expect(id.source).toBe('aws:cognito');
  });
  it('a client Authorization header alone is never an identity', async () => {
    const ev = v1({});
    ev.headers = { ...ev.headers, Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.' };
    expect(await identityOf(ev)).toBeNull();
  });
});
