/**
 * Drives a registered function the way the Azure Functions host does over RPC: an InvocationRequest
 * (inputData + triggerMetadata as typed data) goes through the library's own programming model,
 * `getInvocationModel(coreCtx)` → `getArguments()` → `invokeFunction()` → `getResponse()`, and the
 * host-shaped InvocationResponse comes back. A rejection anywhere is what the host records as a failed
 * invocation (retry, poison queue, 500).
 */
import { randomUUID } from 'node:crypto';
import { type FunctionMetadata, registered, worker } from './functions-core.ts';
import type { RpcHttpCookie, RpcHttpData, RpcInvocationResponse, RpcTypedData } from './rpc.ts';

export interface HostLog {
  level: string;
  category: string;
  message: string;
}

export interface HostOutcome {
  ok: boolean;
  response?: RpcInvocationResponse;
  error?: string;
  logs: HostLog[];
}

export interface HostInvocation {
  data: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
  invocationId?: string;
}

export function triggerBindingName(metadata: FunctionMetadata): string {
  const entry = Object.entries(metadata.bindings).find(
    ([, b]) => b.direction === 'in' && /trigger$/i.test(String(b.type)),
  );
  if (!entry) throw new Error(`function "${metadata.name}" has no trigger binding`);
  return entry[0];
}

export async function invokeHost(name: string, invocation: HostInvocation): Promise<HostOutcome> {
  const fn = registered(name);
  const model = worker.model;
  if (!model) throw new Error('no programming model was set: nothing registered through @azure/functions');
  const logs: HostLog[] = [];
  const invocationId = invocation.invocationId ?? randomUUID();
  const coreCtx = {
    invocationId,
    state: 'invocation',
    metadata: fn.metadata,
    request: {
      invocationId,
      functionId: fn.metadata.name,
      inputData: [{ name: triggerBindingName(fn.metadata), data: invocation.data }],
      triggerMetadata: invocation.triggerMetadata ?? {},
    },
    log(level: string, category: string, message: string) {
      logs.push({ level, category, message });
    },
  };
  try {
    const invocationModel = model.getInvocationModel(coreCtx);
    const { context, inputs } = await invocationModel.getArguments();
    const result = await invocationModel.invokeFunction(context, inputs, fn.callback);
    const response = (await invocationModel.getResponse(context, result)) as RpcInvocationResponse;
    return { ok: true, response, logs };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error), logs };
  }
}

/** Typed data as the host sends JSON-ish values: strings as `string`, objects as `json`. */
export function typed(value: unknown): RpcTypedData {
  if (value instanceof Uint8Array) return { bytes: value };
  if (typeof value === 'string') return { string: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { int: value } : { double: value };
  return { json: JSON.stringify(value) };
}

export interface HostHttpRequest {
  method: string;
  /** Path after the route prefix, percent-encoding intact. */
  path: string;
  /** Raw query string without `?`. */
  query?: string;
  headers?: [string, string][];
  body?: Uint8Array;
  routePrefix?: string;
  host?: string;
}

/**
 * An HTTP request as the host hands it to the worker: headers folded into one value per name
 * (ASP.NET joins repeats with ", "), the query as a one-value-per-key map, the original URL, and the
 * route parameters the host matched against the function's template.
 */
export function rpcHttp(req: HostHttpRequest, routeTemplate?: string): RpcTypedData {
  const headers: Record<string, string> = {};
  for (const [name, value] of req.headers ?? []) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(req.query ?? '')) query[k] ??= v;
  const prefix = req.routePrefix ?? 'api';
  const url = `https://${req.host ?? 'polycloud-test.azurewebsites.net'}${prefix ? `/${prefix}` : ''}${req.path}${req.query ? `?${req.query}` : ''}`;
  const http: RpcHttpData = {
    method: req.method,
    url,
    headers,
    query,
    params: routeTemplate ? matchTemplate(routeTemplate, req.path) : {},
  };
  if (req.body && req.body.length > 0) http.body = { bytes: req.body };
  return { http };
}

function matchTemplate(template: string, path: string): Record<string, string> {
  const params: Record<string, string> = {};
  const parts = path.split('/').slice(1);
  const segs = template === '' ? [] : template.split('/');
  segs.forEach((seg, i) => {
    const rest = /^\{\*(\w+)\}$/.exec(seg);
    if (rest) params[rest[1]!] = parts.slice(i).map(lenientDecode).join('/');
    const one = /^\{(\w+)\}$/.exec(seg);
    if (one && parts[i] !== undefined) params[one[1]!] = lenientDecode(parts[i]!);
  });
  return params;
}

/** ASP.NET routing leaves an undecodable escape as it is. */
function lenientDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface HostHttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie lines as the host writes them from the cookie objects. */
  cookies: string[];
  body: Uint8Array;
}

/** Reads the `$return` http output the way the host turns it into a response. */
export function hostHttpResponse(response: RpcInvocationResponse | undefined): HostHttpResponse {
  const http = response?.returnValue?.http;
  if (!http) throw new Error('the invocation returned no http response');
  const body = http.body?.bytes
    ? new Uint8Array(http.body.bytes)
    : http.body?.string !== undefined
      ? new TextEncoder().encode(http.body.string)
      : new Uint8Array(0);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(http.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    status: Number(http.statusCode ?? 200),
    headers,
    cookies: (http.cookies ?? []).map(setCookieLine),
    body,
  };
}

/** The Set-Cookie line the host writes for one cookie object (attribute order as ASP.NET Core). */
export function setCookieLine(c: RpcHttpCookie): string {
  const parts = [`${c.name}=${c.value}`];
  const expires = c.expires?.value?.seconds;
  if (expires !== undefined) parts.push(`expires=${new Date(expires * 1000).toUTCString()}`);
  if (c.maxAge?.value !== undefined) parts.push(`max-age=${c.maxAge.value}`);
  if (c.domain?.value) parts.push(`domain=${c.domain.value}`);
  if (c.path?.value) parts.push(`path=${c.path.value}`);
  if (c.secure?.value) parts.push('secure');
  if (c.sameSite === 'lax' || c.sameSite === 'strict') parts.push(`samesite=${c.sameSite}`);
  if (c.sameSite === 'explicitNone') parts.push('samesite=none');
  if (c.httpOnly?.value) parts.push('httponly');
  return parts.join('; ');
}

/** User log lines (what `context.info(...)` etc. sent the host). */
export function userLogs(outcome: HostOutcome): HostLog[] {
  return outcome.logs.filter((l) => l.category === 'user');
}
