import { type CloudEvent, InvalidEventError, type ScheduleEvent } from '@polycloud/core';
import type { JsonObject } from './records-source.ts';

/** EventBridge rules (`aws.events`) and EventBridge Scheduler (`aws.scheduler`) both say "Scheduled Event". */
export function isScheduledEvent(event: JsonObject): boolean {
  return (
    event['detail-type'] === 'Scheduled Event' &&
    (event.source === 'aws.events' || event.source === 'aws.scheduler')
  );
}

export function scheduleEventFrom(event: JsonObject, name: string): ScheduleEvent {
  const time = typeof event.time === 'string' ? new Date(event.time) : undefined;
  if (!time || Number.isNaN(time.getTime())) {
    throw new InvalidEventError('must be an ISO 8601 timestamp', 'event.time');
  }
  return {
    id: typeof event.id === 'string' ? event.id : `${name}@${time.toISOString()}`,
    name,
    scheduledTime: time,
    // EventBridge does not say whether it fired late.
    isPastDue: false,
    raw: event,
  };
}

/**
 * Any EventBridge event as a CloudEvent: `source` → source, `detail-type` → type, `detail` → data.
 * A single resource ARN is the subject; account and region travel as the `awsaccount` / `awsregion`
 * extensions (CloudEvents extension names are lower-case alphanumerics).
 */
export function cloudEventFromEventBridge(event: JsonObject): CloudEvent {
  if (typeof event.id !== 'string' || event.id === '')
    throw new InvalidEventError('must be a non-empty string', 'event.id');
  if (event.source === '') throw new InvalidEventError('must be a non-empty string', 'event.source');
  if (event['detail-type'] === '')
    throw new InvalidEventError('must be a non-empty string', 'event.detail-type');
  const ce: CloudEvent = {
    specversion: '1.0',
    id: event.id,
    source: event.source as string,
    type: event['detail-type'] as string,
  };
  if (typeof event.time === 'string' && !Number.isNaN(Date.parse(event.time))) ce.time = event.time;
  if (
    Array.isArray(event.resources) &&
    event.resources.length === 1 &&
    typeof event.resources[0] === 'string'
  ) {
    ce.subject = event.resources[0];
  }
  ce.datacontenttype = 'application/json';
  ce.data = event.detail;
  if (typeof event.account === 'string') ce.awsaccount = event.account;
  if (typeof event.region === 'string') ce.awsregion = event.region;
  return ce;
}
