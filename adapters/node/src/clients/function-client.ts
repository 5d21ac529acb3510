import { type FunctionClient, FunctionInvokeError } from '@polycloud/core';
import { type AppRuntime, newRequestId, toError } from '@polycloud/core/adapter';

/**
 * FunctionClient of the node runtime: functions of one server call each other in-process. `async`
 * is fire and forget like Lambda's Event invocation (failures are logged, not thrown at the caller);
 * a failed call rejects with `FunctionInvokeError`, as on every provider.
 *
 * @example
 * bind(FunctionClient).toDynamicValue(({ get }) => createInProcessFunctionClient(get(AppRuntime)));
 */
export function createInProcessFunctionClient(runtime: AppRuntime): FunctionClient {
  return {
    async invoke<T>(name: string, payload?: unknown, options?: { async?: boolean }) {
      const requestId = newRequestId();
      if (options?.async) {
        runtime.invokeByName(name, payload, { requestId }).catch((error: unknown) => {
          runtime.log.error('async invocation failed', {
            function: name,
            requestId,
            error: toError(error),
          });
        });
        return undefined;
      }
      try {
        return (await runtime.invokeByName(name, payload, { requestId })) as T;
      } catch (error) {
        throw invokeFailure(name, error);
      }
    },
  };
}

/**
 * An in-process call that failed, as every provider's FunctionClient reports it: a
 * `FunctionInvokeError` naming the target's error type (an http target's error status already is one),
 * the target's own error as `cause`.
 */
function invokeFailure(name: string, error: unknown): FunctionInvokeError {
  if (error instanceof FunctionInvokeError) return error;
  const e = toError(error);
  return new FunctionInvokeError(name, e.name, e.message, undefined, { cause: error });
}
