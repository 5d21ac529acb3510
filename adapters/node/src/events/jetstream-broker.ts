import type { MessageBody, StorageEvent } from '@polycloud/core';
import type { AppRuntime, CompiledFunction } from '@polycloud/core/adapter';
import { MemoryBroker } from './broker.ts';
import type { JetStreamBrokerImpl } from './jetstream-broker-impl.ts';
import type { JetStreamDelivery, NatsBrokerOptions } from './jetstream-options.ts';
import type {
  AbandonReport,
  DeadLetterView,
  MessageBroker,
  PublishOptions,
  SendOptions,
} from './message-broker.ts';

/**
 * Queues, topics and schedules on NATS JetStream, shared by every replica of the app (what it
 * guarantees: `JetStreamBrokerImpl` in jetstream-broker-impl.ts). This class is what the server
 * holds from its start: the JetStream code (~12 KB minified) is imported on first use (in practice
 * `start()`), and the NATS client on the first connect, so an app on the in-memory default parses
 * neither at its cold start (issue 12). Storage notifications run here: the folder Storage is a
 * local directory, so they are delivered in this process, retried in memory, and never need NATS.
 */
export class JetStreamBroker implements MessageBroker {
  readonly kind = 'nats' as const;
  readonly distributesSchedules = true;
  readonly #runtime: AppRuntime;
  readonly #options: NatsBrokerOptions;
  readonly #delivery: JetStreamDelivery;
  #work?: Promise<JetStreamBrokerImpl>;
  /** The loaded work, for the synchronous `pending`. */
  #loaded?: JetStreamBrokerImpl;
  /** Storage notifications of the local folder Storage: in this process, as the folder is. */
  #local?: MemoryBroker;

  constructor(runtime: AppRuntime, options: NatsBrokerOptions, defaultTimeoutMs = 30_000) {
    this.#runtime = runtime;
    this.#options = options;
    const backoff = options.backoffMs;
    this.#delivery = {
      maxDeliveries: options.maxDeliveries ?? 5,
      retryDelay:
        options.retryDelayMs ??
        (backoff?.length
          ? (n) => backoff[Math.min(n, backoff.length) - 1]!
          : (n) => Math.min(200 * 2 ** (n - 1), 30_000)),
      timeoutMs: options.handlerTimeoutMs ?? defaultTimeoutMs,
    };
  }

  /** The JetStream work, its module imported once. */
  #load(): Promise<JetStreamBrokerImpl> {
    this.#work ??= import('./jetstream-broker-impl.ts').then(({ JetStreamBrokerImpl }) => {
      this.#loaded = new JetStreamBrokerImpl(this.#runtime, this.#options, this.#delivery);
      return this.#loaded;
    });
    return this.#work;
  }

  get pending(): number {
    return this.#loaded?.pending ?? 0;
  }

  /**
   * Creates the streams and consumers (idempotent: every replica does it) and starts pulling;
   * retried while NATS is unreachable, so a replica started mid-outage becomes ready once it is back.
   */
  async start(): Promise<void> {
    return (await this.#load()).start();
  }

  async send(queue: string, body: MessageBody, options?: SendOptions): Promise<{ id: string }> {
    return (await this.#load()).send(queue, body, options);
  }

  async publish(topic: string, body: MessageBody, options?: PublishOptions): Promise<{ id: string }> {
    return (await this.#load()).publish(topic, body, options);
  }

  /** Every replica publishes each tick; the de-duplication window keeps one, which one replica runs. */
  async tick(schedule: string, scheduledTime: Date): Promise<void> {
    return (await this.#load()).tick(schedule, scheduledTime);
  }

  /** The folder Storage is a local directory: its notifications run here, retried in memory. */
  notify(targets: readonly CompiledFunction[], event: StorageEvent): void {
    this.#local ??= new MemoryBroker(this.#runtime, {
      maxDeliveries: this.#delivery.maxDeliveries,
      retryDelayMs: this.#delivery.retryDelay,
      handlerTimeoutMs: this.#delivery.timeoutMs,
    });
    this.#local.notify(targets, event);
  }

  async drain(): Promise<void> {
    await this.#local?.drain();
    return (await this.#load()).drain();
  }

  /** Naks what is still running so another replica takes it (within its pull expiry); nothing is lost. */
  async abandon(): Promise<AbandonReport> {
    const report = (await this.#load()).abandon();
    const lost = (await this.#local?.abandon())?.messageIds ?? [];
    if (lost.length > 0)
      this.#runtime.log.error('storage notifications abandoned at the drain deadline', { ids: lost });
    return report;
  }

  async listDeadLetters(limit?: number): Promise<DeadLetterView[]> {
    return (await this.#load()).listDeadLetters(limit);
  }

  /**
   * Closes the connection; returns at once when it was never made (NATS unreachable): the client
   * then stops dialling, and a connection made meanwhile is closed as it arrives.
   */
  async close(): Promise<void> {
    return (await this.#load()).close();
  }
}
