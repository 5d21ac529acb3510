import { EMPTY_BYTES, fromUtf8, utf8 } from './bytes.ts';
import { parseCookies } from './cookies.ts';
import { InvalidEventError } from './errors.ts';
import { type HeadersInit, HttpHeaders } from './http-headers.ts';
import { parseJson } from './safe-json.ts';

/**
 * Identity established by the provider itself (authorizer, App Service auth, IAP), never a client header.
 *
 * @example
 * const who: Identity | undefined = req.identity;
 * if (!who) throw new HttpError(401);
 */
export interface Identity {
  /** Which verified mechanism produced it, e.g. `aws:jwt`, `aws:iam`, `azure:appservice`, `gcp:iap`. */
  readonly source: string;
  readonly subject?: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface HttpRequestInit {
  method: string;
  /** Path as on the wire, percent-encoding intact; segments are decoded exactly once here. */
  rawPath: string;
  /** Raw query string without `?`, or decoded key/value pairs in order. */
  query?: string | Iterable<readonly [string, string]>;
  headers?: HeadersInit;
  /**
   * The Cookie header's pairs as the front door split them already (API Gateway v2's `cookies`),
   * given only when `headers` carries them as one Cookie header joined with "; ": `cookies` reads
   * these then, without building the headers (parsing the list or the joined header gives the same
   * answer, see cookies.test.ts).
   */
  cookies?: readonly string[];
  /**
   * Bytes; or a string when the provider hands over text (`text()`/`json()` then read it without an
   * encode/decode round trip, bytes are encoded only if asked for); or a thunk so base64 decoding is
   * paid only when a handler reads the body.
   */
  body?: Uint8Array | string | (() => Uint8Array);
  /** The client address, or a thunk when finding it costs work (parsing X-Forwarded-For). */
  ip?: string | (() => string | undefined);
  identity?: Identity;
  /** Scheme + host for `url` / `toRequest()`, or a thunk (read only by `url`); defaults from the Host header. */
  origin?: string | (() => string);
}

/**
 * The neutral HTTP request every provider's input is turned into. Fields are built lazily.
 *
 * @example
 * http('GET /todos/:id', (req: HttpRequest) => ({ id: req.params.id, page: req.query.get('page') }));
 */
export class HttpRequest<TData = unknown, TParams extends object = Readonly<Record<string, string>>> {
  readonly method: string;
  readonly rawPath: string;
  readonly identity: Identity | undefined;
  /**
   * Route parameters (`:id`, `*`), decoded exactly once; set by the router. Typed from the route
   * literal: in `http('GET /todos/:id', (req) => …)` `req.params.id` is a `string`.
   */
  params: TParams = EMPTY_PARAMS as TParams;
  /** The body after schema validation, when the function declares `{ body: schema }`. */
  data: TData = undefined as TData;

  #init: HttpRequestInit;
  #path?: string;
  #query?: URLSearchParams;
  #headers?: HttpHeaders;
  #cookies?: Record<string, string>;
  #body?: Uint8Array;

  constructor(init: HttpRequestInit) {
    this.#init = init;
    this.method = init.method.toUpperCase();
    this.rawPath = init.rawPath || '/';
    this.identity = init.identity;
  }

  get ip(): string | undefined {
    const ip = this.#init.ip;
    return typeof ip === 'function' ? ip() : ip;
  }

  /** The path with each segment percent-decoded once (an encoded `/` inside a segment stays `%2F`). */
  get path(): string {
    if (this.#path === undefined) this.#path = decodePath(this.rawPath);
    return this.#path;
  }

  /** Every value kept: `query.getAll('tag')` returns repeated keys in order. */
  get query(): URLSearchParams {
    if (!this.#query) {
      const q = this.#init.query;
      this.#query = q === undefined ? new URLSearchParams() : new URLSearchParams(q as string | string[][]);
    }
    return this.#query;
  }

  get headers(): HttpHeaders {
    this.#headers ??= new HttpHeaders(this.#init.headers);
    return this.#headers;
  }

  get cookies(): Readonly<Record<string, string>> {
    this.#cookies ??= parseCookies(this.#init.cookies ?? this.headers.getAll('cookie'));
    return this.#cookies;
  }

  get body(): Uint8Array {
    if (!this.#body) {
      const b = this.#init.body;
      this.#body =
        b === undefined ? EMPTY_BYTES : typeof b === 'function' ? b() : typeof b === 'string' ? utf8(b) : b;
    }
    return this.#body;
  }

  text(): string {
    const b = this.#init.body;
    return typeof b === 'string' ? b : fromUtf8(this.body);
  }

  /** Parses the body as JSON; malformed JSON is an `InvalidEventError` (a 400), never a 500. */
  json<T = unknown>(): T {
    const text = this.text();
    if (text.length === 0) throw new InvalidEventError('expected a JSON body, got an empty body', 'body');
    return parseJson(text, 'body') as T;
  }

  get url(): string {
    const init = this.#init.origin;
    const origin =
      (typeof init === 'function' ? init() : init) ?? `https://${this.headers.get('host') ?? 'localhost'}`;
    const qs = this.query.toString();
    return `${origin}${this.rawPath}${qs ? `?${qs}` : ''}`;
  }

  /** A WHATWG Request for Fetch-API code (Hono apps, itty-router, ...). */
  toRequest(): Request {
    const headers = new Headers();
    for (const [name, value] of this.headers) headers.append(name, value);
    const hasBody = this.body.length > 0 && this.method !== 'GET' && this.method !== 'HEAD';
    return new Request(this.url, {
      method: this.method,
      headers,
      body: hasBody ? (this.body as Uint8Array<ArrayBuffer>) : null,
    });
  }

  toJSON(): Record<string, unknown> {
    return {
      method: this.method,
      path: this.path,
      params: this.params,
      query: this.query.toString(),
      headers: this.headers.toJSON(),
    };
  }
}

const EMPTY_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

export function decodePath(rawPath: string): string {
  if (!rawPath.includes('%')) return rawPath;
  return rawPath
    .split('/')
    .map((segment) => decodeSegment(segment).replaceAll('/', '%2F'))
    .join('/');
}

export function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    // Quote a bounded part only: the segment is client input and may be huge.
    const shown = segment.length > 64 ? `${segment.slice(0, 64)}…` : segment;
    throw new InvalidEventError(`malformed percent-encoding in path segment "${shown}"`, 'path');
  }
}
