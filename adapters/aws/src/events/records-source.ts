import { isObject, type JsonObject } from '../json-object.ts';

/** Shape tests shared by the event sources: Lambda hands every source over as plain JSON. */
export { isObject, type JsonObject } from '../json-object.ts';

/** `Records[0].eventSource` (SQS, S3, Kinesis, DynamoDB) or `Records[0].EventSource` (SNS). */
export function recordsSource(event: JsonObject): string | undefined {
  const records = event.Records;
  // Stryker disable next-line ConditionalExpression: the empty-list shortcut; records[0] of [] is no object either
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const first = records[0];
  if (!isObject(first)) return undefined;
  const source = first.eventSource ?? first.EventSource;
  return typeof source === 'string' ? source : undefined;
}

/** An EventBridge event: `detail-type` and `source` are what every EventBridge envelope carries. */
export function isEventBridge(event: JsonObject): boolean {
  return typeof event['detail-type'] === 'string' && typeof event.source === 'string' && 'detail' in event;
}
