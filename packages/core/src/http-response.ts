import { asBytes, EMPTY_BYTES, fromUtf8, utf8 } from './bytes.ts';

/**
 * The normalised response every adapter turns into its provider's output shape.
 *
 * @example
 * const res: HttpResponse = { status: 204, headers: {}, cookies: [], body: '' };
 */
export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated values joined by ", " (Set-Cookie lives in `cookies`). */
  headers: Record<string, string>;
  /** Each Set-Cookie value separately: joining them breaks cookies whose Expires has a comma. */
  cookies: string[];
  /**
   * Bytes, or the text the body was produced from (a string or JSON result): providers that take a
   * string (Lambda, Azure, Express) use it without an encode/decode round trip. Read it with
   * `responseBytes` / `responseText` when the form matters.
   */
  body: Uint8Array | string;
}

/** The response body as bytes (encodes a text body). */
export function responseBytes(response: HttpResponse): Uint8Array {
  return typeof response.body === 'string' ? utf8(response.body) : response.body;
}

/** The response body as text (decodes a byte body as UTF-8). */
export function responseText(response: HttpResponse): string {
  return typeof response.body === 'string' ? response.body : fromUtf8(response.body);
}

/**
 * Length of the body in bytes, without encoding a text body.
 * @coldStart
 */
export function responseByteLength(response: HttpResponse): number {
  return typeof response.body === 'string' ? Buffer.byteLength(response.body) : response.body.length;
}

/**
 * What a handler may return as an explicit response.
 *
 * @example
 * return { status: 201, headers: { location: `/todos/${todo.id}` }, body: todo } satisfies HttpResult;
 */
export interface HttpResult {
  status?: number;
  headers?: Record<string, string | readonly string[]>;
  cookies?: readonly string[];
  body?: string | Uint8Array | ArrayBuffer | unknown;
}

/**
 * Anything an http handler may return: an HttpResult, a WHATWG Response, a string, bytes, or a JSON value.
 *
 * @example
 * const hello = (): HttpHandlerResult => 'hello';
 */
export type HttpHandlerResult = HttpResult | Response | string | Uint8Array | ArrayBuffer | unknown;

/**
 * Framing headers describe one connection, not the response: a buffered response that keeps
 * `transfer-encoding: chunked` breaks API Gateway and ALB clients. Each adapter frames its own output.
 */
const FRAMING = new Set(['transfer-encoding', 'connection', 'keep-alive', 'content-length', 'upgrade']);

/**
 * A plain object is an HttpResult only if it has a numeric `status` and no other keys than
 * status/headers/cookies/body; anything else is a JSON value. This keeps `return { status: 'ok' }`
 * meaning JSON.
 * @coldStart
 */
export function isHttpResult(value: unknown): value is HttpResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const status = (value as { status?: unknown }).status;
  if (typeof status !== 'number') return false;
  for (const key in value)
    if (key !== 'status' && key !== 'body' && key !== 'headers' && key !== 'cookies') return false;
  return true;
}

/**
 * Whether a handler returned a WHATWG Response, without reading the global `Response` first: Node
 * defines it as a lazy getter that loads its whole fetch implementation (undici) on first read,
 * which was 22–33 ms of the first invocation of every function (issue 12). Every Response carries
 * the tag, so only an object tagged "Response" (fetch is then loaded already) meets `instanceof`.
 * @coldStart
 */
function isFetchResponse(value: unknown): value is Response {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Response' &&
    value instanceof Response
  );
}

/**
 * Synchronous unless the handler returned a WHATWG Response (its body must be read).
 * @coldStart
 */
export function toHttpResponse(result: HttpHandlerResult): HttpResponse | Promise<HttpResponse> {
  if (isFetchResponse(result)) return fromFetchResponse(result);
  if (isHttpResult(result)) return fromResult(result);
  if (result === undefined || result === null)
    return { status: 204, headers: {}, cookies: [], body: EMPTY_BYTES };
  if (typeof result === 'object' && !(result instanceof Uint8Array || result instanceof ArrayBuffer)) {
    // The common case, a JSON value: one literal, no content-type lookup.
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: JSON.stringify(result),
    };
  }
  const headers: Record<string, string> = {};
  return { status: 200, headers, cookies: [], body: encodeBody(result, headers) };
}

function fromResult(result: HttpResult): HttpResponse {
  const status = result.status ?? 200;
  const body = result.body;
  if (
    result.headers === undefined &&
    result.cookies === undefined &&
    typeof body === 'object' &&
    body !== null &&
    !(body instanceof Uint8Array || body instanceof ArrayBuffer) &&
    Number.isInteger(status) &&
    status >= 100 &&
    status <= 599
  ) {
    // `{ status, body: json }`, the common explicit result: one literal, as for a bare JSON value.
    return {
      status,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: JSON.stringify(body),
    };
  }
  const headers: Record<string, string> = {};
  const cookies = result.cookies ? [...result.cookies] : [];
  if (result.headers) {
    for (const name in result.headers) {
      const value = result.headers[name]!;
      const key = name.toLowerCase();
      if (FRAMING.has(key)) continue;
      if (key === 'set-cookie') cookies.push(...(typeof value === 'string' ? [value] : value));
      else headers[key] = typeof value === 'string' ? value : value.join(', ');
    }
  }
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new RangeError(`handler returned an invalid HTTP status: ${status}`);
  }
  return { status, headers, cookies, body: body === undefined ? EMPTY_BYTES : encodeBody(body, headers) };
}

async function fromFetchResponse(response: Response): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && !FRAMING.has(name)) headers[name] = value;
  });
  const body = response.body ? new Uint8Array(await response.arrayBuffer()) : EMPTY_BYTES;
  return { status: response.status, headers, cookies: response.headers.getSetCookie(), body };
}

/** Picks a content type only when the handler did not set one. */
function encodeBody(body: unknown, headers: Record<string, string>): Uint8Array | string {
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return body;
  }
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    headers['content-type'] ??= 'application/octet-stream';
    return asBytes(body);
  }
  if (body === undefined || body === null) return EMPTY_BYTES;
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(body);
}

/** JSON error body; the message is only ever one polycloud or an HttpError chose to expose. */
export function errorResponse(
  status: number,
  message: string,
  extra?: Record<string, unknown>,
): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: JSON.stringify({ error: message, ...extra }),
  };
}

/**
 * A JSON answer an adapter gives outside a handler (an acknowledgement, a listing): `value` as JSON
 * with its content type, or no body at all when `value` is undefined; `headers` are added as given.
 *
 * @example
 * writeNodeResponse(res, jsonResponse(405, { error: 'Method Not Allowed' }, { allow: 'POST' }));
 */
export function jsonResponse(
  status: number,
  value?: unknown,
  headers?: Record<string, string>,
): HttpResponse {
  if (value === undefined) return { status, headers: { ...headers }, cookies: [], body: EMPTY_BYTES };
  return {
    status,
    headers: { ...headers, 'content-type': 'application/json' },
    cookies: [],
    body: JSON.stringify(value),
  };
}

const TEXTUAL =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml))|image\/svg\+xml)/i;

/**
 * Whether a response body must travel base64-encoded through a JSON envelope (Lambda, ...):
 * decided from content-type and content-encoding (a gzip'ed JSON body is binary).
 * @coldStart
 */
export function isBinaryBody(headers: Record<string, string>): boolean {
  const encoding = headers['content-encoding'];
  if (encoding && encoding !== 'identity') return true;
  const type = headers['content-type'];
  if (!type) return false;
  return type !== 'application/json' && !TEXTUAL.test(type);
}
