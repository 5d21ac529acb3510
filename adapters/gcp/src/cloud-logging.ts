import type { LogLevel, LogSink } from '@polycloud/core/adapter';

const SEVERITY: Record<LogLevel, string> = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR' };

/**
 * Cloud Logging structured JSON on stdout: the logging agent reads `severity`, `message`, `time`
 * and the `logging.googleapis.com/*` keys, and keeps every other key as jsonPayload.
 */
export const cloudLoggingSink: LogSink = (level, message, fields) => {
  // Fields first: a field named `message` or `severity` must not replace the entry's own.
  const entry: Record<string, unknown> = {
    ...fields,
    severity: SEVERITY[level],
    message,
    time: new Date().toISOString(),
  };
  // Error Reporting groups entries that carry a stack in `stack_trace`.
  const error = fields.error as { stack?: unknown } | undefined;
  if (level === 'error' && error && typeof error.stack === 'string') entry.stack_trace = error.stack;
  process.stdout.write(`${JSON.stringify(entry)}\n`);
};
