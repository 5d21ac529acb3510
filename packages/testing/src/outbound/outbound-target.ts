import type { Queue, Storage, Topic } from '@polycloud/core';

/** A message as the backend holds it after a send/publish, read back by the target. */
export interface ReadBackMessage {
  body: Uint8Array;
  attributes: Record<string, string>;
  /** FIFO group / session id / ordering key, when the backend carries one. */
  groupId?: string;
}

/**
 * One provider's outbound clients wired to a backend the test started (or a protocol fake), for the
 * outbound scenarios. Each part is optional: a target that has no Storage gets its storage scenarios
 * reported unsupported with `unsupported[id]`.
 */
export interface OutboundTarget {
  /** Column in the capability matrix, e.g. `aws:s3 client`. */
  readonly name: string;
  /** What answered: `s3rver 3.7.1 (live server)`, `AMQP protocol fake (recorded exchanges)` ... */
  readonly backend: string;
  /** `live`: a real server or emulator; `fake`: a protocol fake replaying documented exchanges. */
  readonly mode: 'live' | 'fake';
  readonly unsupported?: Readonly<Record<string, string>>;
  readonly storage?: {
    client: Storage;
    /** A logical bucket name that exists on the backend. */
    bucket: string;
    /** Bytes to stream through put/getStream (default 100 MiB). */
    streamBytes?: number;
  };
  readonly queue?: {
    client: Queue;
    /** A queue name that exists on the backend. */
    name: string;
    /** The next message the backend holds on that queue. */
    receive(): Promise<ReadBackMessage>;
  };
  readonly topic?: {
    client: Topic;
    name: string;
    receive(): Promise<ReadBackMessage>;
  };
}
