export { BODY_ENCODING_ATTRIBUTE } from './body-encoding.ts';
export { HTTP_SHAPES } from './http-shapes.ts';
export {
  createLambda,
  INVOKERS,
  type LambdaApp,
  type LambdaHandler,
  type LambdaOptions,
  lambdaHandler,
} from './lambda.ts';
export { type AwsRaw, awsRaw } from './lambda-context.ts';
export { lambdaLogRecord, lambdaLogSink } from './lambda-log-sink.ts';
export { createLambdaWith, type InvokerFactories } from './lambda-runtime.ts';
export { type AwsProviderOptions, awsProvider } from './provider.ts';
export { createSqsQueue, QUEUE_URLS_ENV } from './queue-client.ts';
export { ALB_RESPONSE_LIMIT_BYTES, LAMBDA_RESPONSE_LIMIT_BYTES } from './response-limit.ts';
export { createSnsTopic, TOPIC_ARNS_ENV } from './topic-client.ts';
