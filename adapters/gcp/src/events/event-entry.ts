import type {
  HttpFunction as FrameworkHttpFunction,
  Request,
  Response,
} from '@google-cloud/functions-framework';
import { HttpHeaders, InvalidEventError } from '@polycloud/core';
import type { AppRuntime, CompiledFunction, FunctionDefinition } from '@polycloud/core/adapter';
import { toError } from '@polycloud/core/adapter';
import { invocationInit } from '../http/http-entry.ts';
import { bodyAtHand, headerPairs, readBody } from '../http/request.ts';
import { writeJson } from '../http/response.ts';
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
  const handleBody = (req: Request, res: Response, body: Uint8Array): Promise<void> | undefined => {
    let input: NativeInput;
    let event: unknown;
    try {
      input = readNativeInput(new HttpHeaders(headerPairs(req)), body);
      if (input.type === 'invoke') {
        if (input.function !== fn.name)
          throw new InvalidEventError(
            `this is ${fn.name}, not ${input.function}`,
            'body.polycloud:invoke.function',
          );
      } else event = neutralEvent(fn.def, input, req.executionId ?? '');
    } catch (error) {
      if (error instanceof InvalidEventError) {
        runtime.log.warn('rejected invalid event', { function: fn.name, error: error.message });
        writeJson(res, 400, { error: error.message });
      } else {
        runtime.log.error('could not read the event', { function: fn.name, error: toError(error) });
        writeJson(res, 500, { error: 'Internal Server Error' });
      }
      return undefined;
    }
    const raw: GcpEventRaw = { provider: 'gcp', req, res, input };
    const init = invocationInit(runtime, fn, req, options, raw, idOf(input, event));
    if (input.type === 'invoke') {
      return runtime.invokeByName(fn.name, input.payload, init).then(
        (result) => writeJson(res, result === undefined ? 204 : 200, result),
        () => failed(res),
      );
    }
    let out: unknown;
    try {
      out = runtime.dispatch(fn, event, init);
    } catch {
      failed(res);
      return undefined;
    }
    if (out instanceof Promise)
      return out.then(
        () => writeJson(res, 204, undefined),
        () => failed(res),
      );
    writeJson(res, 204, undefined);
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
        runtime.log.error('could not read the event', { function: fn.name, error: toError(error) });
        writeJson(res, 500, { error: 'Internal Server Error' });
      },
    );
  };
}

/** The runtime already logged the handler's error with the message id; the body never carries it. */
function failed(res: Response): void {
  writeJson(res, 500, { error: 'Internal Server Error' });
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
