/**
 * What a `schedule()` function receives.
 *
 * @example
 * schedule('hourly', '0 * * * *', (ev: ScheduleEvent) => console.log(ev.name, ev.scheduledTime, ev.isPastDue));
 */
export interface ScheduleEvent {
  id: string;
  /** The schedule's name (the function's `schedule(name, ...)`). */
  name: string;
  /** When the run was scheduled for (EventBridge `time`, Azure `scheduleStatus.last`, Scheduler publish time). */
  scheduledTime: Date;
  /** The provider fired late (Azure `isPastDue`); false where a provider does not say. */
  isPastDue: boolean;
  raw?: unknown;
}
