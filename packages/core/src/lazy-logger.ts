import type { LogFields, Logger } from './logger.ts';

/**
 * A logger whose real child is made on the first log call: most invocations never log, and making
 * it (field merging, trace parsing) costs microseconds. Adapters use it per invocation or per batch.
 */
export class LazyLogger implements Logger {
  #logger?: Logger;
  readonly #make: () => Logger;

  constructor(make: () => Logger) {
    this.#make = make;
  }

  #log(): Logger {
    this.#logger ??= this.#make();
    return this.#logger;
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
