/**
 * `pendingResult`: a handler's result is waited for when it is any thenable (Bluebird, another
 * realm's Promise), so a message whose handler later fails is never acknowledged as a success.
 */
import { describe, expect, it } from 'vitest';
import { pendingResult } from '../src/thenable.ts';

/** `target` with a `then` field (defined, not written as a literal: the linter flags literal thenables). */
function withThen<T extends object>(target: T, then: unknown): T {
  Object.defineProperty(target, 'then', { value: then, enumerable: true });
  return target;
}

describe('pendingResult', () => {
  it('hands a native promise back as it is', () => {
    const promise = Promise.resolve(1);
    expect(pendingResult(promise)).toBe(promise);
  });

  it('waits for an object or a function with a then method', async () => {
    const thenable = withThen({}, (resolve: (v: unknown) => void) => resolve('done'));
    const pending = pendingResult(thenable);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toBe('done');
    const callable = withThen(
      () => 'not called',
      (_: unknown, reject: (e: unknown) => void) => reject(new Error('late failure')),
    );
    await expect(pendingResult(callable)).rejects.toThrow('late failure');
  });

  it('treats plain values, null and a then that is no function as synchronous', () => {
    const values = [undefined, null, 0, 'then', withThen({}, 'x'), withThen({}, null), () => 1, []];
    for (const value of values) expect(pendingResult(value)).toBeUndefined();
  });
});
