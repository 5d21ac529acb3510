/**
 * The resource name at the end of an ARN: `arn:aws:sqs:eu-west-1:123:orders` → `orders`,
 * `arn:aws:kinesis:...:stream/clicks` → `clicks`, `arn:aws:dynamodb:...:table/Todos/stream/2024...` → `Todos`.
 */
export function arnResourceName(arn: unknown): string {
  if (typeof arn !== 'string' || arn === '') return '';
  // arn:partition:service:region:account:resource — the resource starts after the fifth colon.
  let colon = -1;
  for (let i = 0; i < 5; i++) {
    colon = arn.indexOf(':', colon + 1);
    if (colon === -1) return arn;
  }
  const resource = arn.slice(colon + 1);
  if (resource === '') return arn;
  // DynamoDB stream ARNs name the table before `/stream/<label>`.
  if (resource.startsWith('table/')) {
    const table = /^table\/([^/]+)\/stream\//.exec(resource);
    if (table) return table[1]!;
  }
  const slash = resource.indexOf('/');
  return slash === -1 ? resource : resource.slice(slash + 1);
}

/**
 * A queue or topic's polycloud name: FIFO queues and topics must end in `.fifo` on AWS, the neutral
 * name does not. The indexOf parse costs about 0.1 µs (test/bench/aws-caches.bench.ts), the split/join
 * it replaced 0.2 µs; a batch reads it through `batchQueueNames`.
 */
export function queueOrTopicName(arn: unknown): string {
  const name = arnResourceName(arn);
  return name.endsWith('.fifo') ? name.slice(0, -5) : name;
}

/**
 * `queueOrTopicName` for the records of one batch: Lambda fills a batch from one event source
 * mapping, so every record names the same queue and the name is parsed once, not per record
 * (10 records: 1.1 µs → 0.1 µs, a sixth of polycloud's cost over a hand-written SQS×10 handler;
 * test/bench/aws-caches.bench.ts). The memory lives as long as the batch, not the module: a record
 * with another ARN is parsed on its own.
 *
 * @example
 * const name = batchQueueNames();
 * records.map((r) => name(r.eventSourceARN));
 */
export function batchQueueNames(): (arn: unknown) => string {
  let lastArn: string | undefined;
  let lastName = '';
  return (arn) => {
    if (typeof arn !== 'string') return queueOrTopicName(arn);
    if (arn !== lastArn) {
      lastName = queueOrTopicName(arn);
      lastArn = arn;
    }
    return lastName;
  };
}
