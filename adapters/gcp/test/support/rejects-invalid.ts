import { InvalidEventError } from '@polycloud/core';
import { expect } from 'vitest';

/** Asserts that `fn` throws an `InvalidEventError` with exactly `message` (the text a 400 carries). */
export function rejects(fn: () => unknown, message: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidEventError);
  expect((error as Error).message).toBe(message);
}
