import { describe, expect, it } from 'vitest';
import * as clientErrors from '../src/client-errors.ts';
import * as errors from '../src/errors.ts';

// A second evaluation of the module: what an app holds when its copy of @polycloud/core is not the
// runtime's (another installed version, or the same files loaded once as CommonJS).
const second: string = '../src/errors.ts?copy';
const copy = (await import(/* @vite-ignore */ second)) as typeof errors;
const secondClient: string = '../src/client-errors.ts?copy';
const clientCopy = (await import(/* @vite-ignore */ secondClient)) as typeof clientErrors;

describe('polycloud errors across copies of core', () => {
  it('are two classes, yet instanceof holds both ways', () => {
    expect(copy.HttpError).not.toBe(errors.HttpError);
    const thrown = new copy.HttpError(404, 'no such item');
    expect(thrown instanceof errors.HttpError).toBe(true);
    expect(new errors.InvalidEventError('bad', 'body') instanceof copy.InvalidEventError).toBe(true);
    expect(new copy.ConfigError('x') instanceof errors.ConfigError).toBe(true);
    expect(
      new clientCopy.FunctionInvokeError('f', 'E', 'm') instanceof clientErrors.FunctionInvokeError,
    ).toBe(true);
    expect(new copy.AppDefinitionError('x') instanceof errors.AppDefinitionError).toBe(true);
    expect(new copy.AppDefinitionError('x') instanceof TypeError).toBe(true);
  });

  it('does not mix kinds and rejects non-errors', () => {
    expect(new errors.HttpError(400) instanceof errors.InvalidEventError).toBe(false);
    expect(new Error('x') instanceof errors.HttpError).toBe(false);
    for (const value of [null, undefined, 404, 'HttpError', { status: 404, name: 'HttpError' }])
      expect(value instanceof errors.HttpError).toBe(false);
  });

  it('keeps the ordinary check for a subclass the user writes', () => {
    class NotFound extends errors.HttpError {
      constructor() {
        super(404);
      }
    }
    expect(new NotFound() instanceof errors.HttpError).toBe(true);
    expect(new NotFound() instanceof copy.HttpError).toBe(true);
    expect(new NotFound() instanceof NotFound).toBe(true);
    expect(new errors.HttpError(404) instanceof NotFound).toBe(false);
  });
});
