import type { MessageBody, StorageEvent } from '@polycloud/core';
import type { CompiledFunction } from '@polycloud/core/adapter';

/** A message that exhausted its deliveries (or had nobody to deliver to), kept with its last error. */
export interface DeadLetterView {
  function: string;
  source: string;
  messageId: string;
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  attributes: Record<string, string>;
  groupId?: string;
  error: string;
  deliveries: number;
  at: string;
}

export interface SendOptions {
  /** A producer-chosen message id (default a UUID); JetStream de-duplicates sends with the same id within 2 minutes. */
  id?: string;
  attributes?: Record<string, string>;
  delayMs?: number;
  groupId?: string;
}

export interface PublishOptions {
  /** As SendOptions.id. */
  id?: string;
  attributes?: Record<string, string>;
  orderingKey?: string;
}

/** What a bounded shutdown left undone: ids of messages whose handling was given up (redelivered later on a durable broker). */
export interface AbandonReport {
  messageIds: string[];
  /** True when the broker keeps them (JetStream redelivers); false when they are gone (in-memory). */
  durable: boolean;
}

/**
 * The node runtime's queue, topic and schedule transport. Two implementations: the in-memory
 * broker (one process, the default) and JetStream (durable, shared by every replica). The app's
 * code sees neither: `Queue.send`, `Topic.publish` and the queue/topic/schedule functions behave
 * the same on both, within the guarantees each README section states.
 */
export interface MessageBroker {
  readonly kind: 'memory' | 'nats';
  /** Resolves once the message is stored; rejects (never drops) when it could not be. */
  send(queue: string, body: MessageBody, options?: SendOptions): Promise<{ id: string }>;
  publish(topic: string, body: MessageBody, options?: PublishOptions): Promise<{ id: string }>;
  /** Starts delivering to the app's queue, topic and schedule functions. */
  start(): Promise<void>;
  /**
   * Delivers a storage notification of the folder Storage (a local directory, so always in this
   * process) to the bucket's storage functions, with retries and a dead-letter list.
   */
  notify(targets: readonly CompiledFunction[], event: StorageEvent): void;
  /** Whether schedules tick through this broker (once across replicas) instead of locally. */
  readonly distributesSchedules: boolean;
  /** Delivers one schedule tick (JetStream: a deduplicated publish; memory: runs it here). */
  tick(schedule: string, scheduledTime: Date): Promise<void>;
  /** Stops taking new messages; resolves when every message in flight here is settled. */
  drain(): Promise<void>;
  /** After the drain deadline: gives up what is still in flight and says which messages those were. */
  abandon(): Promise<AbandonReport>;
  /** Messages accepted or pulled here and not yet settled. */
  readonly pending: number;
  /** The newest dead letters (at most `limit`). */
  listDeadLetters(limit?: number): Promise<DeadLetterView[]>;
  /** Closes connections and timers. */
  close(): Promise<void>;
}

/** Raised by `send`/`publish` when the broker cannot take more (in-memory backlog full): answer 503, retry later. */
export class BrokerFullError extends Error {
  override readonly name = 'BrokerFullError';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A dead letter's body for JSON: the text when it is valid UTF-8, else base64. */
export function viewBody(bytes: Uint8Array): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  try {
    return { body: strictUtf8.decode(bytes), bodyEncoding: 'utf8' };
  } catch {
    return { body: Buffer.from(bytes).toString('base64'), bodyEncoding: 'base64' };
  }
}
