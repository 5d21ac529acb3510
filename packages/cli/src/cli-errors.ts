/** A mistake in how the CLI was called: a one-line message, the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command whose usage to show; the global usage when absent. */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/**
 * An expected failure (a missing file or package, an unknown function, a port in use): the message
 * says what to do, and is all the user sees (exit code 1, no stack).
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}
