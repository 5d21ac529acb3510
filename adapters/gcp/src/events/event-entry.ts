import type {
  HttpFunction as FrameworkHttpFunction,
  Request,
  Response,
} from '@google-cloud/functions-framework';
import { HttpHeaders, InvalidEventError } from '@polycloud/core';
import {
  type AppRuntime,
  BodyTooLargeError,
  bindFunction,
  type CompiledFunction,
  type EventOutcome,
  type FunctionDefinition,
  jsonResponse,
  refuseBodyTooLarge,
  rejectionResponse,
  toError,
  writeNodeResponse,
} from '@polycloud/core/adapter';
import { eventForInvoke } from '@polycloud/core/clients/invoke-envelope';
import { bodyAtHand, readBody, requestHeaderPairs } from '../http/request.ts';
import { invocationInit, requestIdOf } from '../invocation.ts';
import type { ResolvedGcpOptions } from '../options.ts';
import type { GcpEventRaw } from '../raw.ts';
import type { NativeInput } from './native-input.ts';
import { readNativeInput } from './native-input.ts';
import { messageFromCloudEvent, messageFromPush } from './pubsub.ts';
import { scheduleEventFrom } from './schedule.ts';
import { storageEventFromCloudEvent } from './storage.ts';
import { messageFromTask } from './tasks.ts';

/**
 * The framework handler of one queue/topic/storage/schedule/event function. Registered with
 * http(), not cloudEvent(): a cloudEvent handler has no response object, and whatever it throws
 * the framework answers 500 — an envelope missing its attributes could never be a 400. Here:
 * 204 handled, 400 malformed (named), 500 handler failed — every non-2xx makes Pub/Sub and
 * Eventarc redeliver, so a failed message is never acknowledged. As for http functions, a
 * synchronous handler is answered in the calling tick without a promise (each one costs about a
 * microsecond inside the framework's domain); a promise is returned only when the answer is
 * asynchronous, and it never rejects.
 */
export function eventEntry(
  runtime: AppRuntime,
  fn: CompiledFunction,
  options: ResolvedGcpOptions,
): FrameworkHttpFunction {
  const runner = bindFunction(runtime, fn);
  const handleBody = (req: Request, res: Response, body: Uint8Array): Promise<void> | undefined => {
    let input: NativeInput | undefined;
    let event: unknown;
    const translate = (): unknown => {
      input = readNativeInput(new HttpHeaders(requestHeaderPairs(req)), body);
      if (input.type !== 'invoke') {
        event = neutralEvent(fn.def, input, req.executionId ?? '');
        return event;
      }
      // FunctionClient.invoke: the payload becomes this function's neutral event, as on every provider.
      if (input.function !== fn.name)
        throw new InvalidEventError(
          `this is ${fn.name}, not ${input.function}`,
          'body.polycloud:invoke.function',
        );
      return eventForInvoke(
        fn.name,
        fn.def,
        input.payload,
        requestIdOf(req, undefined) ?? req.executionId ?? '',
      );
    };
    const init = () => {
      const raw: GcpEventRaw = { provider: 'gcp', req, res, input: input! };
      return invocationInit(runtime, fn, req, options, raw, idOf(input!, event));
    };
    const answer = (outcome: EventOutcome): void => {
      if (outcome.outcome === 'rejected') writeNodeResponse(res, rejectionResponse(outcome));
      // The runtime already logged the handler's error with the message id; the body never carries it.
      else if (outcome.outcome === 'failed') writeJson(res, 500, { error: 'Internal Server Error' });
      else if (
        // Stryker disable next-line OptionalChaining: a handled outcome means translate() ran, so input is set
        input?.type === 'invoke'
      )
        writeJson(res, outcome.value === undefined ? 204 : 200, outcome.value);
      else writeJson(res, 204, undefined);
    };
    const outcome = runner.event(translate, init);
    if (outcome instanceof Promise) return outcome.then(answer);
    answer(outcome);
    return undefined;
  };
  return (req, res) => {
    if (req.method !== 'POST') {
      writeJson(res, 405, { error: 'Method Not Allowed' }, { allow: 'POST' });
      return undefined;
    }
    const body = bodyAtHand(req);
    if (body) return handleBody(req, res, body);
    // Only a body sent without Content-Type is still in the stream.
    return readBody(req).then(
      (read) => handleBody(req, res, read),
      (error: unknown) => {
        if (error instanceof BodyTooLargeError) return refuseBodyTooLarge(res, error.limit);
        runtime.log.error('could not read the event', { function: fn.name, error: toError(error) });
        writeJson(res, 500, { error: 'Internal Server Error' });
      },
    );
  };
}

/** Native input → the neutral event the function's kind takes. */
export function neutralEvent(def: FunctionDefinition, input: NativeInput, executionId: string): unknown {
  switch (def.kind) {
    case 'queue':
    case 'topic': {
      const source = def.kind === 'queue' ? def.queue : def.topic;
      if (input.type === 'cloudevent') return messageFromCloudEvent(input.event, source);
      if (input.type === 'push') return messageFromPush(input.body, source);
      if (input.type === 'task') return messageFromTask(input.headers, input.body);
      throw new InvalidEventError(
        `a ${def.kind} function takes Pub/Sub messages or Cloud Tasks tasks`,
        'body',
      );
    }
    case 'storage':
      if (input.type === 'cloudevent') return storageEventFromCloudEvent(input.event);
      throw new InvalidEventError('a storage function takes Cloud Storage CloudEvents', 'body');
    case 'schedule':
      return scheduleEventFrom(input, def.name, executionId);
    case 'event':
      if (input.type === 'cloudevent') return input.event;
      throw new InvalidEventError('an event function takes CloudEvents', 'body');
    case 'http':
      throw new TypeError('http functions have their own entry');
  }
}

function idOf(input: NativeInput, event: unknown): string | undefined {
  if (input.type === 'cloudevent') return input.event.id;
  if (event && typeof event === 'object' && 'id' in event && typeof event.id === 'string') return event.id;
  return undefined;
}

/** A JSON answer (or none, when `value` is undefined) with the status Pub/Sub and Eventarc act on. */
function writeJson(res: Response, status: number, value: unknown, headers?: Record<string, string>): void {
  writeNodeResponse(res, jsonResponse(status, value, headers));
}
