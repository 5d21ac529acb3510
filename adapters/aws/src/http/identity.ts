import type { Identity } from '@polycloud/core';
import { isObject, type JsonObject } from '../json-object.ts';

/**
 * Identity comes only from what API Gateway or Lambda verified and put in `requestContext`: a JWT
 * authorizer's claims, IAM (SigV4) caller facts, a Lambda authorizer's context, Cognito user pool
 * claims (REST). Client headers such as `Authorization` are never trusted here.
 * @coldStart
 */
export function identityFromRequestContext(rc: unknown): Identity | undefined {
  // Stryker disable next-line ConditionalExpression: a type guard: every front door that calls this matched an object requestContext
  if (!isObject(rc)) return undefined;
  const authorizer = isObject(rc.authorizer) ? rc.authorizer : undefined;
  if (authorizer) {
    // HTTP API / Function URL (payload 2.0): one key per authorizer type.
    if (isObject(authorizer.jwt) && isObject(authorizer.jwt.claims)) {
      return withSubject('aws:jwt', authorizer.jwt.claims, authorizer.jwt.claims.sub);
    }
    if (isObject(authorizer.iam) && hasCaller(authorizer.iam)) {
      return withSubject('aws:iam', compact(authorizer.iam), authorizer.iam.userArn);
    }
    if (isObject(authorizer.lambda)) {
      const ctx = authorizer.lambda;
      return withSubject('aws:lambda-authorizer', ctx, ctx.principalId ?? ctx.sub);
    }
    // REST API (payload 1.0): Cognito user pool claims, or a Lambda authorizer's principalId + context.
    if (isObject(authorizer.claims)) {
      return withSubject('aws:cognito', authorizer.claims, authorizer.claims.sub);
    }
    if (typeof authorizer.principalId === 'string') {
      const { principalId, integrationLatency: _latency, ...context } = authorizer;
      return withSubject('aws:lambda-authorizer', context, principalId);
    }
  }
  // REST API with AWS_IAM authorization: API Gateway verified the SigV4 caller.
  if (isObject(rc.identity) && hasCaller(rc.identity)) {
    const { sourceIp: _ip, userAgent: _ua, clientCert: _cert, ...caller } = rc.identity;
    return withSubject('aws:iam', compact(caller), rc.identity.userArn);
  }
  return undefined;
}

function hasCaller(value: JsonObject): boolean {
  return (
    (typeof value.userArn === 'string' && value.userArn !== '') ||
    (typeof value.accessKey === 'string' && value.accessKey !== '')
  );
}

/** Without API Gateway's null fields (`cognitoIdentity: null`); a parsed JSON event holds no undefined. */
function compact(value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key in value) if (value[key] !== null) out[key] = value[key];
  return out;
}

/** @coldStart */
function withSubject(source: string, claims: JsonObject, subject: unknown): Identity {
  return typeof subject === 'string' && subject !== '' ? { source, subject, claims } : { source, claims };
}
