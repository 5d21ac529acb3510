import type { FunctionClient } from '@polycloud/core';
import { type AppRuntime, newRequestId, toError } from '@polycloud/core/adapter';

/**
 * FunctionClient of the node runtime: functions of one server call each other in-process. `async`
 * is fire and forget like Lambda's Event invocation (failures are logged, not thrown at the caller);
 * a failed call rejects with `FunctionInvokeError`, as on every provider (built by client-failures.ts,
 * imported on the first failure).
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
        throw (await import('./client-failures.ts')).invokeFailure(name, error);
      }
    },
  };
}
