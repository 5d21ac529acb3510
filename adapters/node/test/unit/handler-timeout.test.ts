/**
 * A message handler that outlives its timeout is a failed delivery (retried or dead-lettered by the
 * broker), logged once with the message's request id; its late answer changes nothing.
 */
import { defineApp, Message, queue, schedule } from '@polycloud/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorText, HandlerTimeoutError, handleWithin } from '../../src/events/handler-timeout.ts';
import { createNodeRuntime } from '../../src/index.ts';

let release: ((value?: unknown) => void) | undefined;
const waitForRelease = () =>
  new Promise<unknown>((resolve) => {
    release = resolve;
  });
const app = defineApp({
  name: 'handler-timeout',
  functions: {
    limited: queue('limited', () => waitForRelease(), { timeoutMs: 30 }),
    unlimited: queue('unlimited', () => waitForRelease()),
    failing: queue('failing', () => {
      throw new TypeError('cannot parse order');
    }),
    answering: queue('answering', async () => 'done'),
    nightly: schedule('nightly', '0 3 * * *', () => waitForRelease()),
  },
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  release = undefined;
});

function setup() {
  const runtime = createNodeRuntime(app);
  const errors = vi.spyOn(runtime.log, 'error').mockImplementation(() => undefined);
  const run = (name: string, defaultTimeoutMs = 1000) => {
    const outcome: { value?: unknown; error?: unknown; settled: boolean } = { settled: false };
    const message = new Message({ id: 'm-1', body: 'x', source: name });
    handleWithin(
      runtime,
      runtime.functions.get(name)!,
      message,
      { requestId: 'm-1:1' },
      defaultTimeoutMs,
    ).then(
      (value) => Object.assign(outcome, { value, settled: true }),
      (error: unknown) => Object.assign(outcome, { error, settled: true }),
    );
    return outcome;
  };
  return { runtime, errors, run };
}

describe('handleWithin', () => {
  it('past the function’s own timeoutMs the delivery fails with HandlerTimeoutError, logged with the request id', async () => {
    vi.useFakeTimers();
    const { errors, run } = setup();
    const outcome = run('limited', 1000);
    await vi.advanceTimersByTimeAsync(29);
    expect(outcome.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome.error).toBeInstanceOf(HandlerTimeoutError);
    expect(errorText(outcome.error)).toBe('HandlerTimeoutError: limited did not finish within 30 ms');
    expect(errors).toHaveBeenCalledWith('queue handler timed out', {
      function: 'limited',
      timeoutMs: 30,
      requestId: 'm-1:1',
    });
  });

  it('without a timeoutMs of its own, the broker’s default applies; the log names the kind', async () => {
    vi.useFakeTimers();
    const { errors, run } = setup();
    const outcome = run('nightly', 200);
    await vi.advanceTimersByTimeAsync(199);
    expect(outcome.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(errorText(outcome.error)).toBe('HandlerTimeoutError: nightly did not finish within 200 ms');
    expect(errors).toHaveBeenCalledWith('schedule handler timed out', {
      function: 'nightly',
      timeoutMs: 200,
      requestId: 'm-1:1',
    });
  });

  it('a handler answering in time gives its value, and no timeout follows', async () => {
    vi.useFakeTimers();
    const { errors, run } = setup();
    const fast = run('answering');
    await vi.advanceTimersByTimeAsync(0);
    expect(fast).toEqual({ value: 'done', settled: true });
    const released = run('unlimited', 100);
    await vi.advanceTimersByTimeAsync(50);
    release?.('late but in time');
    await vi.advanceTimersByTimeAsync(500);
    expect(released).toEqual({ value: 'late but in time', settled: true });
    expect(errors).not.toHaveBeenCalledWith('queue handler timed out', expect.anything());
  });

  it('a failing handler fails the delivery with its own error (logged once by the runtime), not a timeout', async () => {
    vi.useFakeTimers();
    const { errors, run } = setup();
    const outcome = run('failing', 100);
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome.settled).toBe(true);
    expect(outcome.error).toBeInstanceOf(TypeError);
    expect(errorText(outcome.error)).toBe('TypeError: cannot parse order');
    await vi.advanceTimersByTimeAsync(500);
    expect(errors).not.toHaveBeenCalledWith('queue handler timed out', expect.anything());
  });

  it('a late answer after the timeout changes nothing', async () => {
    vi.useFakeTimers();
    const { run } = setup();
    const outcome = run('limited');
    await vi.advanceTimersByTimeAsync(30);
    release?.('too late');
    await vi.advanceTimersByTimeAsync(10);
    expect(outcome.value).toBeUndefined();
    expect(outcome.error).toBeInstanceOf(HandlerTimeoutError);
  });
});

describe('errorText (the error kept with a dead letter)', () => {
  it('`Name: message` for an Error, the text of anything else thrown', () => {
    expect(errorText(new RangeError('too big'))).toBe('RangeError: too big');
    expect(errorText(new HandlerTimeoutError('x did not finish'))).toBe(
      'HandlerTimeoutError: x did not finish',
    );
    expect(errorText('plain text')).toBe('plain text');
    expect(errorText(42)).toBe('42');
    expect(errorText(undefined)).toBe('undefined');
  });
});
