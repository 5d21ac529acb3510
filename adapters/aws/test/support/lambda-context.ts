import { randomUUID } from 'node:crypto';
import type { Context as LambdaContext } from 'aws-lambda';

/**
 * A Lambda context with every field the Node.js managed runtime sets, and a real
 * `getRemainingTimeInMillis()` counting down to a deadline, as aws-lambda-ric builds it.
 */
export function lambdaContext(
  options: { functionName?: string; timeoutMs?: number; requestId?: string } = {},
): LambdaContext {
  const functionName = options.functionName ?? 'polycloud-test';
  const deadline = Date.now() + (options.timeoutMs ?? 3_000);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/27/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
