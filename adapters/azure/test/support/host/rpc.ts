/** The slice of the worker's RPC protocol (azure-functions-language-worker-protobuf) the tests speak. */
export interface RpcBindingInfo {
  type?: string;
  direction?: 'in' | 'out' | 'inout';
  dataType?: string;
  [key: string]: unknown;
}

export interface RpcHttpCookie {
  name?: string;
  value?: string;
  domain?: { value?: string } | null;
  path?: { value?: string } | null;
  expires?: { value?: { seconds?: number; nanos?: number } } | null;
  secure?: { value?: boolean } | null;
  httpOnly?: { value?: boolean } | null;
  sameSite?: 'none' | 'lax' | 'strict' | 'explicitNone';
  maxAge?: { value?: number } | null;
}

export interface RpcHttpData {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  params?: Record<string, string>;
  body?: RpcTypedData;
  statusCode?: string;
  cookies?: RpcHttpCookie[];
}

export interface RpcTypedData {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  http?: RpcHttpData;
  int?: number;
  double?: number;
  collectionString?: { string: string[] };
  collectionBytes?: { bytes: Uint8Array[] };
}

export interface RpcInvocationResponse {
  invocationId: string;
  outputData?: { name: string; data: RpcTypedData }[];
  returnValue?: RpcTypedData | null;
}
