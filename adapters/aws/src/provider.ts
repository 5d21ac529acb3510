import { Config, FunctionClient, type PolycloudConfig, Queue, Storage, Topic } from '@polycloud/core';
import { lazyService, type ProviderBinding, provide, STORAGE_METHODS } from '@polycloud/core/adapter';
import type { LambdaFunctionClientOptions } from './clients/function-client.ts';
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

/**
 * The AWS provider binding: Lambda JSON logs, the Lambda FunctionClient, SQS Queue, SNS Topic, S3 Storage, provider info.
 * @coldStart
 */
export function awsProvider(options: AwsProviderOptions = {}): ProviderBinding {
  const env = options.env ?? process.env;
  // Each client is core's lazyService: its module (a chunk of the split bundle) and its AWS SDK
  // client are imported on the first call, so a function that never calls it loads neither.
  // Each is built once per cold start (the queue URL / topic ARN lookups are cached in it).
  const services = [
    provide(FunctionClient, () =>
      lazyService<FunctionClient>(['invoke'], () =>
        import('./clients/function-client.ts').then((m) =>
          m.createLambdaFunctionClient(options.functionClient ?? {}),
        ),
      ),
    ),
    provide(Queue, (get) => {
      const config: PolycloudConfig = get(Config);
      return lazyService<Queue>(['send'], () =>
        import('./clients/queue-client.ts').then((m) => m.createSqsQueue(config, env)),
      );
    }),
    provide(Topic, (get) => {
      const config: PolycloudConfig = get(Config);
      return lazyService<Topic>(['publish'], () =>
        import('./clients/topic-client.ts').then((m) => m.createSnsTopic(config, env)),
      );
    }),
    // Loaded on the first Storage call: a function that never stores never loads @aws-sdk/client-s3.
    provide(Storage, (get) => {
      const config: PolycloudConfig = get(Config);
      return lazyService<Storage>(STORAGE_METHODS, () =>
        import('./clients/s3-storage.ts').then((m) => m.createS3Storage(config, env)),
      );
    }),
  ];
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
    services,
    sink: lambdaLogSink(options.logWriter, env),
    info: region ? { region, details } : { details },
    defaultTimeoutMs: LAMBDA_DEFAULT_TIMEOUT_MS,
    abortMarginMs: options.abortMarginMs ?? 500,
  };
}
