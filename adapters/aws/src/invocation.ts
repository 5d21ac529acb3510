import type { Logger } from '@polycloud/core';
import { type FunctionRunner, type InvocationInit, LazyLogger } from '@polycloud/core/adapter';
import type { Context as LambdaContext } from 'aws-lambda';
import type { AwsRaw } from './raw.ts';

/**
 * The invocation facts Lambda gives: request id and the deadline from the remaining time. The
 * per-invocation logger is left to the context, which builds it on first use.
 * @coldStart
 */
export function invocationInit(event: unknown, context: LambdaContext | undefined): InvocationInit {
  return new LambdaInvocation(event, context);
}

// A class with a lazy `raw`: one allocation per invocation instead of two on the hot path.
class LambdaInvocation implements InvocationInit {
  readonly requestId: string | undefined;
  log: Logger | undefined;
  readonly #event: unknown;
  readonly #context: LambdaContext | undefined;
  #raw?: AwsRaw;

  constructor(event: unknown, context: LambdaContext | undefined) {
    this.#event = event;
    this.#context = context;
    this.requestId = typeof context?.awsRequestId === 'string' ? context.awsRequestId : undefined;
  }

  /** Asked only when a handler reads the deadline: now + remaining is the same instant whenever asked. */
  remainingMs(): number | undefined {
    const context = this.#context;
    return typeof context?.getRemainingTimeInMillis === 'function'
      ? context.getRemainingTimeInMillis()
      : undefined;
  }

  get raw(): AwsRaw {
    this.#raw ??= { provider: 'aws', event: this.#event, context: this.#context as LambdaContext };
    return this.#raw;
  }
}

/** For a batch: one lazy logger per Lambda invocation, shared by every record instead of one per record. */
export function batchInvocationInit(
  runner: FunctionRunner,
  event: unknown,
  context: LambdaContext | undefined,
): InvocationInit {
  const init = invocationInit(event, context);
  // Without a Lambda request id the runtime makes one per message and logs it itself.
  if (init.requestId) {
    const fields = { function: runner.fn.name, requestId: init.requestId };
    init.log = new LazyLogger(() => runner.runtime.log.child(fields));
  }
  return init;
}
