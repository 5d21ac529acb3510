/**
 * The resource name at the end of an ARN: `arn:aws:sqs:eu-west-1:123:orders` → `orders`,
 * `arn:aws:kinesis:...:stream/clicks` → `clicks`, `arn:aws:dynamodb:...:table/Todos/stream/2024...` → `Todos`.
 */
export function arnResourceName(arn: unknown): string {
  if (typeof arn !== 'string' || arn === '') return '';
  const resource = arn.split(':').slice(5).join(':');
  if (resource === '') return arn;
  // DynamoDB stream ARNs name the table before `/stream/<label>`.
  const table = /^table\/([^/]+)\/stream\//.exec(resource);
  if (table) return table[1]!;
  const slash = resource.indexOf('/');
  return slash === -1 ? resource : resource.slice(slash + 1);
}

/** A queue or topic's polycloud name: FIFO queues and topics must end in `.fifo` on AWS, the neutral name does not. */
export function queueOrTopicName(arn: unknown): string {
  const name = arnResourceName(arn);
  return name.endsWith('.fifo') ? name.slice(0, -5) : name;
}
