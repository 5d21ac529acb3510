import { clip } from '../clip.ts';
import { isEventBridge, isObject, type JsonObject, recordsSource } from './records-source.ts';

const RECORD_SOURCES: Record<string, string> = {
  'aws:sqs': 'an SQS batch',
  'aws:sns': 'an SNS notification',
  'aws:s3': 'an S3 notification',
  'aws:kinesis': 'a Kinesis batch',
  'aws:dynamodb': 'a DynamoDB Streams batch',
  'aws:ses': 'an SES receipt event',
  'aws:codecommit': 'a CodeCommit event',
};

/**
 * A human name for what an event looks like, supported or not, so an event sent to the wrong function
 * says what it is instead of the peers' "unable to determine event source".
 */
export function describeEvent(event: unknown): string | undefined {
  if (!isObject(event)) return undefined;
  const records = recordsSource(event);
  if (records)
    return (
      (Object.hasOwn(RECORD_SOURCES, records) ? RECORD_SOURCES[records] : undefined) ??
      `a "${clip(records)}" batch`
    );
  const rc = isObject(event.requestContext) ? event.requestContext : undefined;
  if (typeof event.methodArn === 'string' || typeof event.routeArn === 'string')
    return 'an API Gateway authorizer request';
  if (event.type === 'TOKEN' || event.type === 'REQUEST') return 'an API Gateway authorizer request';
  if (rc && (typeof rc.connectionId === 'string' || typeof rc.eventType === 'string'))
    return 'an API Gateway WebSocket event';
  if (rc && isObject(rc.elb)) return 'an ALB request';
  if (rc && typeof rc.serviceNetworkArn === 'string') return 'a VPC Lattice request';
  if (event.version === '2.0' && rc && isObject(rc.http)) {
    return typeof rc.domainName === 'string' && rc.domainName.includes('.lambda-url.')
      ? 'a Lambda Function URL request'
      : 'an API Gateway HTTP API (v2) request';
  }
  if (typeof event.httpMethod === 'string' && rc) return 'an API Gateway REST (v1) request';
  if (isEventBridge(event)) {
    if (event['detail-type'] === 'Scheduled Event') return 'an EventBridge scheduled event';
    if (event.source === 'aws.s3') return 'an S3 event via EventBridge';
    return `an EventBridge event (source "${clip(String(event.source))}")`;
  }
  if (typeof event.triggerSource === 'string' && typeof event.userPoolId === 'string')
    return 'a Cognito user pool trigger';
  if (typeof event.RequestType === 'string' && typeof event.ResponseURL === 'string')
    return 'a CloudFormation custom resource request';
  // Self-managed Kafka: `SelfManagedKafka` in the Lambda guide's example, `aws:SelfManagedKafka` as
  // Powertools' captured event (test/fixtures/aws/kafka) has it.
  const kafka = event.eventSource;
  if (kafka === 'aws:kafka' || kafka === 'SelfManagedKafka' || kafka === 'aws:SelfManagedKafka')
    return 'a Kafka batch';
  if (event.eventSource === 'aws:mq' || event.eventSource === 'aws:rmq') return 'an Amazon MQ batch';
  if (isObject(event.awslogs)) return 'a CloudWatch Logs subscription event';
  if (typeof event.deliveryStreamArn === 'string') return 'a Kinesis Data Firehose transformation request';
  if (isObject(event.info) && 'arguments' in event) return 'an AppSync resolver event';
  if (isObject(event.getObjectContext)) return 'an S3 Object Lambda request';
  return undefined;
}

export function topLevelKeys(event: unknown): string {
  if (event === null) return 'null';
  if (Array.isArray(event)) return `an array of ${event.length}`;
  if (typeof event !== 'object') return `a ${typeof event}`;
  const keys = Object.keys(event as JsonObject);
  if (keys.length === 0) return 'an empty object';
  const shown = keys
    .slice(0, 15)
    .map((k) => clip(k, 40))
    .join(', ');
  return `top-level keys [${shown}${keys.length > 15 ? `, … ${keys.length - 15} more` : ''}]`;
}
