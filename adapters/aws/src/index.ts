export { HTTP_SHAPES } from './http-shapes.ts';
export {
  createLambda,
  type LambdaApp,
  type LambdaHandler,
  type LambdaOptions,
  lambdaHandler,
} from './lambda.ts';
export { type AwsRaw, awsRaw } from './lambda-context.ts';
export { lambdaLogRecord, lambdaLogSink } from './lambda-log-sink.ts';
export { type AwsProviderOptions, awsProvider } from './provider.ts';
export { ALB_RESPONSE_LIMIT_BYTES, LAMBDA_RESPONSE_LIMIT_BYTES } from './response-limit.ts';
