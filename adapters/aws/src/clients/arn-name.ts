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

// Every record of a batch names the same source: parse its ARN once, not once per record.
let lastArn: unknown;
let lastName = '';

/** A queue or topic's polycloud name: FIFO queues and topics must end in `.fifo` on AWS, the neutral name does not. */
export function queueOrTopicName(arn: unknown): string {
  if (arn === lastArn && typeof arn === 'string') return lastName;
  const name = arnResourceName(arn);
  lastArn = arn;
  lastName = name.endsWith('.fifo') ? name.slice(0, -5) : name;
  return lastName;
}
