/**
 * `providers.node.broker: { "kind": "nats", ... }` in polycloud.config, or `broker` in handle()'s
 * options. Connection settings are handed to the NATS client as they are.
 */
export interface NatsBrokerOptions {
  kind: 'nats';
  /** One server or several (a cluster), e.g. `nats://nats:4222`. Default: `POLYCLOUD_NATS_URL`. */
  url?: string | string[];
  /** User/password or token authentication. */
  user?: string;
  pass?: string;
  token?: string;
  /** A `.creds` file (JWT + NKey seed) as written by `nsc`; read at connect. */
  credsFile?: string;
  /** TLS: CA, client certificate and key files (`tls: {}` requires TLS with the system CAs). */
  tls?: { caFile?: string; certFile?: string; keyFile?: string; handshakeFirst?: boolean };
  /** Client name shown by the server's monitoring (default `polycloud-<app>`). */
  name?: string;
  /** Deliveries before a message goes to the dead-letter stream (default 5). */
  maxDeliveries?: number;
  /** Delay before redelivery n (1-based); default exponential from 200 ms, capped at 30 s. */
  retryDelayMs?: (attempt: number) => number;
  /** The same as a list, for JSON config: redelivery n waits `backoffMs[n - 1]` (the last entry repeats). */
  backoffMs?: number[];
  /** How long a replica may hold a message before JetStream redelivers it elsewhere, beyond the handler timeout (default 5 s). */
  ackGraceMs?: number;
  /** Messages each replica runs at once per function (default 32). */
  maxConcurrency?: number;
  /** Ordered groups are spread over this many partitions, each delivered one message at a time (default 8). */
  partitions?: number;
  /** Prefix of every stream, consumer and subject name (default `PC`, subjects `pc.…`); lets apps share a server. */
  prefix?: string;
  /** Stream replicas in a NATS cluster (default 1). */
  replicas?: number;
  /** Longest a message handler may run when its function sets no `timeoutMs` (default: the runtime's, 30 s). */
  handlerTimeoutMs?: number;
  /** Called as each message settles here; for metrics and tests. */
  observe?: (event: SettleEvent) => void;
}

/** What happened to one delivery on this replica. */
export interface SettleEvent {
  function: string;
  messageId: string;
  deliveryCount: number;
  outcome: 'acked' | 'retry' | 'held' | 'dead-lettered';
  groupId?: string;
}

/** How the JetStream broker retries a delivery, from its options: the same for messages and local notifications. */
export interface JetStreamDelivery {
  maxDeliveries: number;
  retryDelay: (attempt: number) => number;
  timeoutMs: number;
}
