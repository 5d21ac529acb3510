import {
  type App,
  type FunctionClient,
  FunctionInvokeError,
  type HttpRequest,
  type HttpResponse,
  type InvokeOptions,
} from '@polycloud/core';
import { INVOKE_ENVELOPE_KEY, newRequestId } from '@polycloud/core/adapter';
import { eventForInvoke, resultFromHttpResponse } from '@polycloud/core/clients/invoke-envelope';
import { INVOKE_HEADER } from '../events/native-input.ts';
import type { ResolvedGcpOptions } from '../options.ts';
import { type IdTokenSource, idTokenSource } from './id-token.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The provider's FunctionClient: ID tokens as `providers.gcp.idToken` says. */
export function createGcpFunctionClient(options: ResolvedGcpOptions, app: () => App): GcpFunctionClient {
  return new GcpFunctionClient(options, app, idTokenSource(options.idToken, options.metadataHost));
}

/**
 * Calls another function over HTTPS with an ID token whose audience is the target's URL (what
 * Cloud Run's IAM check expects). An http target gets the request `eventForInvoke` describes; any
 * other kind gets a polycloud invoke envelope that its adapter turns into the target's event.
 * Cloud Run has no accept-then-run mode: `async` resolves once the target answered, without its result.
 */
export class GcpFunctionClient implements FunctionClient {
  readonly #options: ResolvedGcpOptions;
  readonly #app: () => App;
  readonly #tokens: IdTokenSource;

  constructor(options: ResolvedGcpOptions, app: () => App, tokens: IdTokenSource) {
    this.#options = options;
    this.#app = app;
    this.#tokens = tokens;
  }

  /** The target's base URL, which is also the ID token audience. */
  urlFor(name: string): string {
    const configured = this.#options.functionUrls[name];
    let url = configured;
    if (!url && this.#options.functionUrlTemplate) {
      url = this.#options.functionUrlTemplate
        .replaceAll('{name}', name)
        .replaceAll('{project}', this.#options.project ?? '')
        .replaceAll('{region}', this.#options.region ?? '');
    }
    if (!url)
      throw new FunctionInvokeError(
        name,
        'ConfigError',
        'no URL: set providers.gcp.functionUrls or functionUrlTemplate',
      );
    const parsed = new URL(url);
    // The bearer token is a credential: plain http only to this machine.
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)))
      throw new FunctionInvokeError(
        name,
        'ConfigError',
        `refusing to send an ID token to ${parsed.origin}: use https`,
      );
    return url.replace(/\/+$/, '');
  }

  async invoke<T = unknown>(
    name: string,
    payload?: unknown,
    options: InvokeOptions = {},
  ): Promise<T | undefined> {
    const base = this.urlFor(name);
    const def = this.#app().functions.get(name);
    const headers: Record<string, string> = {};
    let url = base;
    let method = 'POST';
    let body: Uint8Array | undefined;
    if (def?.kind === 'http') {
      const req = eventForInvoke(name, def, payload, newRequestId()) as HttpRequest;
      url = base + req.rawPath;
      method = req.method;
      for (const [k, v] of req.headers) headers[k] = v;
      body = method === 'GET' || method === 'HEAD' ? undefined : req.body;
    } else {
      headers['content-type'] = 'application/json';
      headers[INVOKE_HEADER] = name;
      body = Buffer.from(JSON.stringify({ [INVOKE_ENVELOPE_KEY]: { function: name, payload } }));
    }
    const token = await this.#tokens.token(base);
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body as Uint8Array<ArrayBuffer> | undefined });
    } catch (error) {
      throw new FunctionInvokeError(name, 'NetworkError', (error as Error).message, undefined, {
        cause: error,
      });
    }
    const neutral: HttpResponse = {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      cookies: [],
      body: new Uint8Array(await response.arrayBuffer()),
    };
    const result = resultFromHttpResponse(name, neutral) as T | undefined;
    return options.async ? undefined : result;
  }
}
