export { createSqsQueue, QUEUE_URLS_ENV } from './clients/queue-client.ts';
export { createSnsTopic, TOPIC_ARNS_ENV } from './clients/topic-client.ts';
export { BODY_ENCODING_ATTRIBUTE } from './events/body-encoding.ts';
export {
  createLambda,
  handle,
  INVOKERS,
  type LambdaApp,
  type LambdaHandler,
} from './handle.ts';
export { HTTP_SHAPES } from './http/payload-shapes.ts';
export { ALB_RESPONSE_LIMIT_BYTES, LAMBDA_RESPONSE_LIMIT_BYTES } from './http/response-limit.ts';
export { createLambdaWith, type InvokerFactories } from './lambda-app.ts';
export { lambdaLogRecord, lambdaLogSink } from './lambda-log-sink.ts';
export type { AwsOptions } from './options.ts';
export { type AwsProviderOptions, awsProvider } from './provider.ts';
export { type AwsRaw, awsRaw } from './raw.ts';
