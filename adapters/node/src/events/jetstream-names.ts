/**
 * Stream, consumer and subject names for one app's queues, topics and schedules. Queue and
 * function names may hold characters a NATS subject or stream name cannot ('.', '*', '>', spaces):
 * they become a readable token plus a short hash, so `orders.eu` and `orders_eu` stay apart.
 */
export class JetStreamNames {
  readonly #prefix: string;
  readonly #subject: string;

  constructor(prefix = 'PC') {
    this.#prefix = prefix.toUpperCase();
    this.#subject = prefix.toLowerCase();
  }

  queueStream(queue: string): string {
    return `${this.#prefix}_Q_${token(queue)}`;
  }

  topicStream(topic: string): string {
    return `${this.#prefix}_T_${token(topic)}`;
  }

  get scheduleStream(): string {
    return `${this.#prefix}_SCHEDULES`;
  }

  get deadLetterStream(): string {
    return `${this.#prefix}_DLQ`;
  }

  get delayStream(): string {
    return `${this.#prefix}_DELAYED`;
  }

  /** Ungrouped messages of a queue (`kind` q) or topic (t). */
  subject(kind: 'q' | 't', name: string): string {
    return `${this.#subject}.${kind}.${token(name)}`;
  }

  /** Messages of partition `p` of a queue's or topic's ordered groups. */
  groupSubject(kind: 'q' | 't', name: string, partition: number): string {
    return `${this.subject(kind, name)}.g.${partition}`;
  }

  scheduleSubject(schedule: string): string {
    return `${this.#subject}.s.${token(schedule)}`;
  }

  get scheduleSubjects(): string {
    return `${this.#subject}.s.*`;
  }

  deadLetterSubject(fn: string): string {
    return `${this.#subject}.dlq.${token(fn)}`;
  }

  get deadLetterSubjects(): string {
    return `${this.#subject}.dlq.>`;
  }

  get delaySubjects(): string {
    return `${this.#subject}.delay.>`;
  }

  delaySubject(target: string): string {
    return `${this.#subject}.delay.${target}`;
  }

  /** A function's durable consumer (`partition` for an ordered-group partition). */
  consumer(fn: string, partition?: number): string {
    return partition === undefined ? token(fn) : `${token(fn)}_g${partition}`;
  }
}

function token(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  if (safe === name) return name;
  return `${safe}_${process.getBuiltinModule('node:crypto').createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/**
 * The partition of an ordered group: FNV-1a of the group id. Stable across processes and
 * versions, so every replica and every producer agrees on it.
 */
export function partitionOf(groupId: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < groupId.length; i++) {
    h ^= groupId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
