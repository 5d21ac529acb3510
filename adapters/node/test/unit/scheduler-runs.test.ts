/**
 * How the node Scheduler runs schedule functions between start() and stop(): nothing before start,
 * nothing after stop, one run at a time when a run outlasts its interval (as Azure's singleton
 * timer), and a tick a distributed broker could not publish is logged (the next tick runs again).
 * The broker here is a recorder of `tick` calls; the cron timing is croner's own, on fake timers.
 */
import { defineApp, queue, schedule } from '@polycloud/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessageBroker } from '../../src/events/message-broker.ts';
import { createNodeRuntime, Scheduler } from '../../src/index.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const app = defineApp({
  name: 'scheduler-runs',
  functions: { everyMinute: schedule('every-minute', '* * * * *', () => undefined) },
});

function recordingBroker(tick: (fn: string, at: Date) => Promise<void>, distributesSchedules: boolean) {
  const ticks: { fn: string; at: string }[] = [];
  const broker = {
    distributesSchedules,
    tick: (fn: string, at: Date) => {
      ticks.push({ fn, at: at.toISOString() });
      return tick(fn, at);
    },
  } as unknown as MessageBroker;
  return { broker, ticks };
}

describe('Scheduler runs', () => {
  it('nothing runs before start(); each minute ticks once with its scheduled time; nothing after stop()', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T03:00:30.000Z') });
    const { broker, ticks } = recordingBroker(async () => undefined, false);
    const scheduler = new Scheduler(createNodeRuntime(app), broker);
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(ticks).toEqual([]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(ticks).toEqual([
      { fn: 'everyMinute', at: '2026-11-27T03:04:00.000Z' },
      { fn: 'everyMinute', at: '2026-11-27T03:05:00.000Z' },
    ]);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(ticks).toHaveLength(2);
  });

  it('a run that outlasts its interval is not started again until it ends', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T03:00:30.000Z') });
    let finish!: () => void;
    const { broker, ticks } = recordingBroker(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
      false,
    );
    const scheduler = new Scheduler(createNodeRuntime(app), broker);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(ticks).toHaveLength(1);
    finish();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ticks).toHaveLength(2);
    scheduler.stop();
  });

  it('a tick a distributed broker could not publish is logged with the function; the next tick runs', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T03:00:30.000Z') });
    const runtime = createNodeRuntime(app);
    const errors = vi.spyOn(runtime.log, 'error').mockImplementation(() => undefined);
    const { broker, ticks } = recordingBroker(() => Promise.reject('nats: timeout'), true);
    const scheduler = new Scheduler(runtime, broker);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    scheduler.stop();
    expect(ticks).toHaveLength(2);
    expect(errors).toHaveBeenCalledTimes(2);
    const [line, fields] = errors.mock.calls[0]!;
    expect(line).toBe('schedule tick not published');
    expect(fields).toMatchObject({ function: 'everyMinute' });
    expect((fields as { error: Error }).error).toBeInstanceOf(Error);
    expect((fields as { error: Error }).error.message).toBe('nats: timeout');
  });

  it('an Error from the broker is logged as it is', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T03:00:30.000Z') });
    const runtime = createNodeRuntime(app);
    const errors = vi.spyOn(runtime.log, 'error').mockImplementation(() => undefined);
    const failure = new TypeError('publish refused');
    const { broker } = recordingBroker(() => Promise.reject(failure), true);
    const scheduler = new Scheduler(runtime, broker);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    scheduler.stop();
    expect((errors.mock.calls[0]![1] as { error: Error }).error).toBe(failure);
  });

  it('the in-memory broker runs the tick itself and its runtime logs a failed run: nothing more is logged here', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T03:00:30.000Z') });
    const runtime = createNodeRuntime(app);
    const errors = vi.spyOn(runtime.log, 'error').mockImplementation(() => undefined);
    const { broker, ticks } = recordingBroker(() => Promise.reject(new Error('run failed')), false);
    const scheduler = new Scheduler(runtime, broker);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    scheduler.stop();
    expect(ticks).toHaveLength(1);
    expect(errors).not.toHaveBeenCalled();
  });
});

describe('Scheduler setup', () => {
  it('only schedule functions get a cron job', () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T02:00:00.000Z') });
    const mixed = defineApp({
      name: 'mixed',
      functions: {
        orders: queue('orders', () => undefined),
        nightly: schedule('nightly', '0 3 * * *', () => undefined),
      },
    });
    const { broker } = recordingBroker(async () => undefined, false);
    expect(new Scheduler(createNodeRuntime(mixed), broker).next).toEqual([
      { name: 'nightly', at: new Date('2026-11-27T03:00:00.000Z') },
    ]);
  });

  it('without a timezone a schedule runs in UTC, whatever the machine’s zone', () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T02:00:00.000Z') });
    vi.stubEnv('TZ', 'Asia/Tokyo');
    try {
      const { broker } = recordingBroker(async () => undefined, false);
      const nightly = defineApp({
        name: 'utc',
        functions: { nightly: schedule('nightly', '0 3 * * *', () => undefined) },
      });
      expect(new Scheduler(createNodeRuntime(nightly), broker).next[0]!.at).toEqual(
        new Date('2026-11-27T03:00:00.000Z'),
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a tick that fires late still carries the time it was scheduled for', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T03:03:30.000Z') });
    const { broker, ticks } = recordingBroker(async () => undefined, false);
    const scheduler = new Scheduler(createNodeRuntime(app), broker);
    scheduler.start();
    // The clock jumps (a busy event loop, a suspended VM): the timer fires after 03:04:00.
    vi.setSystemTime(new Date('2026-11-27T03:03:45.000Z'));
    await vi.advanceTimersByTimeAsync(30_000);
    scheduler.stop();
    expect(ticks[0]).toEqual({ fn: 'everyMinute', at: '2026-11-27T03:04:00.000Z' });
  });
});
