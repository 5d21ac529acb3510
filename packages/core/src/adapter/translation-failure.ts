import { InvalidEventError } from '../errors.ts';
import { errorResponse, type HttpResponse } from '../http-response.ts';
import type { InvocationInit } from '../invocation-init.ts';
import type { Logger } from '../logger.ts';
import type { AppRuntime } from '../runtime.ts';
import { toError } from './to-error.ts';

/**
 * The provider input could not be turned into a neutral event. Already logged (one line: a warning
 * for `InvalidEventError`, an error otherwise); the adapter rejects the input its provider's way
 * (a 400, a failed message), never acknowledges it.
 */
export interface TranslationFailure {
  readonly outcome: 'rejected';
  readonly error: Error;
}

/**
 * The one answer to input that could not be translated, where the provider speaks http: a 400
 * naming what was wrong for an `InvalidEventError`, otherwise a generic 500 (the error was logged;
 * its message never reaches the client).
 */
export function rejectionResponse(failure: TranslationFailure): HttpResponse {
  return failure.error instanceof InvalidEventError
    ? errorResponse(400, failure.error.message)
    : errorResponse(500, 'Internal Server Error');
}

/** The logger of one invocation: the adapter's, else the runtime's for this function and request. */
export function logFor(
  runtime: AppRuntime,
  fn: string | undefined,
  init: InvocationInit | undefined,
): Logger {
  return init?.log ?? runtime.log.child({ function: fn, requestId: init?.requestId });
}

/** The one translation-failure policy: one log line, the input rejected, nothing acknowledged. */
export function rejectInput(error: unknown, log: Logger, what: string): TranslationFailure {
  if (error instanceof InvalidEventError) {
    log.warn(`rejected invalid ${what}`, { error: error.message });
    return { outcome: 'rejected', error };
  }
  const failure = toError(error);
  log.error(`could not translate the ${what}`, { error: failure });
  return { outcome: 'rejected', error: failure };
}
