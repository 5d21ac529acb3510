import type { App } from '@polycloud/core';
import { eventInvoker } from './events/event-invoker.ts';
import { queueInvoker } from './events/queue-invoker.ts';
import { scheduleInvoker } from './events/schedule-invoker.ts';
import { storageInvoker } from './events/storage-invoker.ts';
import { topicInvoker } from './events/topic-invoker.ts';
import { httpInvoker } from './http/http-invoker.ts';
import { createLambdaWith, type InvokerFactories, type LambdaApp, type LambdaHandler } from './lambda-app.ts';
import type { AwsOptions } from './options.ts';

export type { LambdaApp, LambdaHandler } from './lambda-app.ts';

/** Every event source of every trigger kind. */
export const INVOKERS: Required<InvokerFactories> = {
  http: httpInvoker,
  queue: queueInvoker,
  topic: topicInvoker,
  storage: storageInvoker,
  schedule: scheduleInvoker,
  event: eventInvoker,
};

/** Creates the app's runtime for this cold start and hands out one Lambda handler per function. */
export function createLambda(app: App, options: AwsOptions = {}): LambdaApp {
  return createLambdaWith(app, options, INVOKERS);
}

/** The handler of one function, the runtime created once at module load (cold start). */
export function handle(app: App, functionName: string, options?: AwsOptions): LambdaHandler {
  return createLambda(app, options).handler(functionName);
}
