import {
  Config,
  FunctionClient,
  type PolycloudConfig,
  type ProviderBinding,
  Queue,
  Topic,
} from '@polycloud/core';
import { ContainerModule } from 'inversify';
import type { LambdaFunctionClientOptions } from './function-client.ts';
import { type LineWriter, lambdaLogSink } from './lambda-log-sink.ts';

export interface AwsProviderOptions {
  /** How long before the Lambda timeout `ctx.signal` fires; default 500 ms. */
  abortMarginMs?: number;
  /** Passed to the Lambda FunctionClient (region, endpoint, name mapping). */
  functionClient?: LambdaFunctionClientOptions;
  /** Where JSON log lines go; default stdout (what Lambda ships to CloudWatch). */
  logWriter?: LineWriter;
  env?: NodeJS.ProcessEnv;
}

/** Lambda's own default timeout, used only when no Lambda context says otherwise. */
const LAMBDA_DEFAULT_TIMEOUT_MS = 3_000;

/** The AWS provider binding: Lambda JSON logs, the Lambda FunctionClient, SQS Queue, SNS Topic, provider info. */
export function awsProvider(options: AwsProviderOptions = {}): ProviderBinding {
  const env = options.env ?? process.env;
  // A thunk: the module is built only when a function first resolves a service, never at cold start.
  const module = () =>
    new ContainerModule(({ bind }) => {
      bind(FunctionClient).toDynamicValue(() => lazyFunctionClient(options.functionClient ?? {}));
      // Singletons: the queue URL / topic ARN lookups are cached for the cold start. Resolving them
      // loads neither their code nor the SDK: both are imported on the first send / publish.
      bind(Queue)
        .toDynamicValue(({ get }) => lazySqsQueue(get(Config), env))
        .inSingletonScope();
      bind(Topic)
        .toDynamicValue(({ get }) => lazySnsTopic(get(Config), env))
        .inSingletonScope();
    });
  const details: Record<string, string> = {};
  for (const [key, name] of [
    ['functionName', 'AWS_LAMBDA_FUNCTION_NAME'],
    ['functionVersion', 'AWS_LAMBDA_FUNCTION_VERSION'],
    ['memoryMb', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE'],
    ['logGroup', 'AWS_LAMBDA_LOG_GROUP_NAME'],
  ] as const) {
    const value = env[name];
    if (value) details[key] = value;
  }
  const region = env.AWS_REGION;
  return {
    name: 'aws',
    module,
    sink: lambdaLogSink(options.logWriter, env),
    info: region ? { region, details } : { details },
    defaultTimeoutMs: LAMBDA_DEFAULT_TIMEOUT_MS,
    abortMarginMs: options.abortMarginMs ?? 500,
  };
}

/**
 * The container resolves synchronously, so the client module is imported on the first invoke: a
 * function that never calls another one loads neither it nor @aws-sdk/client-lambda.
 */
function lazyFunctionClient(options: LambdaFunctionClientOptions): FunctionClient {
  const client = once(() =>
    import('./function-client.ts').then((m) => m.createLambdaFunctionClient(options)),
  );
  return {
    async invoke(functionName, payload, invokeOptions) {
      return (await client()).invoke(functionName, payload, invokeOptions);
    },
  };
}

/** The SQS Queue, its module (a chunk of a split bundle) imported on the first send. */
function lazySqsQueue(config: PolycloudConfig, env: NodeJS.ProcessEnv): Queue {
  const queue = once(() => import('./queue-client.ts').then((m) => m.createSqsQueue(config, env)));
  return {
    async send(name, body, options) {
      return (await queue()).send(name, body, options);
    },
  };
}

/** The SNS Topic, its module imported on the first publish. */
function lazySnsTopic(config: PolycloudConfig, env: NodeJS.ProcessEnv): Topic {
  const topic = once(() => import('./topic-client.ts').then((m) => m.createSnsTopic(config, env)));
  return {
    async publish(name, body, options) {
      return (await topic()).publish(name, body, options);
    },
  };
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load();
    return value;
  };
}
