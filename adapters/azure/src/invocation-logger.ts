import type { InvocationContext } from '@azure/functions';
import type { LogFields, Logger } from '@polycloud/core';
import { type LogSink, serializeError } from '@polycloud/core/adapter';

/**
 * A neutral Logger over the InvocationContext's own log methods, so each line reaches Application
 * Insights with the invocation's id and the host's level filtering (host.json `logging.logLevel`).
 * Fields travel as one JSON object after the message: util.format would print them multi-line.
 */
export class InvocationLogger implements Logger {
  readonly #context: InvocationContext;
  readonly #base: LogFields | undefined;

  constructor(context: InvocationContext, base?: LogFields) {
    this.#context = context;
    this.#base = base;
  }

  debug(message: string, fields?: LogFields): void {
    this.#context.debug(this.#line(message, fields));
  }
  info(message: string, fields?: LogFields): void {
    this.#context.info(this.#line(message, fields));
  }
  warn(message: string, fields?: LogFields): void {
    this.#context.warn(this.#line(message, fields));
  }
  error(message: string, fields?: LogFields): void {
    this.#context.error(this.#line(message, fields));
  }
  child(fields: LogFields): Logger {
    return new InvocationLogger(this.#context, { ...this.#base, ...fields });
  }

  #line(message: string, fields: LogFields | undefined): string {
    const all = fields ? { ...this.#base, ...fields } : this.#base;
    if (!all) return message;
    let empty = true;
    for (const _ in all) {
      empty = false;
      break;
    }
    return empty ? message : `${message} ${JSON.stringify(all, errorReplacer)}`;
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? serializeError(value) : value;
}

/** Cold-start logs (outside an invocation) go through console, which the Node worker forwards to the host. */
export const consoleSink: LogSink = (level, message, fields) => {
  const line = JSON.stringify({ level, message, ...fields }, errorReplacer);
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else if (level === 'debug') console.debug(line);
  else console.info(line);
};
