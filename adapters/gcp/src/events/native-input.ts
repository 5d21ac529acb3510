import { type CloudEvent, type HttpHeaders, InvalidEventError } from '@polycloud/core';
import { fromUtf8, INVOKE_ENVELOPE_KEY, isInvokeEnvelope, parseJson } from '@polycloud/core/adapter';
import { cloudEventFromHttp, decodeCloudEventData } from '@polycloud/core/cloud-events';
import { fromLegacyEvent, isLegacyEvent } from './legacy-event.ts';
import { fromStructuredObject } from './structured-cloud-event.ts';

/** A Pub/Sub push subscription's own body (no Eventarc in between, e.g. the emulator). */
export interface PushBody {
  message: Record<string, unknown>;
  subscription?: string;
  deliveryAttempt?: number;
}

/** What arrived at a non-http function, before it becomes the function's neutral event. */
export type NativeInput =
  | { type: 'cloudevent'; mode: 'binary' | 'structured' | 'legacy'; event: CloudEvent }
  | { type: 'push'; body: PushBody }
  | { type: 'invoke'; function: string; payload: unknown }
  | { type: 'scheduler'; jobName: string | undefined; scheduleTime: string | undefined }
  | { type: 'task'; headers: HttpHeaders; body: Uint8Array };

export const INVOKE_HEADER = 'x-polycloud-invoke';

/**
 * Reads every shape Google delivers to an event-driven function: CloudEvents in binary mode
 * (`ce-*` headers, what Eventarc sends) and structured mode, 1st-gen background events, raw
 * Pub/Sub push bodies, Cloud Scheduler HTTP targets, and polycloud FunctionClient calls. The
 * framework hands a cloudEvent function `{}` for a POST without `ce-*` headers; here that is an
 * InvalidEventError naming the missing attributes.
 */
export function readNativeInput(headers: HttpHeaders, body: Uint8Array): NativeInput {
  if (
    headers.has('ce-specversion') ||
    headers.has('ce-id') ||
    headers.has('ce-type') ||
    headers.has('ce-source')
  ) {
    const event = cloudEventFromHttp(headers, body);
    return { type: 'cloudevent', mode: 'binary', event };
  }
  const contentType = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType === 'application/cloudevents+json')
    return { type: 'cloudevent', mode: 'structured', event: fromStructuredObject(parseBody(body)) };
  if (contentType === 'application/cloudevents-batch+json')
    throw new InvalidEventError(
      'batched CloudEvents are not accepted; send one event per request',
      'content-type',
    );
  // A Cloud Tasks HTTP target: the body is the task's own payload, its metadata in X-CloudTasks-*.
  if (headers.has('x-cloudtasks-taskname')) return { type: 'task', headers, body };
  // Cloud Scheduler HTTP targets mark their requests; the body is the job's own payload.
  if (headers.get('x-cloudscheduler') === 'true')
    return {
      type: 'scheduler',
      jobName: headers.get('x-cloudscheduler-jobname'),
      scheduleTime: headers.get('x-cloudscheduler-scheduletime'),
    };
  const json =
    body.length > 0 && (contentType === '' || /[/+]json$/.test(contentType)) ? tryJson(body) : undefined;
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const obj = json as Record<string, unknown>;
    if (headers.has(INVOKE_HEADER) && isInvokeEnvelope(obj)) {
      const call = obj[INVOKE_ENVELOPE_KEY];
      if (typeof call?.function !== 'string')
        throw new InvalidEventError('must name the function', `body.${INVOKE_ENVELOPE_KEY}.function`);
      return { type: 'invoke', function: call.function, payload: call.payload };
    }
    // The framework also treats an application/json body with CloudEvent attributes as structured mode.
    if ('specversion' in obj)
      return { type: 'cloudevent', mode: 'structured', event: fromStructuredObject(obj) };
    if (isPushBody(obj)) return { type: 'push', body: obj };
    if (isLegacyEvent(obj)) return { type: 'cloudevent', mode: 'legacy', event: fromLegacyEvent(obj) };
  }
  // Not any known shape: let the binding name what a CloudEvent would need.
  return { type: 'cloudevent', mode: 'binary', event: cloudEventFromHttp(headers, body) };
}

function isPushBody(obj: Record<string, unknown>): obj is Record<string, unknown> & PushBody {
  const m = obj.message;
  return typeof m === 'object' && m !== null && !Array.isArray(m) && ('messageId' in m || 'message_id' in m);
}

function parseBody(body: Uint8Array): unknown {
  if (body.length === 0)
    throw new InvalidEventError('expected a structured CloudEvent, got an empty body', 'body');
  return parseJson(fromUtf8(body), 'body');
}

function tryJson(body: Uint8Array): unknown {
  try {
    return decodeCloudEventData(body, 'application/json', 'body');
  } catch {
    return undefined;
  }
}
