import type { LogFields, Logger } from '@polycloud/core';

/**
 * The per-invocation logger (`function` + `requestId` on every line), built on first use: most
 * invocations never log, and a batch shares one across its messages instead of one per message.
 */
export class LazyLogger implements Logger {
  #child?: Logger;
  constructor(
    private readonly base: Logger,
    private readonly fields: LogFields,
  ) {}

  #log(): Logger {
    this.#child ??= this.base.child(this.fields);
    return this.#child;
  }

  debug(message: string, fields?: LogFields): void {
    this.#log().debug(message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.#log().info(message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.#log().warn(message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.#log().error(message, fields);
  }
  child(fields: LogFields): Logger {
    return this.#log().child(fields);
  }
}
