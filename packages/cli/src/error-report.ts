import { AppDefinitionError, ConfigError, InvalidEventError } from '@polycloud/core';
import { CliError, UsageError } from './cli-errors.ts';
import { AppLoadError } from './load-app.ts';

/**
 * What the user sees for an error, and the exit code. Expected failures are one line without a
 * stack: wrong usage (2), a bad config, a bad app definition, a bad event, a missing file or
 * package, a port in use (1). An unexpected error is a bug somewhere: its one line says how to get
 * the stack, which `--debug` prints.
 */
export function reportError(
  error: unknown,
  command: string | undefined,
  debug: boolean,
): { text: string; code: number } {
  const named = command ?? (error instanceof UsageError ? error.command : undefined);
  const prefix = named ? `polycloud ${named}` : 'polycloud';
  if (error instanceof UsageError) {
    const help = named;
    return {
      text: `${prefix}: ${error.message} (see polycloud ${help ? `${help} ` : ''}--help)`,
      code: 2,
    };
  }
  const port = portInUse(error);
  if (port !== undefined) {
    return {
      text: `${prefix}: port ${port} is in use (another polycloud dev?); choose another with --port or POLYCLOUD_PORT`,
      code: 1,
    };
  }
  if (
    error instanceof CliError ||
    error instanceof ConfigError ||
    error instanceof AppDefinitionError ||
    error instanceof InvalidEventError
  ) {
    return { text: `${prefix}: ${error.message}`, code: 1 };
  }
  if (error instanceof AppLoadError) {
    return {
      text: debug ? `${prefix}: ${error.message}\n${stackOf(error.cause)}` : `${prefix}: ${error.message}`,
      code: 1,
    };
  }
  if (debug) return { text: `${prefix}: unexpected error\n${stackOf(error)}`, code: 1 };
  const line = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
  return {
    text: `${prefix}: unexpected error: ${line} (run with --debug or POLYCLOUD_DEBUG=1 for the stack trace)`,
    code: 1,
  };
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? String(error)) : String(error);
}

/** The port of an EADDRINUSE from `listen()`, else undefined. */
export function portInUse(error: unknown): number | undefined {
  const e = (error ?? {}) as { code?: string; port?: number };
  return e.code === 'EADDRINUSE' ? (e.port ?? 0) : undefined;
}
