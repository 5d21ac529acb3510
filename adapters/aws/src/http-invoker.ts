import {
  type AppRuntime,
  type CompiledFunction,
  errorResponse,
  type HttpRequest,
  type HttpResponse,
  InvalidEventError,
} from '@polycloud/core';
import type { Context as LambdaContext } from 'aws-lambda';
import { isObject, type JsonObject } from './event-shape.ts';
import type { HttpShape } from './http-shape.ts';
import { httpShapeOf } from './http-shapes.ts';
import { invocationInit } from './lambda-context.ts';
import { oversizedResponseBytes } from './response-limit.ts';
import { unmatchedEvent } from './unmatched-event.ts';

/**
 * An http function's Lambda handler: the front door is detected per event (one function may sit
 * behind API Gateway and a Function URL at once) and answered in that front door's shape. A malformed
 * request of a known shape is a 400 in that shape; handler errors are clean 500s, never a thrown error
 * that API Gateway would turn into a 502 (PEER-BUGS #11). Synchronous when the handler is: the Lambda
 * entry point wraps the answer in its one promise.
 */
export function httpInvoker(runtime: AppRuntime, fn: CompiledFunction) {
  return (event: unknown, context: LambdaContext): JsonObject | Promise<JsonObject> => {
    const shape = isObject(event) ? httpShapeOf(event) : undefined;
    if (!shape) throw unmatchedEvent(fn, event);
    const ev = event as JsonObject;
    const init = invocationInit(event, context);
    let request: HttpRequest;
    try {
      request = shape.toRequest(ev);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      runtime.log.warn('rejected malformed request', {
        function: fn.name,
        requestId: init.requestId,
        error: error.message,
      });
      return answer(runtime, fn, shape, ev, errorResponse(400, error.message), init.requestId);
    }
    const response = runtime.dispatchHttp(request, init, fn);
    return response instanceof Promise
      ? response.then((r) => answer(runtime, fn, shape, ev, r, init.requestId))
      : answer(runtime, fn, shape, ev, response, init.requestId);
  };
}

/** The response in the front door's shape; one over the front door's limit becomes a logged 500. */
function answer(
  runtime: AppRuntime,
  fn: CompiledFunction,
  shape: HttpShape,
  event: JsonObject,
  response: HttpResponse,
  requestId: string | undefined,
): JsonObject {
  const payload = shape.toResponse(response, event);
  const bytes = oversizedResponseBytes(payload, shape.responseLimit);
  if (bytes === undefined) return payload;
  runtime.log.error(
    `response of ${bytes} bytes exceeds ${shape.responseLimit.name} (${shape.responseLimit.bytes} bytes); answered 500 instead of a truncated body`,
    { function: fn.name, requestId, status: response.status, responseBytes: bytes },
  );
  return shape.toResponse(errorResponse(500, 'Internal Server Error'), event);
}
