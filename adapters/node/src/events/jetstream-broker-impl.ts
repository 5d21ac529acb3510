import type {
  Consumer,
  ConsumerMessages,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
} from '@nats-io/jetstream';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { Message, type MessageBody, type ScheduleEvent } from '@polycloud/core';
import type { AppRuntime, CompiledFunction } from '@polycloud/core/adapter';
import {
  type EncodedMessageBody,
  encodeMessageBody,
  messageBodyBytes,
} from '@polycloud/core/clients/message-body';
import { errorText, handleWithin } from './handler-timeout.ts';
import { JetStreamNames, partitionOf } from './jetstream-names.ts';
import type { JetStreamDelivery, NatsBrokerOptions, SettleEvent } from './jetstream-options.ts';
import { oneLine, readAttributes, setAttributes, WIRE } from './jetstream-wire.ts';
import {
  type AbandonReport,
  type DeadLetterView,
  type PublishOptions,
  type SendOptions,
  viewBody,
} from './message-broker.ts';

type Nats = typeof import('@nats-io/transport-node');
type Js = typeof import('@nats-io/jetstream');

/** One durable consumer this replica pulls from, and the function its messages go to. */
interface Pull {
  fn: CompiledFunction;
  stream: string;
  durable: string;
  /** Ordered-group partition: one message at a time across all replicas, retried in place. */
  ordered: boolean;
  /** The consumer's ack wait: a message held longer without a sign of life goes to another replica. */
  ackWaitMs: number;
  /** How a delivery becomes the handler's event. */
  event: (m: JsMsg, deliveryCount: number) => unknown;
}

const DUPLICATE_WINDOW_MS = 2 * 60_000;
/**
 * How long a pull request stays open at the server. A replica that stops hands messages back with a
 * nak delayed this long: nats-server may still route a redelivery to one of the replica's own pulls
 * until they expire (closing them client-side does not cancel them there), and such a delivery would
 * be lost until its ack wait.
 */
const PULL_EXPIRES_MS = 2000;

/**
 * The JetStream broker's work (see `JetStreamBroker` in jetstream-broker.ts, which loads this module
 * when the broker is first used): queues, topics and schedules on NATS JetStream, shared by every
 * replica of the app:
 *
 * - a work-queue stream per queue (competing consumers: each message to one replica), an
 *   interest stream per topic with one durable consumer per subscribing function;
 * - a message is acknowledged only after its handler succeeded; a failure or timeout is a `nak`
 *   with backoff; the delivery count is the server's; after `maxDeliveries` the message, its
 *   headers and the last error go to the dead-letter stream, and only then is it acknowledged;
 * - ordered groups hash into partitions, each a consumer with one message in flight across all
 *   replicas; a failed message is retried in place, holding the later messages of its partition;
 * - a schedule tick is a publish de-duplicated by `Nats-Msg-Id` = schedule@time into a work-queue
 *   stream: every replica publishes it, one replica runs it;
 * - delayed sends wait in a delay stream and move to their queue when due.
 *
 * The client (`@nats-io/transport-node`, `@nats-io/jetstream`) is imported on the first connect.
 * Storage notifications are not here: the folder Storage is local, `JetStreamBroker` runs them.
 */
export class JetStreamBrokerImpl {
  readonly #runtime: AppRuntime;
  readonly #options: NatsBrokerOptions;
  readonly #names: JetStreamNames;
  readonly #maxDeliveries: number;
  readonly #retryDelay: (attempt: number) => number;
  readonly #timeoutMs: number;
  readonly #concurrency: number;
  readonly #partitions: number;
  #connection?: Promise<{ nc: NatsConnection; js: JetStreamClient; jsm: JetStreamManager; lib: Nats & Js }>;
  readonly #streams = new Map<string, Promise<void>>();
  readonly #inFlight = new Map<JsMsg, string>();
  readonly #fetches = new Set<ConsumerMessages>();
  readonly #loops: Promise<void>[] = [];
  #stopping = false;
  /** Set by close(): a connection still dialling gives up, one that arrives later is closed at once. */
  #closed = false;
  /** The connection once made (close() never waits for one still dialling). */
  #nc?: NatsConnection;
  #idle: (() => void)[] = [];

  constructor(runtime: AppRuntime, options: NatsBrokerOptions, delivery: JetStreamDelivery) {
    this.#runtime = runtime;
    this.#options = options;
    this.#names = new JetStreamNames(options.prefix);
    this.#maxDeliveries = delivery.maxDeliveries;
    this.#retryDelay = delivery.retryDelay;
    this.#timeoutMs = delivery.timeoutMs;
    this.#concurrency = options.maxConcurrency ?? 32;
    this.#partitions = options.partitions ?? 8;
  }

  get pending(): number {
    return this.#inFlight.size;
  }

  /** Connects (once), importing the client on first use. */
  #connect() {
    this.#connection ??= (async () => {
      const [nats, jsLib] = await Promise.all([
        // Stryker disable next-line StringLiteral: the probe picks between two views of one module in Node (see commonJs)
        import('@nats-io/transport-node').then((m) => commonJs<Nats>(m, 'connect')),
        // Stryker disable next-line StringLiteral: the same
        import('@nats-io/jetstream').then((m) => commonJs<Js>(m, 'jetstreamManager')),
      ]);
      const o = this.#options;
      const nc = await nats.connect({
        // Unset: the client's own default, 127.0.0.1:4222.
        servers: o.url,
        name: o.name ?? `polycloud-${this.#runtime.app.name}`,
        user: o.user,
        pass: o.pass,
        token: o.token,
        authenticator: o.credsFile
          ? nats.credsAuthenticator(await process.getBuiltinModule('node:fs/promises').readFile(o.credsFile))
          : undefined,
        tls: o.tls,
        // A broker restart is an outage to ride out, not a reason to exit: reconnect for ever, and
        // a replica starting while NATS is down waits for it (it is not ready until then).
        maxReconnectAttempts: -1,
        waitOnFirstConnect: true,
        reconnectTimeWait: 500,
        // Called before each dial: the client hands out no connection to close while it is still
        // dialling the first time, so a broker closed by then stops it here (the default server
        // choice otherwise). Once connected, close() drains the connection itself.
        reconnectToServer: () => {
          if (this.#closed && !this.#nc) throw new Error('the JetStream broker is closed');
          return null;
        },
      });
      this.#nc = nc;
      if (this.#closed) {
        await nc.close();
        throw new Error('the JetStream broker is closed');
      }
      const jsm = await jsLib.jetstreamManager(nc);
      return { nc, js: jsm.jetstream(), jsm, lib: { ...nats, ...jsLib } };
    })();
    return this.#connection;
  }

  /**
   * Creates the streams and consumers (idempotent: every replica does it) and starts pulling.
   * JetStream API calls fail while NATS restarts: the setup is retried until it succeeds, so a
   * replica started mid-outage becomes ready (and listens) once NATS is back.
   */
  async start(): Promise<void> {
    // A configuration error, not an outage: refused at once rather than retried for ever.
    oneFunctionPerQueue(this.#runtime);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#setUp();
        return;
      } catch (error) {
        if (this.#stopping) throw error;
        this.#runtime.log.warn('JetStream setup failed; retrying', { attempt, error: errorText(error) });
        this.#streams.clear();
        await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 2000)));
      }
    }
  }

  async #setUp(): Promise<void> {
    const { js } = await this.#connect();
    const pulls: Pull[] = [];
    for (const fn of this.#runtime.functions.values()) {
      const def = fn.def;
      if (def.kind === 'queue' || def.kind === 'topic') {
        const kind = def.kind === 'queue' ? 'q' : 't';
        const source = def.kind === 'queue' ? def.queue : def.topic;
        await this.#ensureSourceStream(kind, source);
        const stream = kind === 'q' ? this.#names.queueStream(source) : this.#names.topicStream(source);
        const event = (m: JsMsg, n: number) => this.#message(m, source, n);
        await this.#ensureConsumer(stream, fn, this.#names.subject(kind, source), undefined);
        const ackWaitMs = this.#ackWaitMs(fn);
        pulls.push({ fn, stream, durable: this.#names.consumer(fn.name), ordered: false, ackWaitMs, event });
        for (let p = 0; p < this.#partitions; p++) {
          await this.#ensureConsumer(stream, fn, this.#names.groupSubject(kind, source, p), p);
          pulls.push({
            fn,
            stream,
            durable: this.#names.consumer(fn.name, p),
            ordered: true,
            ackWaitMs,
            event,
          });
        }
      } else if (def.kind === 'schedule') {
        await this.#ensureScheduleStream();
        const stream = this.#names.scheduleStream;
        await this.#ensureConsumer(stream, fn, this.#names.scheduleSubject(fn.name), undefined);
        pulls.push({
          fn,
          stream,
          durable: this.#names.consumer(fn.name),
          ordered: false,
          ackWaitMs: this.#ackWaitMs(fn),
          event: (m) => scheduleEvent(m, def.name),
        });
      }
    }
    await this.#ensureDelayStream();
    // Every consumer first, then the loops: a failure part-way leaves nothing running to duplicate on retry.
    const consumers = await Promise.all(pulls.map((pull) => js.consumers.get(pull.stream, pull.durable)));
    const delayed = await js.consumers.get(this.#names.delayStream, 'mover');
    pulls.forEach((pull, i) => {
      this.#loops.push(
        this.#pullLoop(consumers[i]!, pull.ordered ? 1 : this.#concurrency, (m) => this.#deliver(pull, m)),
      );
    });
    this.#loops.push(this.#pullLoop(delayed, this.#concurrency, (m) => this.#moveDelayed(m)));
  }

  async send(queue: string, body: MessageBody, options: SendOptions = {}): Promise<{ id: string }> {
    await this.#ensureSourceStream('q', queue);
    const subject =
      options.groupId === undefined
        ? this.#names.subject('q', queue)
        : this.#names.groupSubject('q', queue, partitionOf(options.groupId, this.#partitions));
    return this.#publish(
      subject,
      queue,
      encodeMessageBody(body, `Queue.send("${queue}")`),
      options.attributes,
      options.groupId,
      options.delayMs,
      options.id,
    );
  }

  async publish(topic: string, body: MessageBody, options: PublishOptions = {}): Promise<{ id: string }> {
    await this.#ensureSourceStream('t', topic);
    const subject =
      options.orderingKey === undefined
        ? this.#names.subject('t', topic)
        : this.#names.groupSubject('t', topic, partitionOf(options.orderingKey, this.#partitions));
    const encoded = encodeMessageBody(body, `Topic.publish("${topic}")`);
    return this.#publish(subject, topic, encoded, options.attributes, options.orderingKey, 0, options.id);
  }

  /** Every replica publishes each tick; the de-duplication window keeps one, which one replica runs. */
  async tick(schedule: string, scheduledTime: Date): Promise<void> {
    const { js, lib } = await this.#connect();
    await this.#ensureScheduleStream();
    const h = lib.headers();
    h.set(WIRE.scheduledTime, scheduledTime.toISOString());
    await js.publish(this.#names.scheduleSubject(schedule), new Uint8Array(0), {
      msgID: `${schedule}@${scheduledTime.toISOString()}`,
      headers: h,
    });
  }

  async #publish(
    subject: string,
    source: string,
    encoded: EncodedMessageBody,
    attributes: Record<string, string> | undefined,
    groupId: string | undefined,
    delayMs: number | undefined,
    givenId: string | undefined,
  ): Promise<{ id: string }> {
    const { js, lib } = await this.#connect();
    const bytes = messageBodyBytes(encoded);
    const contentType = encoded.contentType;
    // Built-ins load when first used: the in-memory default never pays for them (issue 12).
    const id = givenId ?? process.getBuiltinModule('node:crypto').randomUUID();
    const h = lib.headers();
    h.set(WIRE.source, source);
    h.set(WIRE.contentType, contentType);
    if (groupId !== undefined) h.set(WIRE.groupId, oneLine(groupId));
    setAttributes(h, attributes);
    if (delayMs !== undefined && delayMs > 0) {
      h.set(WIRE.notBefore, String(Date.now() + delayMs));
      h.set(WIRE.target, subject);
      await js.publish(this.#names.delaySubject(subject), bytes, { msgID: id, headers: h });
      return { id };
    }
    // Resolves on the server's acknowledgement (stored, replicated); rejects when not stored.
    await js.publish(subject, bytes, { msgID: id, headers: h });
    return { id };
  }

  /** Pulls while running: `limit` messages in flight at most; a lost connection is waited out. */
  async #pullLoop(consumer: Consumer, limit: number, run: (m: JsMsg) => Promise<void>): Promise<void> {
    let active = 0;
    let freed: (() => void) | undefined;
    while (!this.#stopping) {
      if (active >= limit) {
        await new Promise<void>((resolve) => {
          freed = resolve;
        });
        continue;
      }
      let batch: ConsumerMessages | undefined;
      try {
        batch = await consumer.fetch({ max_messages: limit - active, expires: PULL_EXPIRES_MS });
        this.#fetches.add(batch);
        for await (const m of batch) {
          if (this.#stopping) {
            // Pulled as the drain began (this pull may have opened after the drain closed the others):
            // back to the stream for another replica, once this replica's pulls have expired.
            void batch.close();
            m.nak(PULL_EXPIRES_MS);
            continue;
          }
          active++;
          void run(m).finally(() => {
            active--;
            const wake = freed;
            freed = undefined;
            wake?.();
          });
        }
      } catch (error) {
        if (this.#stopping) break;
        this.#runtime.log.warn('JetStream pull failed; retrying', { error: errorText(error) });
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        if (batch) this.#fetches.delete(batch);
      }
    }
  }

  async #deliver(pull: Pull, m: JsMsg): Promise<void> {
    const id = m.headers?.get(WIRE.id) || `${pull.stream}:${m.seq}`;
    const groupId = m.headers?.get(WIRE.groupId) || undefined;
    this.#inFlight.set(m, id);
    try {
      for (let deliveryCount = m.info.deliveryCount; ; deliveryCount++) {
        let error: unknown;
        try {
          await handleWithin(
            this.#runtime,
            pull.fn,
            pull.event(m, deliveryCount),
            { requestId: `${id}:${deliveryCount}`, raw: m },
            this.#timeoutMs,
          );
          // Abandoned at the drain deadline while it ran: already nak'd, redelivered, not acknowledged.
          if (!this.#inFlight.has(m)) return;
          m.ack();
          this.#observe(pull.fn, id, deliveryCount, 'acked', groupId);
          return;
        } catch (e) {
          error = e;
        }
        if (!this.#inFlight.has(m)) return; // abandoned at the drain deadline: already nak'd
        if (deliveryCount >= this.#maxDeliveries) {
          await this.#deadLetter(pull.fn, m, id, deliveryCount, error);
          return;
        }
        const delay = this.#retryDelay(deliveryCount);
        if (!pull.ordered || this.#stopping) {
          m.nak(delay);
          this.#observe(pull.fn, id, deliveryCount, 'retry', groupId);
          return;
        }
        // Ordered partition: retry here, holding the partition; `working()` keeps the ack deadline ahead.
        this.#observe(pull.fn, id, deliveryCount, 'retry', groupId);
        await this.#hold(m, delay, pull.ackWaitMs);
        if (!this.#inFlight.has(m)) return;
      }
    } finally {
      this.#inFlight.delete(m);
      if (this.#inFlight.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** Waits `ms` holding the message: a sign of life each second, or twice per ack wait if that is shorter. */
  async #hold(m: JsMsg, ms: number, ackWaitMs: number): Promise<void> {
    const until = Date.now() + ms;
    const beat = Math.min(1000, ackWaitMs / 2);
    while (Date.now() < until && this.#inFlight.has(m) && !this.#stopping) {
      m.working();
      await new Promise((r) => setTimeout(r, Math.min(beat, until - Date.now())));
    }
  }

  /** The message, its headers and the last error into the dead-letter stream; then (only then) ack. */
  async #deadLetter(
    fn: CompiledFunction,
    m: JsMsg,
    id: string,
    deliveries: number,
    error: unknown,
  ): Promise<void> {
    const { js, lib } = await this.#connect();
    const h = lib.headers();
    if (m.headers) for (const [key, values] of m.headers) for (const v of values) h.append(key, v);
    h.delete(WIRE.id);
    h.set(WIRE.deadFunction, fn.name);
    h.set(WIRE.deadError, oneLine(errorText(error)));
    h.set(WIRE.deadDeliveries, String(deliveries));
    h.set(WIRE.deadAt, new Date().toISOString());
    h.set(WIRE.deadSubject, m.subject);
    h.set('Pc-Message-Id', id);
    try {
      await this.#ensureDeadLetterStream();
      await js.publish(this.#names.deadLetterSubject(fn.name), m.data, {
        msgID: `dlq:${fn.name}:${id}`,
        headers: h,
      });
    } catch (e) {
      // Not stored as a dead letter: keep the message in its stream (redelivered, tried again).
      this.#runtime.log.error('dead-letter publish failed; message kept for redelivery', {
        function: fn.name,
        messageId: id,
        error: errorText(e),
      });
      m.nak(this.#retryDelay(deliveries));
      return;
    }
    m.ack();
    this.#runtime.log.error('message dead-lettered after max deliveries', {
      function: fn.name,
      messageId: id,
      deliveries,
    });
    this.#observe(fn, id, deliveries, 'dead-lettered', m.headers?.get(WIRE.groupId) || undefined);
  }

  async #moveDelayed(m: JsMsg): Promise<void> {
    const notBefore = Number(m.headers?.get(WIRE.notBefore));
    const target = m.headers?.get(WIRE.target);
    const wait = notBefore - Date.now();
    if (!target) {
      // Nowhere to move it: dropped, said in the log. A plain +TERM: nats-server before 2.10 does not
      // read a reason after it and leaves the message pending, to come back every ack wait for ever.
      this.#runtime.log.warn('delayed message without a Pc-Target header dropped', { subject: m.subject });
      m.term();
      return;
    }
    if (wait > 0) {
      // JetStream 2.9 has no scheduled delivery: hand it back until due (at most a minute per round).
      m.nak(Math.min(wait, 60_000));
      return;
    }
    const { js, lib } = await this.#connect();
    const h = lib.headers();
    if (m.headers)
      for (const [key, values] of m.headers) {
        if (key === WIRE.notBefore || key === WIRE.target) continue;
        for (const v of values) h.append(key, v);
      }
    try {
      await js.publish(target, m.data, { msgID: m.headers?.get(WIRE.id) || undefined, headers: h });
      m.ack();
    } catch (error) {
      this.#runtime.log.warn('moving a delayed message failed; retrying', { error: errorText(error) });
      m.nak(1000);
    }
  }

  #message(m: JsMsg, source: string, deliveryCount: number): Message {
    const h = m.headers;
    return new Message({
      id: h?.get(WIRE.id) || `${m.info.stream}:${m.seq}`,
      body: m.data,
      attributes: readAttributes(h),
      deliveryCount,
      enqueuedAt: m.time,
      source,
      groupId: h?.get(WIRE.groupId) || undefined,
      sequence: String(m.seq),
      contentType: h?.get(WIRE.contentType) || undefined,
      raw: m,
    });
  }

  #observe(
    fn: CompiledFunction,
    messageId: string,
    deliveryCount: number,
    outcome: SettleEvent['outcome'],
    groupId?: string,
  ): void {
    this.#options.observe?.({ function: fn.name, messageId, deliveryCount, outcome, groupId });
  }

  /** Stops pulling; resolves when every message in flight here is settled. */
  drain(): Promise<void> {
    this.#stopPulling();
    if (this.#inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * No new pulls, and the open ones closed: an open pull would take back each message this replica
   * naks (it naks what it pulls while stopping), bouncing it and counting a delivery each time.
   */
  #stopPulling(): void {
    this.#stopping = true;
    for (const batch of this.#fetches) void batch.close();
  }

  /** Naks what is still running so another replica takes it (within PULL_EXPIRES_MS); nothing is lost. */
  abandon(): AbandonReport {
    this.#stopPulling();
    const messageIds: string[] = [];
    for (const [m, id] of this.#inFlight) {
      m.nak(PULL_EXPIRES_MS);
      messageIds.push(id);
    }
    this.#inFlight.clear();
    return { messageIds, durable: true };
  }

  async listDeadLetters(limit = 100): Promise<DeadLetterView[]> {
    const { jsm } = await this.#connect();
    await this.#ensureDeadLetterStream();
    const info = await jsm.streams.info(this.#names.deadLetterStream);
    const out: DeadLetterView[] = [];
    const last = info.state.last_seq;
    // An empty stream reads first_seq = last_seq = 0: the one lookup of sequence 0 fails and is skipped.
    for (let seq = Math.max(info.state.first_seq, last - limit + 1); seq <= last; seq++) {
      // Stryker disable next-line ArrowFunction: undefined or null, the entry is skipped the same
      const stored = await jsm.streams.getMessage(this.#names.deadLetterStream, { seq }).catch(() => null);
      if (!stored) continue;
      out.push(deadLetterView(stored.header, stored.data, stored.time));
    }
    return out;
  }

  /**
   * Closes the connection; returns at once when it was never made (NATS unreachable): the client
   * then stops dialling, and a connection made meanwhile is closed as it arrives.
   */
  async close(): Promise<void> {
    this.#stopping = true;
    this.#closed = true;
    const nc = this.#nc;
    // drain() flushes the acks and naks still buffered, then closes.
    if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
  }

  #ensureStream(name: string, config: () => Promise<void>): Promise<void> {
    let ready = this.#streams.get(name);
    if (!ready) {
      ready = config().catch((error: unknown) => {
        this.#streams.delete(name);
        throw error;
      });
      this.#streams.set(name, ready);
    }
    return ready;
  }

  #ensureSourceStream(kind: 'q' | 't', source: string): Promise<void> {
    const name = kind === 'q' ? this.#names.queueStream(source) : this.#names.topicStream(source);
    return this.#ensureStream(name, async () => {
      const { lib } = await this.#connect();
      const base = this.#names.subject(kind, source);
      await this.#addStream({
        name,
        subjects: [base, `${base}.g.*`],
        retention: kind === 'q' ? lib.RetentionPolicy.Workqueue : lib.RetentionPolicy.Interest,
      });
    });
  }

  #ensureScheduleStream(): Promise<void> {
    return this.#ensureStream(this.#names.scheduleStream, async () => {
      const { lib } = await this.#connect();
      await this.#addStream({
        name: this.#names.scheduleStream,
        subjects: [this.#names.scheduleSubjects],
        retention: lib.RetentionPolicy.Workqueue,
      });
    });
  }

  #ensureDeadLetterStream(): Promise<void> {
    return this.#ensureStream(this.#names.deadLetterStream, async () => {
      const { lib } = await this.#connect();
      await this.#addStream({
        name: this.#names.deadLetterStream,
        subjects: [this.#names.deadLetterSubjects],
        retention: lib.RetentionPolicy.Limits,
      });
    });
  }

  #ensureDelayStream(): Promise<void> {
    return this.#ensureStream(this.#names.delayStream, async () => {
      const { lib, jsm } = await this.#connect();
      await this.#addStream({
        name: this.#names.delayStream,
        subjects: [this.#names.delaySubjects],
        retention: lib.RetentionPolicy.Workqueue,
      });
      await this.#addConsumer(jsm, this.#names.delayStream, {
        durable_name: 'mover',
        ack_policy: lib.AckPolicy.Explicit,
        ack_wait: lib.nanos(30_000),
        max_deliver: -1,
      });
    });
  }

  async #addStream(config: { name: string; subjects: string[]; retention: unknown }): Promise<void> {
    const { jsm, lib } = await this.#connect();
    const full = {
      ...config,
      storage: lib.StorageType.File,
      num_replicas: this.#options.replicas ?? 1,
      duplicate_window: lib.nanos(DUPLICATE_WINDOW_MS),
    } as Parameters<JetStreamManager['streams']['add']>[0];
    try {
      await jsm.streams.add(full);
    } catch (error) {
      // Another replica created it first, or an older version did with other settings: update.
      try {
        await jsm.streams.update(config.name, full);
      } catch {
        throw error;
      }
    }
  }

  async #ensureConsumer(
    stream: string,
    fn: CompiledFunction,
    subject: string,
    partition: number | undefined,
  ): Promise<void> {
    const { jsm, lib } = await this.#connect();
    await this.#addConsumer(jsm, stream, {
      durable_name: this.#names.consumer(fn.name, partition),
      filter_subject: subject,
      ack_policy: lib.AckPolicy.Explicit,
      deliver_policy: lib.DeliverPolicy.All,
      ack_wait: lib.nanos(this.#ackWaitMs(fn)),
      // Unlimited at the server: polycloud counts deliveries and dead-letters itself, so a message
      // is never left undeliverable in its stream.
      max_deliver: -1,
      max_ack_pending: partition === undefined ? Math.max(1000, this.#concurrency * 4) : 1,
    });
  }

  /** Past the handler's timeout plus a grace, a silent replica (killed, partitioned) loses the message to another. */
  #ackWaitMs(fn: CompiledFunction): number {
    return (fn.def.options.timeoutMs ?? this.#timeoutMs) + (this.#options.ackGraceMs ?? 5000);
  }

  async #addConsumer(jsm: JetStreamManager, stream: string, config: Record<string, unknown>): Promise<void> {
    type Config = Parameters<JetStreamManager['consumers']['add']>[1];
    try {
      await jsm.consumers.add(stream, config as Config);
    } catch (error) {
      try {
        await jsm.consumers.update(stream, config.durable_name as string, config as Config);
      } catch {
        throw error;
      }
    }
  }
}

/**
 * Both packages are CommonJS: Node's import() exposes their exports by name, while an esbuild
 * bundle (the built server) hands them over as `default`.
 */
function commonJs<T>(mod: unknown, probe: string): T {
  const m = mod as Record<string, unknown>;
  // Stryker disable next-line ConditionalExpression: in Node's import() a CommonJS module has both views (named exports and `default`); the bundle's case is build.test.ts's
  return (probe in m ? m : (m.default as T)) as T;
}

/** A work-queue stream allows one consumer per subject: one function per queue. */
function oneFunctionPerQueue(runtime: AppRuntime): void {
  const owners = new Map<string, string>();
  for (const fn of runtime.functions.values()) {
    if (fn.def.kind !== 'queue') continue;
    const owner = owners.get(fn.def.queue);
    if (owner)
      throw new Error(
        `queue "${fn.def.queue}" has two functions (${owner}, ${fn.name}); on JetStream a queue has one consumer function (use a topic to fan out)`,
      );
    owners.set(fn.def.queue, fn.name);
  }
}

function scheduleEvent(m: JsMsg, name: string): ScheduleEvent {
  const at = m.headers?.get(WIRE.scheduledTime);
  const scheduledTime = at ? new Date(at) : new Date();
  return {
    id: m.headers?.get(WIRE.id) || `${name}@${scheduledTime.toISOString()}`,
    name,
    scheduledTime,
    // Run after the next tick would already have been due: a backlog (every replica was down).
    isPastDue: Date.now() - scheduledTime.getTime() > 60_000,
  };
}

/** A stored message always has headers (empty when it was published without), and a missing one reads as ''. */
function deadLetterView(h: MsgHdrs, data: Uint8Array, at: Date): DeadLetterView {
  return {
    function: h.get(WIRE.deadFunction),
    source: h.get(WIRE.source),
    messageId: h.get('Pc-Message-Id'),
    ...viewBody(data),
    attributes: readAttributes(h),
    groupId: h.get(WIRE.groupId) || undefined,
    error: h.get(WIRE.deadError),
    deliveries: Number(h.get(WIRE.deadDeliveries)),
    at: h.get(WIRE.deadAt) || at.toISOString(),
  };
}
