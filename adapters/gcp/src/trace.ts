/** The Cloud Logging fields that tie a log line to its request's trace. */
export interface TraceFields {
  'logging.googleapis.com/trace': string;
  'logging.googleapis.com/spanId'?: string;
  'logging.googleapis.com/trace_sampled'?: boolean;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const CLOUD_TRACE = /^([0-9a-fA-F]{32})(?:\/(\d+))?(?:;o=([01]))?$/;

/**
 * Reads W3C `traceparent` first, then Google's `X-Cloud-Trace-Context` (TRACE/SPAN;o=1, span in
 * decimal). Without a project id Cloud Logging cannot link the trace, so nothing is returned.
 */
export function traceFields(
  project: string | undefined,
  traceparent: string | undefined,
  cloudTrace: string | undefined,
): TraceFields | undefined {
  if (!project) return undefined;
  if (traceparent) {
    const m = TRACEPARENT.exec(traceparent.trim());
    if (m && !/^0+$/.test(m[1]!)) {
      return {
        'logging.googleapis.com/trace': `projects/${project}/traces/${m[1]}`,
        'logging.googleapis.com/spanId': m[2]!,
        'logging.googleapis.com/trace_sampled': (Number.parseInt(m[3]!, 16) & 1) === 1,
      };
    }
  }
  if (cloudTrace) {
    const m = CLOUD_TRACE.exec(cloudTrace.trim());
    if (m) {
      const out: TraceFields = {
        'logging.googleapis.com/trace': `projects/${project}/traces/${m[1]!.toLowerCase()}`,
      };
      // Cloud Logging wants the span id as 16 hex digits; X-Cloud-Trace-Context carries it in decimal.
      if (m[2]) out['logging.googleapis.com/spanId'] = BigInt(m[2]).toString(16).padStart(16, '0');
      if (m[3]) out['logging.googleapis.com/trace_sampled'] = m[3] === '1';
      return out;
    }
  }
  return undefined;
}
