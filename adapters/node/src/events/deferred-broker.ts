import type { MessageBody, StorageEvent } from '@polycloud/core';
import { type AppRuntime, type CompiledFunction, toError } from '@polycloud/core/adapter';
import type { BrokerOptions, MemoryBroker } from './broker.ts';
import { type BrokerChoice, natsChoice } from './broker-choice.ts';
import type { NatsBrokerOptions } from './jetstream-options.ts';
import type {
  AbandonReport,
  DeadLetterView,
  MessageBroker,
  PublishOptions,
  SendOptions,
} from './message-broker.ts';

/**
 * The in-memory broker's class when the server's startup file holds it already: a built server
 * whose app has functions the broker delivers to (see build/index.ts) hands it over before it
 * starts, and its runtime's broker is then made at once, with no import.
 */
let heldMemoryBroker: typeof MemoryBroker | undefined;

/**
 * Hands over the in-memory broker's class (the built server's entry, when its startup file holds it).
 * @coldStart
 */
export function holdMemoryBroker(memoryBroker: typeof MemoryBroker): void {
  heldMemoryBroker = memoryBroker;
}

/**
 * The broker a node runtime holds from its start: the choice (in-memory or JetStream, see
 * broker-choice.ts) is made at once, the chosen broker's module is imported on first use. An app
 * that sends no message never loads either: the in-memory broker, its message-body encoding, its
 * handler timeout and the JetStream facade were 5.3 KB of the server's 51.6 KB startup file, parsed
 * at every cold start (issue 12; `GET /items/:id`, median of 41 interleaved fresh processes, load
 * average 5–9: import + first request −0.3 to −0.6 ms of CPU). JetStream's `start()` loads its code
 * before the server listens, as it did; an app whose first request sends a message loads the
 * in-memory broker's chunk then.
 *
 * What arrives while the module loads is handed over in order once it has: `pending` counts it,
 * `drain()` waits for it, nothing is dropped.
 *
 * @example
 * const broker = new DeferredBroker(runtime, undefined, 30_000); // in-memory, nothing loaded yet
 * await broker.send('orders', { id: 1 }); // loads broker.ts, then sends
 */
export class DeferredBroker implements MessageBroker {
  readonly kind: 'memory' | 'nats';
  readonly distributesSchedules: boolean;
  readonly #runtime: AppRuntime;
  readonly #memory: BrokerOptions | undefined;
  readonly #nats: NatsBrokerOptions | undefined;
  readonly #defaultTimeoutMs: number;
  #loading?: Promise<MessageBroker>;
  #broker?: MessageBroker;
  /** Sends, publishes and notifications made while the module loaded, not yet handed to the broker. */
  #arriving = 0;
  /** `close()` came before anything loaded the broker. */
  #closedUnloaded = false;

  constructor(runtime: AppRuntime, choice: BrokerChoice | undefined, defaultTimeoutMs: number) {
    this.#runtime = runtime;
    this.#nats = natsChoice(runtime, choice);
    this.#memory = this.#nats ? undefined : (choice as BrokerOptions | undefined);
    this.#defaultTimeoutMs = defaultTimeoutMs;
    this.kind = this.#nats ? 'nats' : 'memory';
    this.distributesSchedules = this.kind === 'nats';
    if (!this.#nats && heldMemoryBroker) {
      this.#broker = new heldMemoryBroker(runtime, this.#memory, defaultTimeoutMs);
      this.#loading = Promise.resolve(this.#broker);
    }
  }

  /** The chosen broker, its module imported once (a failed import is tried again on the next call). */
  loaded(): Promise<MessageBroker> {
    this.#loading ??= this.#create().then(
      async (broker) => {
        // Closed before anything needed it: what is sent now meets a closed broker, as it would have.
        if (this.#closedUnloaded) await broker.close();
        this.#broker = broker;
        return broker;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  #create(): Promise<MessageBroker> {
    const nats = this.#nats;
    const runtime = this.#runtime;
    if (nats) {
      return import('./jetstream-broker.ts').then(
        ({ JetStreamBroker }) => new JetStreamBroker(runtime, nats, this.#defaultTimeoutMs),
      );
    }
    return import('./broker.ts').then(
      ({ MemoryBroker }) => new MemoryBroker(runtime, this.#memory, this.#defaultTimeoutMs),
    );
  }

  get pending(): number {
    return (this.#broker?.pending ?? 0) + this.#arriving;
  }

  /** JetStream creates its streams and consumers here; the in-memory broker has nothing to start. */
  start(): Promise<void> {
    return this.#nats ? this.loaded().then((broker) => broker.start()) : Promise.resolve();
  }

  send(queue: string, body: MessageBody, options?: SendOptions): Promise<{ id: string }> {
    const broker = this.#broker;
    if (broker) return broker.send(queue, body, options);
    return this.#handOver((b) => b.send(queue, body, options));
  }

  publish(topic: string, body: MessageBody, options?: PublishOptions): Promise<{ id: string }> {
    const broker = this.#broker;
    if (broker) return broker.publish(topic, body, options);
    return this.#handOver((b) => b.publish(topic, body, options));
  }

  notify(targets: readonly CompiledFunction[], event: StorageEvent): void {
    const broker = this.#broker;
    if (broker) {
      broker.notify(targets, event);
      return;
    }
    this.#arriving++;
    this.loaded().then(
      (b) => {
        this.#arriving--;
        b.notify(targets, event);
      },
      (error: unknown) => {
        this.#arriving--;
        this.#runtime.log.error('storage notification not delivered: the broker could not load', {
          eventId: event.id,
          error: toError(error),
        });
      },
    );
  }

  tick(schedule: string, scheduledTime: Date): Promise<void> {
    return this.loaded().then((broker) => broker.tick(schedule, scheduledTime));
  }

  /** Nothing loaded, nothing loading: nothing was ever sent here, so nothing is in flight. */
  drain(): Promise<void> {
    return this.#loading ? this.#loading.then((broker) => broker.drain()) : Promise.resolve();
  }

  abandon(): Promise<AbandonReport> {
    if (!this.#loading) return Promise.resolve({ messageIds: [], durable: this.kind === 'nats' });
    return this.#loading.then((broker) => broker.abandon());
  }

  /** JetStream keeps dead letters across restarts, so they are read even when nothing was sent yet. */
  listDeadLetters(limit?: number): Promise<DeadLetterView[]> {
    return this.loaded().then((broker) => broker.listDeadLetters(limit));
  }

  close(): Promise<void> {
    if (this.#loading) return this.#loading.then((broker) => broker.close());
    this.#closedUnloaded = true;
    return Promise.resolve();
  }

  /** A call made before the module loaded: counted in `pending` until the broker has it. */
  #handOver<T>(call: (broker: MessageBroker) => Promise<T>): Promise<T> {
    this.#arriving++;
    return this.loaded().then(
      (broker) => {
        this.#arriving--;
        return call(broker);
      },
      (error: unknown) => {
        this.#arriving--;
        throw error;
      },
    );
  }
}
