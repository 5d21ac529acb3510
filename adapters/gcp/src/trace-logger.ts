import type { Request } from '@google-cloud/functions-framework';
import type { Logger } from '@polycloud/core';
import { LazyLogger } from '@polycloud/core/adapter';
import type { ResolvedGcpOptions } from './options.ts';
import { traceFields } from './trace.ts';

/**
 * The per-request logger: function, execution id and the request's Cloud Trace fields on every
 * line, made on the first log call (trace parsing and field merging cost microseconds; most
 * invocations never log).
 */
export function traceLogger(
  base: Logger,
  fn: string,
  requestId: string | undefined,
  options: ResolvedGcpOptions,
  req: Request,
): Logger {
  return new LazyLogger(() => {
    const headers = req.headers;
    const trace = traceFields(
      options.project,
      first(headers.traceparent),
      first(headers['x-cloud-trace-context']),
    );
    const fields = { function: fn, requestId };
    return base.child(trace ? { ...fields, ...trace } : fields);
  });
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
