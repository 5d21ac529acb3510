import { type CloudEvent, InvalidEventError, type ScheduleEvent } from '@polycloud/core';
import type { NativeInput } from './native-input.ts';
import { messageFromCloudEvent, messageFromPush, PUBSUB_PUBLISHED } from './pubsub.ts';

export const SCHEDULER_EXECUTED = 'google.cloud.scheduler.job.v1.executed';

/**
 * Cloud Scheduler reaches a function three ways, all → ScheduleEvent: a Pub/Sub target (the job
 * publishes to a topic; the run time is the publish time — Scheduler adds no schedule attribute),
 * an HTTP target (`X-CloudScheduler-ScheduleTime` header), or Eventarc's job-executed event.
 */
export function scheduleEventFrom(
  input: NativeInput,
  name: string,
  executionId: string,
  now: () => Date = () => new Date(),
): ScheduleEvent {
  switch (input.type) {
    case 'scheduler': {
      const time = input.scheduleTime ? new Date(input.scheduleTime) : now();
      if (Number.isNaN(time.getTime()))
        throw new InvalidEventError('must be an RFC 3339 timestamp', 'headers.x-cloudscheduler-scheduletime');
      return { id: executionId, name, scheduledTime: time, isPastDue: false, raw: input };
    }
    case 'push': {
      const m = messageFromPush(input.body, name);
      return { id: m.id, name, scheduledTime: m.enqueuedAt ?? now(), isPastDue: false, raw: input.body };
    }
    case 'cloudevent':
      return fromCloudEvent(input.event, name, now);
    case 'invoke':
      throw new InvalidEventError('an invocation is not a schedule tick', 'body');
    case 'task':
      throw new InvalidEventError(
        'a Cloud Tasks task is not a schedule tick',
        'headers.x-cloudtasks-taskname',
      );
  }
}

function fromCloudEvent(ev: CloudEvent, name: string, now: () => Date): ScheduleEvent {
  if (ev.type === PUBSUB_PUBLISHED) {
    const m = messageFromCloudEvent(ev, name);
    return { id: m.id, name, scheduledTime: m.enqueuedAt ?? dateOf(ev, now), isPastDue: false, raw: ev };
  }
  if (ev.type === SCHEDULER_EXECUTED)
    return { id: ev.id, name, scheduledTime: dateOf(ev, now), isPastDue: false, raw: ev };
  throw new InvalidEventError(
    `expected a Cloud Scheduler tick (${PUBSUB_PUBLISHED} or ${SCHEDULER_EXECUTED}), got "${ev.type}"`,
    'event.type',
  );
}

function dateOf(ev: CloudEvent, now: () => Date): Date {
  return ev.time ? new Date(ev.time) : now();
}
