import { ConfigError, type Topic } from '@polycloud/core';

/**
 * Topic on Azure means Service Bus topics (the default trigger of topic functions), which need
 * @azure/service-bus: @polycloud/azure does not ship it yet. Resolving the service works, so an app that
 * only declares it starts; publishing fails saying what is missing instead of a late "module not found".
 */
export const unavailableTopic: Topic = {
  publish: (topic) =>
    Promise.reject(
      new ConfigError(
        `Topic.publish(${JSON.stringify(topic)}) on azure needs @azure/service-bus (Service Bus topics), ` +
          'which @polycloud/azure does not ship yet; bind your own Topic in a ContainerModule of defineApp({ modules }) meanwhile',
      ),
    ),
};
