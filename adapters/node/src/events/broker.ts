import { Message, type MessageBody, type ScheduleEvent, type StorageEvent } from '@polycloud/core';
import { type AppRuntime, type CompiledFunction, newRequestId, utf8 } from '@polycloud/core/adapter';
import {
  type EncodedMessageBody,
  encodeMessageBody,
  messageBodyBytes,
} from '@polycloud/core/clients/message-body';
import type { NodeRaw } from '../raw.ts';
import { errorText, handleWithin } from './handler-timeout.ts';
import {
  type AbandonReport,
  BrokerFullError,
  type DeadLetterView,
  type MessageBroker,
  type PublishOptions,
  type SendOptions,
  viewBody,
} from './message-broker.ts';

export interface BrokerOptions {
  /** Deliveries per message before it goes to the dead-letter list (default 5, like SQS maxReceiveCount). */
  maxDeliveries?: number;
  /** Delay before redelivery n (1-based); default exponential from 100 ms, capped at 5 s. */
  retryDelayMs?: (attempt: number) => number;
  /** Handlers running at once; further deliveries wait their turn (default 64). */
  maxConcurrency?: number;
  /** Messages accepted and not yet settled; `send`/`publish` beyond it reject with BrokerFullError (default 10 000). */
  maxPending?: number;
  /** Dead letters kept; past it the oldest is dropped and logged with its id (default 1 000). */
  maxDeadLetters?: number;
  /** Longest a message handler may run when its function sets no `timeoutMs` (default: the runtime's, 30 s). */
  handlerTimeoutMs?: number;
}

export interface DeadLetter {
  function: string;
  /** The message, for queue and topic deliveries. */
  message?: Message;
  /** The storage event, for storage notifications from the folder Storage. */
  event?: StorageEvent;
  error: string;
  deliveries: number;
  at: Date;
}

interface Envelope {
  id: string;
  body: Uint8Array;
  attributes: Record<string, string>;
  groupId?: string;
  contentType?: string;
  enqueuedAt: Date;
  source: string;
}

/**
 * The node runtime's default queue and topic, inside the process: at-least-once delivery with
 * retries, a maximum delivery count and a bounded dead-letter list. A failed or timed-out message
 * is redelivered, never dropped while the process lives; messages of one group are delivered one
 * at a time in order. Nothing is written to disk: a crash or `kill -9` loses every message not yet
 * handled, and a shutdown that reaches its drain deadline logs the ids it abandons.
 */
export class MemoryBroker implements MessageBroker {
  readonly kind = 'memory' as const;
  readonly distributesSchedules = false;
  readonly deadLetters: DeadLetter[] = [];
  readonly #runtime: AppRuntime;
  readonly #maxDeliveries: number;
  readonly #retryDelay: (attempt: number) => number;
  readonly #maxConcurrency: number;
  readonly #maxPending: number;
  readonly #maxDeadLetters: number;
  readonly #timeoutMs: number;
  readonly #groups = new Map<string, Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Deliveries accepted and not settled, by key, for the abandon report. */
  readonly #unsettled = new Map<number, string>();
  #nextKey = 0;
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  #idle: (() => void)[] = [];
  #stopped = false;

  constructor(runtime: AppRuntime, options: BrokerOptions = {}, defaultTimeoutMs = 30_000) {
    this.#runtime = runtime;
    this.#maxDeliveries = options.maxDeliveries ?? 5;
    this.#retryDelay = options.retryDelayMs ?? ((n) => Math.min(100 * 2 ** (n - 1), 5000));
    this.#maxConcurrency = options.maxConcurrency ?? 64;
    this.#maxPending = options.maxPending ?? 10_000;
    this.#maxDeadLetters = options.maxDeadLetters ?? 1000;
    this.#timeoutMs = options.handlerTimeoutMs ?? defaultTimeoutMs;
  }

  /** Messages accepted but not yet handled or dead-lettered (retries waiting included). */
  get pending(): number {
    return this.#unsettled.size;
  }

  async start(): Promise<void> {}

  async send(queue: string, body: MessageBody, options: SendOptions = {}): Promise<{ id: string }> {
    return this.#enqueue(
      queue,
      this.#subscribers('queue', queue),
      encodeMessageBody(body, `Queue.send("${queue}")`),
      options.attributes,
      options.groupId,
      options.delayMs ?? 0,
      options.id,
    );
  }

  async publish(topic: string, body: MessageBody, options: PublishOptions = {}): Promise<{ id: string }> {
    return this.#enqueue(
      topic,
      this.#subscribers('topic', topic),
      encodeMessageBody(body, `Topic.publish("${topic}")`),
      options.attributes,
      options.orderingKey,
      0,
      options.id,
    );
  }

  /** One process, so every tick runs here. */
  async tick(schedule: string, scheduledTime: Date): Promise<void> {
    const fn = this.#runtime.functions.get(schedule);
    if (fn?.def.kind !== 'schedule') return;
    const event: ScheduleEvent = { id: newRequestId(), name: fn.def.name, scheduledTime, isPastDue: false };
    await handleWithin(
      this.#runtime,
      fn,
      event,
      { requestId: event.id, raw: { provider: 'node', cron: fn.def.cron } satisfies NodeRaw },
      this.#timeoutMs,
    );
  }

  /**
   * Delivers a storage notification to the storage functions of its bucket, with the same retries and
   * dead-letter list as messages (S3, Event Grid and Eventarc retry failed notifications too).
   */
  notify(targets: readonly CompiledFunction[], event: StorageEvent): void {
    for (const fn of targets) {
      const key = this.#nextKey++;
      this.#unsettled.set(key, event.id);
      queueMicrotask(
        () =>
          void this.#process(
            fn,
            event.id,
            key,
            () => event,
            event.raw,
            (attempt, error) => ({ function: fn.name, event, error, deliveries: attempt, at: new Date() }),
          ),
      );
    }
  }

  /** Resolves when every accepted message is handled or dead-lettered. */
  drain(): Promise<void> {
    if (this.#unsettled.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops retry timers and reports every message not yet settled: in memory, they are lost. */
  async abandon(): Promise<AbandonReport> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    return { messageIds: [...new Set(this.#unsettled.values())], durable: false };
  }

  async listDeadLetters(limit = 100): Promise<DeadLetterView[]> {
    return this.deadLetters.slice(-limit).map((d) => {
      if (!d.message) {
        const { raw: _raw, ...event } = d.event ?? ({} as Partial<StorageEvent>);
        return {
          function: d.function,
          source: event.bucket ?? '',
          messageId: event.id ?? '',
          ...viewBody(utf8(JSON.stringify(event))),
          attributes: {},
          error: d.error,
          deliveries: d.deliveries,
          at: d.at.toISOString(),
        };
      }
      return {
        function: d.function,
        source: d.message.source,
        messageId: d.message.id,
        ...viewBody(d.message.body),
        attributes: { ...d.message.attributes },
        groupId: d.message.groupId,
        error: d.error,
        deliveries: d.deliveries,
        at: d.at.toISOString(),
      };
    });
  }

  async close(): Promise<void> {
    await this.abandon();
  }

  /** Kept for callers of the previous API: same as `abandon()` without the report. */
  stop(): void {
    void this.abandon();
  }

  #subscribers(kind: 'queue' | 'topic', name: string): CompiledFunction[] {
    const out: CompiledFunction[] = [];
    for (const fn of this.#runtime.functions.values()) {
      const def = fn.def;
      if (def.kind === 'queue' && kind === 'queue' && def.queue === name) out.push(fn);
      if (def.kind === 'topic' && kind === 'topic' && def.topic === name) out.push(fn);
    }
    return out;
  }

  #enqueue(
    source: string,
    targets: CompiledFunction[],
    body: EncodedMessageBody,
    attributes: Record<string, string> | undefined,
    groupId: string | undefined,
    delayMs: number,
    id: string | undefined,
  ): { id: string } {
    if (this.#unsettled.size + targets.length > this.#maxPending) {
      throw new BrokerFullError(
        `the in-memory broker holds ${this.#unsettled.size} unsettled messages (maxPending ${this.#maxPending}); retry later`,
      );
    }
    const bytes = messageBodyBytes(body);
    const contentType = body.contentType;
    const envelope: Envelope = {
      id: id ?? newRequestId(),
      body: bytes,
      attributes: attributes ?? {},
      groupId,
      contentType,
      enqueuedAt: new Date(),
      source,
    };
    if (targets.length === 0) {
      this.#runtime.log.warn('no function subscribes; message kept in the dead-letter list', {
        source,
        messageId: envelope.id,
      });
      this.#deadLetter({
        function: '',
        message: toMessage(envelope, 0),
        error: `no function subscribes to ${source}`,
        deliveries: 0,
        at: new Date(),
      });
      return { id: envelope.id };
    }
    for (const fn of targets) {
      const key = this.#nextKey++;
      this.#unsettled.set(key, envelope.id);
      this.#schedule(() => this.#deliver(fn, envelope, key), delayMs);
    }
    return { id: envelope.id };
  }

  #deadLetter(letter: DeadLetter): void {
    this.deadLetters.push(letter);
    if (this.deadLetters.length > this.#maxDeadLetters) {
      const dropped = this.deadLetters.shift()!;
      this.#runtime.log.error('dead-letter list full; oldest dead letter dropped', {
        messageId: dropped.message?.id ?? dropped.event?.id,
        function: dropped.function,
        maxDeadLetters: this.#maxDeadLetters,
      });
    }
  }

  #schedule(task: () => void, delayMs: number): void {
    if (delayMs <= 0) {
      queueMicrotask(task);
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      task();
    }, delayMs);
    this.#timers.add(timer);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#schedule(resolve, ms));
  }

  /** Messages of one group go through one chain: a retry blocks the group, so nothing overtakes it. */
  #deliver(fn: CompiledFunction, envelope: Envelope, key: number): void {
    const process = () =>
      this.#process(
        fn,
        envelope.id,
        key,
        (attempt) => toMessage(envelope, attempt),
        { provider: 'node', brokerMessage: envelope } satisfies NodeRaw,
        (attempt, error) => ({
          function: fn.name,
          message: toMessage(envelope, attempt),
          error,
          deliveries: attempt,
          at: new Date(),
        }),
      );
    if (envelope.groupId === undefined) {
      void process();
      return;
    }
    const group = `${fn.name}\u0000${envelope.groupId}`;
    const next = (this.#groups.get(group) ?? Promise.resolve()).then(process);
    this.#groups.set(group, next);
    void next.finally(() => {
      if (this.#groups.get(group) === next) this.#groups.delete(group);
    });
  }

  /** A slot among `maxConcurrency` running handlers. */
  async #acquire(): Promise<void> {
    if (this.#running < this.#maxConcurrency) {
      this.#running++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#running--;
  }

  async #process(
    fn: CompiledFunction,
    id: string,
    key: number,
    input: (attempt: number) => unknown,
    raw: unknown,
    deadLetter: (attempt: number, error: string) => DeadLetter,
  ): Promise<void> {
    for (let attempt = 1; !this.#stopped; attempt++) {
      await this.#acquire();
      let error: unknown;
      let ok = false;
      try {
        await handleWithin(
          this.#runtime,
          fn,
          input(attempt),
          { requestId: `${id}:${attempt}`, raw },
          this.#timeoutMs,
        );
        ok = true;
      } catch (e) {
        error = e;
      } finally {
        this.#release();
      }
      if (ok) break;
      if (attempt >= this.#maxDeliveries) {
        this.#deadLetter(deadLetter(attempt, errorText(error)));
        this.#runtime.log.error('message dead-lettered after max deliveries', {
          function: fn.name,
          messageId: id,
          deliveries: attempt,
        });
        break;
      }
      await this.#sleep(this.#retryDelay(attempt));
    }
    if (this.#stopped) return;
    this.#unsettled.delete(key);
    if (this.#unsettled.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }
}

function toMessage(envelope: Envelope, deliveryCount: number): Message {
  return new Message({
    id: envelope.id,
    body: envelope.body,
    attributes: envelope.attributes,
    deliveryCount,
    enqueuedAt: envelope.enqueuedAt,
    source: envelope.source,
    groupId: envelope.groupId,
    contentType: envelope.contentType,
    raw: envelope,
  });
}
