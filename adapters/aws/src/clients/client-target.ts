import { ConfigError, type PolycloudConfig } from '@polycloud/core';

/** Where an SQS/SNS client connects: config first, then the SDK's own chain (AWS_REGION, AWS_ENDPOINT_URL_SQS ...). */
export interface AwsClientTarget {
  region?: string;
  endpoint?: string;
}

/**
 * `providers.aws.endpoints.<service>` wins over `providers.aws.endpoint`, so one config can point SQS
 * at a local emulator and Lambda at another. With a local endpoint and no region, us-east-1.
 */
export function clientTarget(
  config: PolycloudConfig,
  service: 'sqs' | 'sns' | 's3',
  env: NodeJS.ProcessEnv = process.env,
): AwsClientTarget {
  const aws = config.providers.aws ?? {};
  const endpoints = aws.endpoints;
  if (
    endpoints !== undefined &&
    (typeof endpoints !== 'object' || endpoints === null || Array.isArray(endpoints))
  ) {
    throw new ConfigError('providers.aws.endpoints must be an object { sqs?: url, sns?: url, s3?: url }');
  }
  const specific = (endpoints as Record<string, unknown> | undefined)?.[service];
  const endpoint = specific ?? aws.endpoint;
  if (endpoint !== undefined && typeof endpoint !== 'string') {
    throw new ConfigError(
      `providers.aws.${specific === undefined ? 'endpoint' : `endpoints.${service}`} must be a URL`,
    );
  }
  if (aws.region !== undefined && typeof aws.region !== 'string') {
    throw new ConfigError('providers.aws.region must be a string');
  }
  const region = (aws.region as string | undefined) ?? (endpoint ? env.AWS_REGION || 'us-east-1' : undefined);
  return { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) };
}
