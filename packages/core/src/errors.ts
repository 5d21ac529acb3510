import { branded } from './error-brand.ts';

/**
 * Options of {@link HttpError}: the error that caused it (logged, never sent) and headers for the
 * response (`www-authenticate`, `retry-after`, ...).
 *
 * @example
 * throw new HttpError(503, 'try later', undefined, { headers: { 'retry-after': '30' }, cause: error });
 */
export interface HttpErrorOptions {
  cause?: unknown;
  headers?: Readonly<Record<string, string>>;
}

/**
 * An error whose status and message are meant for the client (4xx/5xx chosen by the handler).
 * `details` is sent as JSON beside the message; `headers` go on the response; `cause` is logged only.
 *
 * @example
 * throw new HttpError(404, `no todo ${req.params.id}`);
 * throw new HttpError(401, 'sign in', undefined, { headers: { 'www-authenticate': 'Bearer' } });
 */
export class HttpError extends Error {
  static {
    branded(HttpError, 'HttpError');
  }
  override readonly name = 'HttpError';
  /** Response headers to send with the error (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    readonly status: number,
    message?: string,
    readonly details?: unknown,
    options: HttpErrorOptions = {},
  ) {
    super(
      message ?? defaultReason(status),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be an integer in 400..599, got ${status}`);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    this.headers = headers;
  }
}

/**
 * Provider input that cannot be turned into a neutral event. The message is written by polycloud,
 * names the failing path (`Records[3].body`) and is safe to show a client: http answers 400 with it,
 * other kinds reject the message so the provider retries or dead-letters it.
 *
 * @example
 * throw new InvalidEventError('must be a positive integer', 'body.quantity'); // a 400 for http
 */
export class InvalidEventError extends Error {
  static {
    branded(InvalidEventError, 'InvalidEventError');
  }
  override readonly name = 'InvalidEventError';
  constructor(
    message: string,
    readonly path?: string,
    readonly issues?: readonly { path: string; message: string }[],
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}

/**
 * A configuration file or value is wrong; the message names the valid choices.
 *
 * @example
 * if (!url) throw new ConfigError('providers.aws.queues.orders: missing; set it in polycloud.config.json');
 */
export class ConfigError extends Error {
  static {
    branded(ConfigError, 'ConfigError');
  }
  override readonly name = 'ConfigError';
}

/**
 * The app's definition is wrong (a bad route, an invalid function name, two functions on one route):
 * found when the app module loads, before anything is served or built.
 *
 * @example
 * try {
 *   defineApp({ functions: { 'bad name': http('GET /', () => 'ok') } });
 * } catch (error) {
 *   if (error instanceof AppDefinitionError) console.error(error.message);
 * }
 */
export class AppDefinitionError extends TypeError {
  static {
    branded(AppDefinitionError, 'AppDefinitionError');
  }
  override readonly name = 'AppDefinitionError';
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The reason phrase of a status (`404` → `Not Found`), else its class (`Server Error`, `Client Error`).
 *
 * @example
 * defaultReason(404); // 'Not Found'
 */
export function defaultReason(status: number): string {
  // Stryker disable next-line EqualityOperator: `> 500` and `> 400` read the same: 500 and 400 have REASONS entries (the `<` mutants, killed by the fallback tests, share this line)
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : status >= 400 ? 'Client Error' : 'OK');
}
