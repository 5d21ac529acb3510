import type { LambdaClient } from '@aws-sdk/client-lambda';
import {
  type FunctionClient,
  FunctionInvokeError,
  type InvokeOptions,
  type PolycloudConfig,
} from '@polycloud/core';
import { INVOKE_ENVELOPE_KEY, type InvokeEnvelope } from '@polycloud/core/adapter';

/**
 * How a polycloud function name becomes a deployed Lambda function name — the same rule for
 * `polycloud build` (which writes `FunctionName` into template.yaml) and for the FunctionClient:
 *
 * 1. `providers.aws.functionNames[name]` in polycloud.config, when set;
 * 2. otherwise `${app}-${name}` (`echo-echoHttp`).
 *
 * At run time the built template passes the full map to every function as the environment variable
 * `POLYCLOUD_AWS_FUNCTION_NAMES` (JSON `{ name: deployedName }`), so the Lambda side needs no config
 * file; `POLYCLOUD_APP` alone gives the default rule.
 */
export const FUNCTION_NAMES_ENV = 'POLYCLOUD_AWS_FUNCTION_NAMES';
export const APP_NAME_ENV = 'POLYCLOUD_APP';

export function lambdaFunctionName(app: string, name: string, config?: PolycloudConfig): string {
  const configured = configuredFunctionNames(config)[name];
  return configured ?? `${app}-${name}`;
}

/** Reads and checks `providers.aws.functionNames`; the error names the failing config path. */
export function configuredFunctionNames(config?: PolycloudConfig): Record<string, string> {
  const names = config?.providers.aws?.functionNames;
  if (names === undefined) return {};
  if (typeof names !== 'object' || names === null || Array.isArray(names)) {
    throw new TypeError('providers.aws.functionNames must be an object { functionName: deployedName }');
  }
  for (const [key, value] of Object.entries(names)) {
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
      throw new TypeError(
        `providers.aws.functionNames.${key} must be a Lambda function name (1-64 letters, digits, "-", "_")`,
      );
    }
  }
  return names as Record<string, string>;
}

/** The mapping a deployed function uses when the caller passes none: from the environment build wrote. */
export function functionNameFromEnv(env: NodeJS.ProcessEnv = process.env): (name: string) => string {
  let map: Record<string, string> = {};
  const raw = env[FUNCTION_NAMES_ENV];
  if (raw) {
    try {
      map = JSON.parse(raw) as Record<string, string>;
    } catch {
      throw new TypeError(`${FUNCTION_NAMES_ENV} is not JSON: ${raw.slice(0, 80)}`);
    }
  }
  const app = env[APP_NAME_ENV];
  return (name) => map[name] ?? (app ? `${app}-${name}` : name);
}

export interface LambdaFunctionClientOptions {
  /** Defaults to the SDK's own chain (`AWS_REGION`, which Lambda always sets); `us-east-1` with a local endpoint. */
  region?: string;
  /** A local Lambda endpoint (serverless-offline, LocalStack); the SDK also honours `AWS_ENDPOINT_URL_LAMBDA`. */
  endpoint?: string;
  /** Neutral name → deployed Lambda name; defaults to `functionNameFromEnv()`. */
  functionNameFor?(name: string): string;
}

// One LambdaClient per cold start and endpoint: creating it per call would redo credential and
// endpoint resolution on every invoke.
const clients = new Map<string, Promise<LambdaClient>>();

function lambdaClient(options: LambdaFunctionClientOptions): Promise<LambdaClient> {
  const key = `${options.region ?? ''}|${options.endpoint ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    // Imported on first invoke only: functions that never call another function never load the SDK.
    client = import('@aws-sdk/client-lambda').then(({ LambdaClient }) => {
      const region = options.region ?? (options.endpoint ? process.env.AWS_REGION || 'us-east-1' : undefined);
      return new LambdaClient({
        ...(region ? { region } : {}),
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      });
    });
    client.catch(() => clients.delete(key));
    clients.set(key, client);
  }
  return client;
}

/**
 * FunctionClient over Lambda Invoke: the payload travels in the `polycloud:invoke` envelope so the
 * target handler runs it through `invokeByName` whatever its trigger kind.
 */
export function createLambdaFunctionClient(options: LambdaFunctionClientOptions = {}): FunctionClient {
  let nameFor = options.functionNameFor;
  return {
    async invoke<T = unknown>(
      functionName: string,
      payload?: unknown,
      invokeOptions: InvokeOptions = {},
    ): Promise<T | undefined> {
      nameFor ??= functionNameFromEnv();
      const deployedName = nameFor(functionName);
      const envelope: InvokeEnvelope = { [INVOKE_ENVELOPE_KEY]: { function: functionName, payload } };
      const [client, { InvokeCommand }] = await Promise.all([
        lambdaClient(options),
        import('@aws-sdk/client-lambda'),
      ]);
      let output: { StatusCode?: number; FunctionError?: string; Payload?: Uint8Array };
      try {
        output = await client.send(
          new InvokeCommand({
            FunctionName: deployedName,
            InvocationType: invokeOptions.async ? 'Event' : 'RequestResponse',
            Payload: new TextEncoder().encode(JSON.stringify(envelope)),
          }),
        );
      } catch (error) {
        // Service errors (ResourceNotFoundException, TooManyRequestsException ...) get the same typed error.
        const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
        throw new FunctionInvokeError(
          functionName,
          e.name ?? 'Error',
          e.message ?? String(error),
          e.$metadata?.httpStatusCode,
        );
      }
      if (invokeOptions.async) return undefined;
      const text = output.Payload?.length ? new TextDecoder().decode(output.Payload) : '';
      if (output.FunctionError) {
        const { errorType, errorMessage, status } = parseLambdaError(text, output.FunctionError);
        throw new FunctionInvokeError(functionName, errorType, errorMessage, status);
      }
      return decodeResult(functionName, text) as T | undefined;
    },
  };
}

// An http target's 4xx/5xx is thrown in the target as FunctionInvokeError, which reaches Lambda's
// error document only as its message "<name> failed: HttpError404: <message>".
const NESTED_INVOKE_ERROR = /^[A-Za-z][A-Za-z0-9_-]* failed: ([A-Za-z0-9_.]+): ([\s\S]*)$/;

/**
 * Lambda's error payload is `{ errorType, errorMessage, trace }`; anything else is kept as the message.
 * A nested FunctionInvokeError is unwrapped so the caller sees what an in-process invoke would give
 * (`HttpError404`, the message, status 404).
 */
export function parseLambdaError(
  text: string,
  functionError: string,
): { errorType: string; errorMessage: string; status?: number } {
  let errorType = functionError;
  let errorMessage = text;
  try {
    const value = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof value === 'object' && value !== null) {
      if (typeof value.errorType === 'string') errorType = value.errorType;
      if (typeof value.errorMessage === 'string') errorMessage = value.errorMessage;
    }
  } catch {
    // not JSON: the raw text is the message
  }
  const nested = errorType === 'FunctionInvokeError' ? NESTED_INVOKE_ERROR.exec(errorMessage) : null;
  if (!nested) return { errorType, errorMessage };
  const status = /^HttpError(\d{3})$/.exec(nested[1]!)?.[1];
  return status
    ? { errorType: nested[1]!, errorMessage: nested[2]!, status: Number(status) }
    : { errorType: nested[1]!, errorMessage: nested[2]! };
}

function decodeResult(functionName: string, text: string): unknown {
  if (text === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FunctionInvokeError(functionName, 'InvalidResponse', 'the function answered with non-JSON');
  }
  // Lambda serialises a handler's `undefined` as `null`; in-process invokes give undefined.
  return value === null ? undefined : value;
}
