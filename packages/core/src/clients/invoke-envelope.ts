import { utf8 } from '../bytes.ts';
import { FunctionInvokeError } from '../client-errors.ts';
import type { CloudEvent } from '../cloud-event.ts';
import { HttpRequest } from '../http-request.ts';
import { type HttpResponse, isBinaryBody, responseBytes, responseText } from '../http-response.ts';
import type { FunctionDefinition } from '../kinds.ts';
import { Message } from '../message.ts';
import { parseJson } from '../safe-json.ts';
import type { ScheduleEvent } from '../schedule-event.ts';
import type { StorageEvent } from '../storage-event.ts';

/**
 * The portable meaning of `FunctionClient.invoke(name, payload)`: the payload becomes the target's
 * neutral event. An http target receives a POST (or its only method) with the payload as JSON body;
 * `:param`s in its route are filled from same-named string fields of the payload. A queue or topic
 * target receives a Message, an event target a CloudEvent of type `polycloud.invoke`.
 */
export function eventForInvoke(name: string, def: FunctionDefinition, payload: unknown, id: string): unknown {
  const body = payload === undefined ? new Uint8Array(0) : utf8(JSON.stringify(payload));
  switch (def.kind) {
    case 'http': {
      const fields =
        typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
      const rawPath = def.route.path
        .split('/')
        .map((s) =>
          s.startsWith(':')
            ? encodeURIComponent(String(fields[s.slice(1)] ?? s.slice(1)))
            : s === '*'
              ? ''
              : s,
        )
        .join('/');
      const method = def.route.methods.length === 1 ? def.route.methods[0]! : 'POST';
      return new HttpRequest({
        method,
        rawPath, // never empty: a route's path starts with "/"
        headers: { 'content-type': 'application/json', 'x-polycloud-invoke': name },
        body,
      });
    }
    case 'queue':
    case 'topic':
      return new Message({
        id,
        body,
        source: def.kind === 'queue' ? def.queue : def.topic,
        contentType: 'application/json',
        enqueuedAt: new Date(),
      });
    case 'event':
      return {
        specversion: '1.0',
        id,
        source: 'polycloud',
        type: def.types[0] ?? 'polycloud.invoke',
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        data: payload,
      } satisfies CloudEvent;
    case 'schedule':
      return {
        id,
        name: def.name,
        scheduledTime: new Date(),
        isPastDue: false,
        raw: payload,
      } satisfies ScheduleEvent;
    case 'storage': {
      const p = (payload ?? {}) as Partial<StorageEvent>;
      return {
        id,
        type: p.type ?? 'created',
        bucket: p.bucket ?? def.bucket,
        key: String(p.key ?? ''),
        raw: payload,
      } satisfies StorageEvent;
    }
  }
}

/**
 * Reads what an http target answered: JSON as a value, text as a string, bytes otherwise; >= 400
 * throws a FunctionInvokeError. A success whose JSON does not parse is the target's fault: a
 * FunctionInvokeError `InvalidResponse` (as on AWS), never an InvalidEventError, which the caller's
 * own http function would answer its client as a 400.
 */
export function resultFromHttpResponse(name: string, response: HttpResponse): unknown {
  const failed = response.status >= 400;
  const value = responseValue(name, response, failed);
  if (failed) {
    const error =
      typeof value === 'object' && value !== null && 'error' in value
        ? (value as { error: unknown }).error
        : value;
    throw new FunctionInvokeError(name, `HttpError${response.status}`, errorText(error), response.status);
  }
  return value;
}

function responseValue(name: string, response: HttpResponse, failed: boolean): unknown {
  if (response.body.length === 0) return undefined;
  if (response.headers['content-type']?.includes('json')) {
    const text = responseText(response);
    try {
      return parseJson(text, 'response');
    } catch (error) {
      // An error answer keeps its text as the message.
      if (failed) return text;
      throw new FunctionInvokeError(
        name,
        'InvalidResponse',
        'the function answered with non-JSON',
        response.status,
        {
          cause: error,
        },
      );
    }
  }
  return isBinaryBody(response.headers) ? responseBytes(response) : responseText(response);
}

/**
 * The message of an error answer: polycloud's own `{ "error": "..." }` text, else the JSON the target
 * answered (`{ "message": "boom" }` as written, not `[object Object]`), else its text.
 */
function errorText(error: unknown): string {
  if (error === undefined || error === null) return '';
  if (typeof error === 'object' && !(error instanceof Uint8Array)) return JSON.stringify(error);
  return String(error);
}
