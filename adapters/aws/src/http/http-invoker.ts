import type { HttpResponse } from '@polycloud/core';
import {
  type AppRuntime,
  bindHttpFunction,
  type CompiledFunction,
  errorResponse,
  type HttpRunner,
} from '@polycloud/core/adapter';
import type { Context as LambdaContext } from 'aws-lambda';
import { invocationInit } from '../invocation.ts';
import type { Invoker, Unmatched } from '../invoker.ts';
import { isObject, type JsonObject } from '../json-object.ts';
import { apigwV2 } from './apigw-v2.ts';
import type { HttpShape } from './payload-shape.ts';
import { oversizedResponseBytes } from './response-limit.ts';

/**
 * An http function's Lambda handler: the front door is detected per event (one function may sit
 * behind API Gateway and a Function URL at once) and answered in that front door's shape. A malformed
 * request of a known shape is core's 400 in that shape; handler errors are core's clean 500s, never a
 * thrown error that API Gateway would turn into a 502 (PEER-BUGS #11). Synchronous inside when the
 * handler is: the only promise is the one handed to the Lambda runtime.
 *
 * The template's front door, an HTTP API (payload 2.0), is recognised with the code loaded at cold
 * start; Function URL, ALB and REST (v1) shapes are imported on the first event that is not one,
 * and from then on are recognised synchronously as well.
 * @coldStart
 */
export function httpInvoker(runtime: AppRuntime, fn: CompiledFunction, unmatched: Unmatched): Invoker {
  const runner = bindHttpFunction(runtime, fn);
  // Every other front door, imported the first time an event is not an HTTP API (v2) request.
  let otherShapes: typeof import('./payload-shapes.ts') | undefined;
  const invokeOtherShape = async (event: unknown, context: LambdaContext): Promise<unknown> => {
    otherShapes ??= await import('./payload-shapes.ts');
    const shape = isObject(event) ? otherShapes.httpShapeOf(event) : undefined;
    if (!shape) return unmatched(event, context);
    return invokeHttp(runner, shape, event as JsonObject, context);
  };
  return (event, context) => {
    try {
      let out: JsonObject | Promise<unknown>;
      // Stryker disable next-line ConditionalExpression: the cold-start fast path; HTTP_SHAPES recognises an HTTP API event the same way, after an import
      if (isObject(event) && apigwV2.matches(event)) out = invokeHttp(runner, apigwV2, event, context);
      else {
        const shape = isObject(event) ? otherShapes?.httpShapeOf(event) : undefined;
        out = shape
          ? invokeHttp(runner, shape, event as JsonObject, context)
          : invokeOtherShape(event, context);
      }
      // The one promise the Lambda runtime awaits, also when the answer was synchronous.
      return out instanceof Promise ? out : Promise.resolve(out);
    } catch (error) {
      // A safety net, never reached by a JSON event: core's runner answers every handler and translation error.
      return Promise.reject(error);
    }
  };
}

/**
 * Core's runner translates and runs: a request of a known shape that cannot be read (`toRequest`
 * throws InvalidEventError) is core's 400, logged once, before the handler runs; here it is only
 * put into the front door's shape like any other answer.
 * @coldStart
 */
function invokeHttp(
  runner: HttpRunner,
  shape: HttpShape,
  ev: JsonObject,
  context: LambdaContext,
): JsonObject | Promise<JsonObject> {
  const init = invocationInit(ev, context);
  const response = runner.http(() => shape.toRequest(ev), init);
  return response instanceof Promise
    ? response.then((r) => answer(runner, shape, ev, r, init.requestId))
    : answer(runner, shape, ev, response, init.requestId);
}

/**
 * The response in the front door's shape; one over the front door's limit becomes a logged 500.
 * @coldStart
 */
function answer(
  runner: HttpRunner,
  shape: HttpShape,
  event: JsonObject,
  response: HttpResponse,
  requestId: string | undefined,
): JsonObject {
  const payload = shape.toResponse(response, event);
  const bytes = oversizedResponseBytes(payload, shape.responseLimit);
  if (bytes === undefined) return payload;
  runner.runtime.log.error(
    `response of ${bytes} bytes exceeds ${shape.responseLimit.name} (${shape.responseLimit.bytes} bytes); answered 500 instead of a truncated body`,
    { function: runner.fn.name, requestId, status: response.status, responseBytes: bytes },
  );
  return shape.toResponse(errorResponse(500, 'Internal Server Error'), event);
}
