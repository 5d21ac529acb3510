import type { Request } from '@google-cloud/functions-framework';
import type { LogFields, Logger } from '@polycloud/core';
import type { ResolvedGcpOptions } from './options.ts';
import { traceFields } from './trace.ts';

/**
 * The per-request logger: function, execution id and the request's Cloud Trace fields on every
 * line. Its real child is built on the first log call: most invocations never log, and building
 * it (trace parsing, field merging) costs microseconds.
 */
export class TraceLogger implements Logger {
  #child?: Logger;
  readonly #base: Logger;
  readonly #fn: string;
  readonly #requestId: string | undefined;
  readonly #options: ResolvedGcpOptions;
  readonly #req: Request;

  constructor(
    base: Logger,
    fn: string,
    requestId: string | undefined,
    options: ResolvedGcpOptions,
    req: Request,
  ) {
    this.#base = base;
    this.#fn = fn;
    this.#requestId = requestId;
    this.#options = options;
    this.#req = req;
  }

  #log(): Logger {
    if (!this.#child) {
      const headers = this.#req.headers;
      const trace = traceFields(
        this.#options.project,
        str(headers.traceparent),
        str(headers['x-cloud-trace-context']),
      );
      const fields = { function: this.#fn, requestId: this.#requestId };
      this.#child = this.#base.child(trace ? { ...fields, ...trace } : fields);
    }
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

function str(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
