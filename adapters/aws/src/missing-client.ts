import { ConfigError, type Queue, type Topic } from '@polycloud/core';

/**
 * Queue and Topic on AWS need @aws-sdk/client-sqs and @aws-sdk/client-sns, which this package does not
 * depend on yet. Resolving the service works (so an app that only declares it still starts); using it
 * fails with an error that says exactly what is missing, instead of a late "module not found".
 */
function missing(service: string, client: string, operation: string): Error {
  return new ConfigError(
    `${service}.${operation} on aws needs ${client}, which @polycloud/aws does not ship yet; ` +
      `bind your own ${service} implementation in a ContainerModule of defineApp({ modules }) meanwhile`,
  );
}

export const unavailableQueue: Queue = {
  send: () => Promise.reject(missing('Queue', '@aws-sdk/client-sqs (SendMessage)', 'send')),
};

export const unavailableTopic: Topic = {
  publish: () => Promise.reject(missing('Topic', '@aws-sdk/client-sns (Publish)', 'publish')),
};
