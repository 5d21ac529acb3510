import type { JsonObject } from '../events/records-source.ts';
import { isFunctionUrlDomain, isPayloadV2, requestFromPayloadV2, responseForPayloadV2 } from './apigw-v2.ts';
import type { HttpShape } from './payload-shape.ts';
import { LAMBDA_LIMIT } from './response-limit.ts';

/**
 * Lambda Function URLs: payload 2.0 on a `*.lambda-url.<region>.on.aws` domain. No stages, no
 * multi-value headers (repeats arrive comma-joined, Set-Cookie goes out in `cookies`), identity only
 * from AWS_IAM auth (`authorizer.iam`; an empty `iam` object means auth type NONE).
 */
export const functionUrl: HttpShape = {
  name: 'function-url',
  responseLimit: LAMBDA_LIMIT,
  matches(event) {
    return isPayloadV2(event) && isFunctionUrlDomain(event.requestContext as JsonObject);
  },
  toRequest(event) {
    return requestFromPayloadV2(event, (rawPath) => rawPath);
  },
  toResponse(response) {
    return responseForPayloadV2(response);
  },
};
