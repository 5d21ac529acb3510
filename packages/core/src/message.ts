import { EMPTY_BYTES, fromUtf8, utf8 } from './bytes.ts';
import { parseJson } from './safe-json.ts';

export interface MessageInit {
  id: string;
  /** Bytes; text (read by `text()`/`json()` as is, encoded only if `body` is asked for); or a thunk. */
  body: Uint8Array | string | (() => Uint8Array);
  attributes?: Readonly<Record<string, string>>;
  /** 1 on first delivery (SQS ApproximateReceiveCount, Azure dequeueCount/deliveryCount, Pub/Sub deliveryAttempt). */
  deliveryCount?: number;
  /** When the provider accepted it: a Date, or epoch milliseconds made into one on first read. */
  enqueuedAt?: Date | number;
  /** Queue or topic name the message came from. */
  source: string;
  /** FIFO message group (SQS), session id (Service Bus), ordering key (Pub/Sub), partition key (Kinesis/Event Hubs). */
  groupId?: string;
  /** Position in an ordered stream (Kinesis/DynamoDB sequence number, Event Hubs sequence number). */
  sequence?: string;
  contentType?: string;
  raw?: unknown;
}

/**
 * One message from a queue or topic; handlers take one, the adapter owns batching and retries.
 *
 * @example
 * queue('orders', (msg: Message) => { const order = msg.json<{ id: string }>(); console.log(order.id, msg.deliveryCount); });
 */
export class Message<TData = unknown> {
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly deliveryCount: number;
  readonly source: string;
  readonly groupId: string | undefined;
  readonly sequence: string | undefined;
  readonly contentType: string | undefined;
  /** The untouched provider record, for what the neutral model does not carry. */
  readonly raw: unknown;
  /** The body after schema validation, when the function declares `{ body: schema }`. */
  data: TData = undefined as TData;
  #body: Uint8Array | string | (() => Uint8Array);
  #enqueuedAt: Date | number | undefined;

  constructor(init: MessageInit) {
    this.id = init.id;
    this.#body = init.body;
    this.attributes = init.attributes ?? EMPTY_ATTRIBUTES;
    this.deliveryCount = init.deliveryCount ?? 1;
    this.#enqueuedAt = init.enqueuedAt;
    this.source = init.source;
    this.groupId = init.groupId;
    this.sequence = init.sequence;
    this.contentType = init.contentType;
    this.raw = init.raw;
  }

  /**
   * When the provider accepted the message. Made on first read from the epoch milliseconds an
   * adapter may hand over: most handlers never read it, and a Date per message was a tenth of
   * polycloud's cost over a hand-written SQS×10 handler (test/bench/aws.bench.ts). Always the same
   * Date once made.
   */
  get enqueuedAt(): Date | undefined {
    if (typeof this.#enqueuedAt === 'number') this.#enqueuedAt = new Date(this.#enqueuedAt);
    return this.#enqueuedAt;
  }

  get body(): Uint8Array {
    if (typeof this.#body === 'function') this.#body = this.#body() ?? EMPTY_BYTES;
    else if (typeof this.#body === 'string') this.#body = utf8(this.#body);
    return this.#body;
  }

  text(): string {
    return typeof this.#body === 'string' ? this.#body : fromUtf8(this.body);
  }

  json<T = unknown>(): T {
    return parseJson(this.text(), 'message.body') as T;
  }

  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      source: this.source,
      bodyBase64: Buffer.from(this.body).toString('base64'),
      attributes: this.attributes,
      deliveryCount: this.deliveryCount,
      enqueuedAt: this.enqueuedAt?.toISOString(),
      groupId: this.groupId,
      sequence: this.sequence,
      contentType: this.contentType,
    };
  }
}

const EMPTY_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});
