import type { Timer } from '@azure/functions';
import type { ScheduleEvent } from '@polycloud/core';
import { toDate } from './trigger-metadata.ts';

/**
 * A timer invocation → ScheduleEvent. Until a run completes, the host's schedule monitor records the
 * occurrence being fired as `scheduleStatus.next` (in the past when `isPastDue`); without the monitor
 * (`useMonitor: false`, or schedules under a minute) there is no status and the invocation time stands in.
 */
export function scheduleEventFromTimer(
  timer: Timer | undefined,
  name: string,
  invocationId: string,
  now = new Date(),
): ScheduleEvent {
  const next = toDate(timer?.scheduleStatus?.next);
  return {
    id: invocationId,
    name,
    scheduledTime: next && next.getTime() <= now.getTime() + 1000 ? next : now,
    isPastDue: timer?.isPastDue === true,
    raw: timer,
  };
}
