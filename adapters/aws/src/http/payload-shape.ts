import type { HttpRequest, HttpResponse } from '@polycloud/core';
import type { JsonObject } from '../events/records-source.ts';
import type { ResponseLimit } from './response-limit.ts';

/** One of Lambda's HTTP front doors: how to recognise its event, read it, and answer in its shape. */
export interface HttpShape {
  /** Capability-matrix name: `apigw-v1`, `apigw-v2`, `function-url`, `alb`. */
  readonly name: string;
  /** The largest response this front door passes on. */
  readonly responseLimit: ResponseLimit;
  matches(event: JsonObject): boolean;
  /** Throws InvalidEventError (answered 400 in this shape) when a field has the wrong type. */
  toRequest(event: JsonObject): HttpRequest;
  toResponse(response: HttpResponse, event: JsonObject): JsonObject;
}
