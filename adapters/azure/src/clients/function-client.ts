import {
  type App,
  ConfigError,
  type FunctionClient,
  FunctionInvokeError,
  type HttpRequest,
  type InvokeOptions,
} from '@polycloud/core';
import { fromUtf8 } from '@polycloud/core/adapter';
import { eventForInvoke, resultFromHttpResponse } from '@polycloud/core/clients/invoke-envelope';
import type { AzureSettings } from '../options.ts';

/**
 * FunctionClient over HTTPS. An http target is called on its own route (`<baseUrl>/<routePrefix>/...`)
 * with the function key in `x-functions-key`; the payload becomes its request as `eventForInvoke`
 * defines. Any other target is run through the host's admin endpoint `POST /admin/functions/<name>`
 * with the master key and `{ "input": "<text>" }`: the host answers 202 and runs it asynchronously, so
 * such calls resolve undefined. `async` on an http target still waits for the status (HTTP has no
 * separate acceptance), errors included.
 */
export class AzureFunctionClient implements FunctionClient {
  readonly #app: App;
  readonly #settings: AzureSettings;
  readonly #timeoutMs: number;

  constructor(app: App, settings: AzureSettings, timeoutMs = 30_000) {
    this.#app = app;
    this.#settings = settings;
    this.#timeoutMs = timeoutMs;
  }

  async invoke<T = unknown>(
    name: string,
    payload?: unknown,
    options: InvokeOptions = {},
  ): Promise<T | undefined> {
    const def = this.#app.functions.get(name);
    if (!def) {
      throw new TypeError(
        `no function named "${name}" (functions: ${[...this.#app.functions.keys()].join(', ')})`,
      );
    }
    const baseUrl = this.#settings.baseUrl;
    if (!baseUrl) {
      throw new ConfigError(
        'FunctionClient needs providers.azure.baseUrl or the POLYCLOUD_AZURE_BASE_URL / WEBSITE_HOSTNAME app setting',
      );
    }
    const id = crypto.randomUUID();
    const event = eventForInvoke(name, def, payload, id);
    if (def.kind === 'http') {
      const req = event as HttpRequest;
      const prefix = this.#settings.routePrefix ? `/${this.#settings.routePrefix}` : '';
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.#settings.functionKey) headers['x-functions-key'] = this.#settings.functionKey;
      const res = await this.#fetch(name, `${baseUrl}${prefix}${req.rawPath}`, {
        method: req.method,
        headers,
        body:
          req.method === 'GET' || req.method === 'HEAD' ? undefined : (req.body as Uint8Array<ArrayBuffer>),
      });
      const body = new Uint8Array(await res.arrayBuffer());
      const resHeaders: Record<string, string> = {};
      res.headers.forEach((value, key) => {
        resHeaders[key] = value;
      });
      const result = resultFromHttpResponse(name, {
        status: res.status,
        headers: resHeaders,
        cookies: [],
        body,
      });
      return (options.async ? undefined : result) as T | undefined;
    }
    const key = this.#settings.masterKey;
    if (!key) {
      throw new ConfigError(
        `FunctionClient: "${name}" is not an http function; running it needs the master key (providers.azure.masterKey or POLYCLOUD_AZURE_MASTER_KEY)`,
      );
    }
    const res = await this.#fetch(name, `${baseUrl}/admin/functions/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': key },
      body: JSON.stringify({ input: adminInput(def.kind, event) }),
    });
    if (res.status >= 300) {
      const text = fromUtf8(new Uint8Array(await res.arrayBuffer()));
      throw new FunctionInvokeError(name, `HttpError${res.status}`, text.slice(0, 500), res.status);
    }
    await res.arrayBuffer();
    return undefined;
  }

  async #fetch(name: string, url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (error) {
      throw new FunctionInvokeError(name, 'NetworkError', (error as Error).message, undefined, {
        cause: error,
      });
    }
  }
}

/** What the admin endpoint's `input` means per trigger: message text, event JSON, blob path. */
function adminInput(kind: string, event: unknown): string {
  switch (kind) {
    case 'queue':
    case 'topic':
      return fromUtf8((event as { body: Uint8Array }).body);
    case 'storage': {
      const ev = event as { bucket: string; key: string };
      return `${ev.bucket}/${ev.key}`;
    }
    case 'event':
      return JSON.stringify(event);
    default:
      return '';
  }
}
