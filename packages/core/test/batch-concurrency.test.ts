/**
 * An unordered batch (SQS standard, Storage Queue) runs its messages' handlers side by side, so one
 * slow message does not hold up the others. Shown without a clock: each handler waits until every
 * message of the batch has started, which only concurrent handling allows (sequential handling
 * never finishes, and the test times out).
 */
import { describe, expect, it } from 'vitest';
import { AppRuntime, bindFunction } from '../src/adapter.ts';
import { defineApp, Message, queue } from '../src/index.ts';

describe("a function runner's batch, unordered", () => {
  it('starts every message before any has finished', async () => {
    const size = 3;
    let started = 0;
    let allStarted: () => void = () => undefined;
    const everyoneIn = new Promise<void>((resolve) => {
      allStarted = resolve;
    });
    const app = defineApp({
      functions: {
        q: queue('q', async () => {
          started++;
          if (started === size) allStarted();
          await everyoneIn;
        }),
      },
    });
    const runtime = new AppRuntime(app, { name: 'node', sink: () => undefined });
    const messages = Array.from(
      { length: size },
      (_, i) => new Message({ id: String(i), body: new Uint8Array([i]), source: 'q' }),
    );
    const result = await bindFunction(runtime, 'q').batch(
      () => messages,
      'none',
      () => ({}),
    );
    expect(started).toBe(size);
    expect(result).toEqual({ failed: [] });
  });
});
