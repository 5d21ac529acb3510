/**
 * Contract-kit drivers for the AWS adapter: each turns the kit's neutral scenarios into the native
 * Lambda events of one front door / event source, calls the adapter's real handler with a real-shaped
 * Lambda context, and reads the native answer back as AWS would (JSON round trip included).
 */
import { randomUUID } from 'node:crypto';
import type { App } from '@polycloud/core';
import type { FunctionKind } from '@polycloud/core/adapter';
import type { AdapterDriver, BatchOutcome, DriverSession, NeutralMessage, Outcome } from '@polycloud/testing';
import { createLambda, type LambdaApp } from '../../src/index.ts';
import { lambdaContext } from './lambda-context.ts';
import {
  eventBridgeEvent,
  kinesisRecord,
  s3EventBridgeEvent,
  s3Record,
  scheduledEvent,
  snsEvent,
  snsNotification,
  sqsRecord,
  text,
} from './native-events.ts';
import {
  type HttpFrontDoor,
  malformedHttpEvent,
  nativeHttpEvent,
  observeHttpResponse,
} from './native-http.ts';

export type QueueSource = 'sqs' | 'sqs-fifo' | 'kinesis';
export type TopicSource = 'sns' | 'sqs-sns' | 'sqs-sns-fifo';
export type StorageSource = 's3' | 's3-sqs' | 's3-eventbridge';

export interface LambdaDriverOptions {
  /** Matrix column suffix: `aws:<name>`. */
  name: string;
  http?: HttpFrontDoor;
  queue?: QueueSource;
  topic?: TopicSource;
  storage?: StorageSource;
}

const SQS_TEXT =
  'SQS message bodies are text (XML characters only): binary needs an application-level encoding such as base64 (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html)';
const FIFO_BATCH =
  'FIFO: after a failure every later message of the batch is returned unrun (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html); covered by fifo.stop-at-first-failure';

/** Scenarios a source cannot support, with the reason shown in the matrix. */
function unsupportedFor(o: Required<LambdaDriverOptions>): Record<string, string> {
  const out: Record<string, string> = {};
  if (o.http === 'apigw-v1') {
    out['http.path.percent-decoded-once'] =
      'API Gateway REST decodes the path before Lambda sees it: an encoded %2F cannot be told from a / (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html)';
  }
  if (o.http === 'apigw-v2' || o.http === 'function-url') {
    out['http.headers.repeated'] =
      'payload 2.0 joins repeated request headers with "," before Lambda ("one,two"); values cannot be split back safely (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html)';
  }
  if (o.http === 'alb' || o.http === 'alb-multi') {
    const limit =
      'ALB limits a Lambda target to 1 MB of request body and 1 MB of response JSON (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html); larger responses are a clean 500';
    out['http.body.large-in'] = limit;
    out['http.body.large-out'] = limit;
  }
  if (o.http === 'alb') {
    const why =
      'ALB without multi-value headers keeps only the last value of a repeated key (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html#multi-value-headers); aws:alb-multi covers it';
    out['http.headers.repeated'] = why;
    out['http.query.repeated'] = why;
  }
  if (o.queue === 'sqs' || o.queue === 'sqs-fifo') out['queue.body.binary'] = SQS_TEXT;
  if (o.queue === 'sqs-fifo') out['queue.batch.partial-failure'] = FIFO_BATCH;
  if (o.queue === 'kinesis') {
    out['queue.attributes'] =
      'Kinesis records carry no attributes (data and a partition key only) (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html)';
    out['queue.delivery-count'] =
      'Kinesis records carry no delivery count (Lambda retries by re-reading the shard) (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html)';
    out['queue.batch.partial-failure'] =
      'a Kinesis shard is ordered: after a failure Lambda re-reads from the failed record, so every later record is reported too (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html); covered by queue.fifo.stop-at-first-failure';
  }
  out['topic.body.binary'] =
    'SNS messages are text: binary needs an application-level encoding such as base64 (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html)';
  if (o.topic === 'sns') {
    out['topic.delivery-count'] =
      'SNS invokes Lambda asynchronously and Lambda does not tell the function its retry attempt (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html)';
    out['topic.fifo.stop-at-first-failure'] =
      'SNS FIFO topics cannot subscribe a Lambda function (only SQS FIFO queues) (https://docs.aws.amazon.com/sns/latest/dg/fifo-message-delivery.html): ordered topic delivery is covered by aws:sqs-fifo';
    out['topic.fifo.group-failure'] =
      'SNS FIFO topics cannot subscribe a Lambda function (only SQS FIFO queues) (https://docs.aws.amazon.com/sns/latest/dg/fifo-message-delivery.html): ordered topic delivery is covered by aws:sqs-fifo';
  }
  if (o.topic === 'sqs-sns-fifo') out['topic.batch.partial-failure'] = FIFO_BATCH;
  out['event.extensions'] =
    'EventBridge events have no place for CloudEvent extension attributes (only source, detail-type, detail, resources, time) (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html)';
  return out;
}

export function lambdaDriver(options: LambdaDriverOptions): AdapterDriver {
  const o: Required<LambdaDriverOptions> = {
    http: 'apigw-v2',
    queue: 'sqs',
    topic: 'sqs-sns',
    storage: 's3',
    ...options,
  };
  return {
    name: `aws:${o.name}`,
    provider: 'aws',
    sources: { http: o.http, queue: o.queue, topic: o.topic, storage: o.storage },
    unsupported: unsupportedFor(o),
    async start(app) {
      return new LambdaSession(app, o);
    },
  };
}

/** What Lambda does with a handler's result: JSON out, JSON back. */
function overTheWire(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

class LambdaSession implements DriverSession {
  readonly #lambda: LambdaApp;
  readonly #app: App;
  readonly #o: Required<LambdaDriverOptions>;
  readonly logs: string[] = [];

  constructor(app: App, o: Required<LambdaDriverOptions>) {
    this.#app = app;
    this.#o = o;
    this.#lambda = createLambda(app, {
      logWriter: (line) => {
        this.logs.push(line);
        if (this.logs.length > 500) this.logs.splice(0, 100);
      },
    });
  }

  get runtime() {
    return this.#lambda.runtime;
  }

  /** Invokes the real handler as the Lambda runtime does: parsed JSON in, JSON out. */
  async #invoke(
    fn: string,
    event: unknown,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    const def = this.#app.functions.get(fn);
    const context = lambdaContext({ functionName: fn, timeoutMs: def?.options.timeoutMs ?? 3_000 });
    try {
      const value = await this.#lambda.handler(fn)(JSON.parse(JSON.stringify(event)), context);
      return { ok: true, value: overTheWire(value) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  #kind(fn: string): FunctionKind {
    const def = this.#app.functions.get(fn);
    if (!def) throw new TypeError(`no function ${fn}`);
    return def.kind;
  }

  #trigger(fn: string): string {
    const def = this.#app.functions.get(fn)!;
    if (def.kind === 'queue') return def.queue;
    if (def.kind === 'topic') return def.topic;
    if (def.kind === 'schedule') return def.name;
    if (def.kind === 'storage') return def.bucket;
    return fn;
  }

  async http(fn: string, request: import('@polycloud/testing').NeutralHttpRequest) {
    const result = await this.#invoke(fn, nativeHttpEvent(this.#o.http, request, randomUUID()));
    // A thrown error is what API Gateway / ALB answer 502 for.
    if (!result.ok)
      return {
        status: 502,
        headers: { 'content-type': 'application/json' },
        cookies: [],
        body: new TextEncoder().encode('{"message":"Internal server error"}'),
      };
    return observeHttpResponse(this.#o.http, result.value);
  }

  async messages(fn: string, batch: NeutralMessage[], options: { ordered: boolean }): Promise<BatchOutcome> {
    const kind = this.#kind(fn);
    const name = this.#trigger(fn);
    const source = kind === 'queue' ? this.#o.queue : this.#o.topic;
    if (source === 'sns') {
      // SNS invokes Lambda once per notification.
      const failed: string[] = [];
      for (const m of batch) if (!(await this.#invoke(fn, snsEvent(m, name))).ok) failed.push(m.id);
      return { failed };
    }
    if (source === 'kinesis') {
      const ids = new Map<string, string>();
      const records = batch.map((m, i) => {
        const seq = `4959033827149025660855969253836157109592157598913658${String(1000 + i)}`;
        ids.set(seq, m.id);
        return kinesisRecord(m, name, seq);
      });
      return this.#batch(fn, { Records: records }, ids, batch);
    }
    const fifo = options.ordered || source === 'sqs-fifo' || source === 'sqs-sns-fifo';
    const queue = `${name}${fifo ? '.fifo' : ''}`;
    const ids = new Map<string, string>();
    const records = batch.map((m, i) => {
      const viaSns = kind === 'topic';
      const messageId = viaSns ? randomUUID() : m.id;
      ids.set(messageId, m.id);
      const body = viaSns
        ? JSON.stringify(snsNotification(m, `${name}${fifo ? '.fifo' : ''}`), null, 2)
        : text(m.body);
      return sqsRecord(
        {
          messageId,
          body,
          deliveryCount: m.deliveryCount,
          groupId: m.groupId,
          attributes: viaSns ? undefined : m.attributes,
        },
        queue,
        i,
      );
    });
    return this.#batch(fn, { Records: records }, ids, batch);
  }

  async #batch(
    fn: string,
    event: unknown,
    ids: Map<string, string>,
    batch: NeutralMessage[],
  ): Promise<BatchOutcome> {
    const result = await this.#invoke(fn, event);
    // A thrown batch is redelivered whole.
    if (!result.ok) return { failed: batch.map((m) => m.id) };
    const failures =
      (result.value as { batchItemFailures?: { itemIdentifier: string }[] }).batchItemFailures ?? [];
    return { failed: failures.map((f) => ids.get(f.itemIdentifier) ?? `unknown:${f.itemIdentifier}`) };
  }

  #outcome(result: { ok: true; value: unknown } | { ok: false; error: unknown }): Outcome {
    if (!result.ok) return { ok: false, error: describeError(result.error) };
    const failures = (result.value as { batchItemFailures?: unknown[] } | null)?.batchItemFailures;
    if (failures && failures.length > 0)
      return { ok: false, error: `batchItemFailures: ${JSON.stringify(failures)}` };
    return { ok: true };
  }

  async storage(fn: string, change: import('@polycloud/testing').NeutralStorageChange): Promise<Outcome> {
    switch (this.#o.storage) {
      case 's3':
        return this.#outcome(await this.#invoke(fn, { Records: [s3Record(change)] }));
      case 's3-eventbridge':
        return this.#outcome(await this.#invoke(fn, s3EventBridgeEvent(change)));
      case 's3-sqs':
        return this.#outcome(
          await this.#invoke(fn, {
            Records: [
              sqsRecord(
                { messageId: randomUUID(), body: JSON.stringify({ Records: [s3Record(change)] }) },
                'uploads-notifications',
              ),
            ],
          }),
        );
    }
  }

  async schedule(fn: string, scheduledTime: Date): Promise<Outcome> {
    return this.#outcome(await this.#invoke(fn, scheduledEvent(scheduledTime, this.#trigger(fn))));
  }

  async event(fn: string, event: import('@polycloud/core').CloudEvent): Promise<Outcome> {
    return this.#outcome(await this.#invoke(fn, eventBridgeEvent(event)));
  }

  async malformed(kind: FunctionKind, fn: string): Promise<Outcome & { status?: number; body?: string }> {
    if (kind === 'http') {
      const result = await this.#invoke(fn, malformedHttpEvent(this.#o.http, randomUUID()));
      if (!result.ok) return { ok: false, status: 502, error: describeError(result.error) };
      const res = observeHttpResponse(this.#o.http, result.value);
      return { ok: res.status < 400, status: res.status, body: new TextDecoder().decode(res.body) };
    }
    return this.#outcome(await this.#invoke(fn, this.#malformedEvent(kind, fn)));
  }

  #malformedEvent(kind: FunctionKind, fn: string): unknown {
    const name = this.#trigger(fn);
    const m: NeutralMessage = { id: 'malformed-1', body: new TextEncoder().encode('{}') };
    switch (kind) {
      case 'queue': {
        if (this.#o.queue === 'kinesis') {
          const record = kinesisRecord(m, name, '1');
          (record.kinesis as Record<string, unknown>).data = '%%% not base64';
          return { Records: [record] };
        }
        const record = sqsRecord({ messageId: 'malformed-1', body: '' }, name);
        delete record.body;
        return { Records: [record] };
      }
      case 'topic': {
        if (this.#o.topic === 'sns') {
          const event = snsEvent(m, name) as { Records: { Sns: Record<string, unknown> }[] };
          delete event.Records[0]!.Sns.Message;
          return event;
        }
        const record = sqsRecord({ messageId: 'malformed-1', body: '' }, name);
        record.body = 42;
        return { Records: [record] };
      }
      case 'storage': {
        const change = { type: 'created' as const, bucket: name, key: 'x' };
        if (this.#o.storage === 's3-eventbridge') {
          const event = s3EventBridgeEvent(change) as { detail: Record<string, unknown> };
          event.detail.object = 'not an object';
          return event;
        }
        const record = s3Record(change) as { s3: { object: { key: string } } };
        record.s3.object.key = 'bad%ZZkey';
        if (this.#o.storage === 's3-sqs') {
          return {
            Records: [
              sqsRecord({ messageId: 'malformed-1', body: JSON.stringify({ Records: [record] }) }, 'n'),
            ],
          };
        }
        return { Records: [record] };
      }
      case 'schedule':
        return { ...scheduledEvent(new Date(), name), time: 'not a time' };
      default:
        return { ...eventBridgeEvent({ specversion: '1.0', id: 'x', source: 's', type: 't' }), id: '' };
    }
  }

  async close(): Promise<void> {}
}
