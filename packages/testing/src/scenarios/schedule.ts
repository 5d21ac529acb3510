import { driverThrew } from '../contract-failure.ts';
import type { Outcome } from '../driver.ts';
import { PROBE_NAMES, PROBE_TRIGGERS } from '../probe-app.ts';
import type { ContractScenario } from '../scenario.ts';
import { scenario } from './http-helpers.ts';

export const scheduleScenarios: ContractScenario[] = [
  scenario('schedule.time', 'schedule', 'the scheduled time and schedule name arrive', async (t, ctx) => {
    const scheduledTime = new Date('2026-03-04T05:10:00.000Z');
    const before = ctx.recorder.schedules.length;
    let outcome: Outcome;
    try {
      outcome = await ctx.session.schedule(PROBE_NAMES.schedule, scheduledTime);
    } catch (error) {
      throw driverThrew(t.scenario, 'driver.schedule', error);
    }
    t.equal(outcome.ok, true, `acknowledged (error: ${outcome.error ?? 'none'})`);
    const runs = ctx.recorder.schedules
      .slice(before)
      .map((r) => ({ name: r.name, scheduledTime: r.scheduledTime }));
    t.equal(
      runs,
      [{ name: PROBE_TRIGGERS.schedule, scheduledTime: scheduledTime.toISOString() }],
      'schedule runs seen',
    );
  }),
  scenario('schedule.failure-reported', 'schedule', 'a failing run is reported as failed', async (t, ctx) => {
    const before = ctx.recorder.schedules.length;
    ctx.recorder.failNextSchedule = true;
    let outcome: Outcome;
    try {
      outcome = await ctx.session.schedule(PROBE_NAMES.schedule, new Date('2026-03-04T05:15:00.000Z'));
    } catch (error) {
      throw driverThrew(t.scenario, 'driver.schedule', error);
    } finally {
      ctx.recorder.failNextSchedule = false;
    }
    t.equal(
      ctx.recorder.schedules.slice(before).map((r) => r.outcome),
      ['threw'],
      'runs seen (outcome)',
    );
    t.equal(outcome.ok, false, 'acknowledged');
  }),
];
