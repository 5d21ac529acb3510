import { Message, type MessageBody, type StorageEvent } from '@polycloud/core';
import {
  type AppRuntime,
  type CompiledFunction,
  type EncodedMessageBody,
  encodeMessageBody,
  messageBodyBytes,
  newRequestId,
} from '@polycloud/core/adapter';
import type { NodeRaw } from '../raw.ts';

export interface BrokerOptions {
  /** Deliveries per message before it goes to the dead-letter list (default 5, like SQS maxReceiveCount). */
  maxDeliveries?: number;
  /** Delay before redelivery n (1-based); default exponential from 100 ms, capped at 5 s. */
  retryDelayMs?: (attempt: number) => number;
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
 * The node runtime's queue and topic: at-least-once delivery with retries, a maximum delivery
 * count and a dead-letter list. A failed message is redelivered, never dropped; messages of one
 * group are delivered one at a time in order.
 */
export class MemoryBroker {
  readonly deadLetters: DeadLetter[] = [];
  readonly #runtime: AppRuntime;
  readonly #maxDeliveries: number;
  readonly #retryDelay: (attempt: number) => number;
  readonly #groups = new Map<string, Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #pending = 0;
  #idle: (() => void)[] = [];

  constructor(runtime: AppRuntime, options: BrokerOptions = {}) {
    this.#runtime = runtime;
    this.#maxDeliveries = options.maxDeliveries ?? 5;
    this.#retryDelay = options.retryDelayMs ?? ((n) => Math.min(100 * 2 ** (n - 1), 5000));
  }

  /** Messages accepted but not yet handled or dead-lettered (retries waiting included). */
  get pending(): number {
    return this.#pending;
  }

  send(
    queue: string,
    body: MessageBody,
    options: { attributes?: Record<string, string>; delayMs?: number; groupId?: string } = {},
  ): { id: string } {
    const targets = this.#subscribers('queue', queue);
    const encoded = encodeMessageBody(body, `Queue.send("${queue}")`);
    return this.#enqueue(queue, targets, encoded, options.attributes, options.groupId, options.delayMs ?? 0);
  }

  publish(
    topic: string,
    body: MessageBody,
    options: { attributes?: Record<string, string>; orderingKey?: string } = {},
  ): { id: string } {
    return this.#enqueue(
      topic,
      this.#subscribers('topic', topic),
      encodeMessageBody(body, `Topic.publish("${topic}")`),
      options.attributes,
      options.orderingKey,
      0,
    );
  }

  /**
   * Delivers a storage notification to the storage functions of its bucket, with the same retries and
   * dead-letter list as messages (S3, Event Grid and Eventarc retry failed notifications too).
   */
  notify(targets: readonly CompiledFunction[], event: StorageEvent): void {
    for (const fn of targets) {
      this.#pending++;
      queueMicrotask(
        () =>
          void this.#process(
            fn,
            event.id,
            () => event,
            event.raw,
            (attempt, error) => ({ function: fn.name, event, error, deliveries: attempt, at: new Date() }),
          ),
      );
    }
  }

  /** Resolves when every accepted message is handled or dead-lettered. */
  drain(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
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
  ): { id: string } {
    const bytes = messageBodyBytes(body);
    const contentType = body.contentType;
    const envelope: Envelope = {
      id: newRequestId(),
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
      this.deadLetters.push({
        function: '',
        message: toMessage(envelope, 0),
        error: `no function subscribes to ${source}`,
        deliveries: 0,
        at: new Date(),
      });
      return { id: envelope.id };
    }
    for (const fn of targets) {
      this.#pending++;
      this.#schedule(() => this.#deliver(fn, envelope), delayMs);
    }
    return { id: envelope.id };
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
  #deliver(fn: CompiledFunction, envelope: Envelope): void {
    const process = () =>
      this.#process(
        fn,
        envelope.id,
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
    const key = `${fn.name}\u0000${envelope.groupId}`;
    const next = (this.#groups.get(key) ?? Promise.resolve()).then(process);
    this.#groups.set(key, next);
    void next.finally(() => {
      if (this.#groups.get(key) === next) this.#groups.delete(key);
    });
  }

  async #process(
    fn: CompiledFunction,
    id: string,
    input: (attempt: number) => unknown,
    raw: unknown,
    deadLetter: (attempt: number, error: string) => DeadLetter,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#runtime.handle(fn, input(attempt), { requestId: `${id}:${attempt}`, raw });
        break;
      } catch (error) {
        if (attempt >= this.#maxDeliveries) {
          this.deadLetters.push(deadLetter(attempt, errorText(error)));
          this.#runtime.log.error('message dead-lettered after max deliveries', {
            function: fn.name,
            messageId: id,
            deliveries: attempt,
          });
          break;
        }
        await this.#sleep(this.#retryDelay(attempt));
      }
    }
    this.#settle();
  }

  #settle(): void {
    this.#pending--;
    if (this.#pending === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Stops pending retry timers (used after a bounded drain on shutdown). */
  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
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

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
