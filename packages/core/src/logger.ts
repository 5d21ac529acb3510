import { setOwnProperty } from './own-property.ts';
import { token } from './tokens.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/**
 * Structured fields of a log line.
 *
 * @example
 * ctx.log.info('order shipped', { orderId: order.id } satisfies LogFields);
 */
export type LogFields = Record<string, unknown>;

/**
 * Structured logger; each provider writes its own native format (Lambda JSON, Azure context, Cloud Logging).
 *
 * @example
 * ctx.log.warn('retrying', { attempt: msg.deliveryCount });
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}
export const Logger = token<Logger>('Logger');

export type LogSink = (level: LogLevel, message: string, fields: LogFields) => void;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Builds a Logger over a sink; `minLevel` comes from `POLYCLOUD_LOG_LEVEL` by default.
 * @coldStart
 */
export function createLogger(sink: LogSink, base: LogFields = {}, minLevel = envLevel()): Logger {
  const min = LEVELS[minLevel];
  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (LEVELS[level] < min) return;
    sink(level, message, fields ? mergeFields(base, fields) : base);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(sink, mergeFields(base, fields), minLevel),
  };
}

/** @coldStart */
function envLevel(): LogLevel {
  const value = process.env.POLYCLOUD_LOG_LEVEL;
  // `info` is the default: it needs no test of its own.
  return value === 'debug' || value === 'warn' || value === 'error' ? value : 'info';
}

/**
 * `{ ...base, ...fields }` with errors made serialisable, in one object: spreads cost microseconds
 * on the error path, which every failed message of a batch takes. Own keys only, `__proto__` kept
 * as a plain field (see setOwnProperty).
 */
function mergeFields(base: LogFields, fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const key in base) if (Object.hasOwn(base, key)) setOwnProperty(out, key, base[key]);
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    const value = fields[key];
    setOwnProperty(out, key, value instanceof Error ? serializeError(value) : value);
  }
  return out;
}

/** Errors are not JSON-serialisable by default: keep name, message and stack so logs are complete. */
export function serializeError(error: Error): LogFields {
  const out: LogFields = { name: error.name, message: error.message, stack: error.stack };
  if (error.cause instanceof Error) out.cause = serializeError(error.cause);
  return out;
}

/** JSON-lines sink on stdout; used by the node runtime and as a fallback. */
export const jsonLineSink: LogSink = (level, message, fields) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
};
