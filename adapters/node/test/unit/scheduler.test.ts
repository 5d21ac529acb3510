import { defineApp, type ScheduleEvent, schedule } from '@polycloud/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNodeRuntime, Scheduler } from '../../src/index.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('Scheduler (croner)', () => {
  it('fires a schedule function at its cron time with the scheduled time', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T02:59:58.000Z') });
    const seen: ScheduleEvent[] = [];
    const app = defineApp({
      functions: {
        nightly: schedule('nightly', '0 3 * * *', (e) => {
          seen.push(e);
        }),
        everyFive: schedule('every-five', '*/5 * * * *', () => undefined),
      },
    });
    const scheduler = new Scheduler(createNodeRuntime(app));
    expect(scheduler.next).toEqual([
      { name: 'nightly', at: new Date('2026-11-27T03:00:00.000Z') },
      { name: 'every-five', at: new Date('2026-11-27T03:00:00.000Z') },
    ]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(seen).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_500);
    scheduler.stop();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ name: 'nightly', isPastDue: false });
    expect(seen[0]!.scheduledTime.toISOString()).toBe('2026-11-27T03:00:00.000Z');
  });

  it('honours a function timezone', () => {
    vi.useFakeTimers({ now: new Date('2026-11-26T23:00:00.000Z') });
    const app = defineApp({
      functions: { tokyo: schedule('tokyo', '0 9 * * *', () => undefined, { timezone: 'Asia/Tokyo' }) },
    });
    expect(new Scheduler(createNodeRuntime(app)).next[0]!.at).toEqual(new Date('2026-11-27T00:00:00.000Z'));
  });
});
