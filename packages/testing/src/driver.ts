import type { App, CloudEvent, StorageEventType } from '@polycloud/core';
import type { AppRuntime, FunctionKind } from '@polycloud/core/adapter';
import type { ScenarioKind } from './scenario-kind.ts';

/**
 * The contract between the kit and an adapter. A driver turns a neutral scenario into the
 * provider's native input, calls the adapter's real entry point, and turns the provider's native
 * output back into an observation. Drivers must not shortcut the adapter (no calling AppRuntime
 * directly): the point is to exercise the provider translation both ways.
 */
export interface AdapterDriver {
  /** Column name in the capability matrix, e.g. `node`, `aws:apigw-v2`, `azure`. */
  readonly name: string;
  /** Provider the driver belongs to (`aws`, `azure`, `gcp`, `node`); default: the part of `name` before `:`. */
  readonly provider?: string;
  /**
   * The native source the driver uses per kind (`http: 'alb'`, `queue: 'sqs-fifo'`), so declarations can be
   * compared between drivers of one provider on the same source (see checkUnsupportedDeclarations).
   */
  readonly sources?: Readonly<Partial<Record<ScenarioKind, string>>>;
  /**
   * Scenario ids (see scenarios.ts) this adapter cannot support, each with a reason that cites the
   * provider's documentation; reported, never silently skipped, and held to UNSUPPORTED_BUDGET.
   */
  readonly unsupported?: Readonly<Record<string, string>>;
  /** Starts the adapter with `app` (built by the kit), e.g. creates handlers or a server. */
  start(app: App): Promise<DriverSession>;
}

export interface DriverSession {
  /** The runtime the adapter created for `app`, so the kit can rebind services in its container. */
  readonly runtime: AppRuntime;
  /** Sends an HTTP request to the http function `fn` through the provider's native request shape. */
  http(fn: string, request: NeutralHttpRequest): Promise<ObservedHttpResponse>;
  /**
   * Delivers a batch to the queue/topic function `fn` as the provider would, and reports which
   * message ids the provider would redeliver (not acknowledged). `ordered` = a FIFO/ordered batch.
   */
  messages(fn: string, batch: NeutralMessage[], options: { ordered: boolean }): Promise<BatchOutcome>;
  /** Delivers one storage notification to the storage function `fn`. */
  storage(fn: string, event: NeutralStorageChange): Promise<Outcome>;
  /** Fires the schedule function `fn` as scheduled for `scheduledTime`. */
  schedule(fn: string, scheduledTime: Date): Promise<Outcome>;
  /** Delivers a CloudEvent to the event function `fn` in the provider's native event shape. */
  event(fn: string, event: CloudEvent): Promise<Outcome>;
  /**
   * Feeds malformed native input for `kind` to function `fn` (for http: to the http entry point).
   * Must not throw: report what the provider would see.
   */
  malformed(kind: FunctionKind, fn: string): Promise<Outcome & { status?: number; body?: string }>;
  close(): Promise<void>;
}

export interface NeutralHttpRequest {
  method: string;
  /** Raw path, percent-encoding intact. */
  path: string;
  /** Key/value pairs in order (repeated keys allowed), not yet encoded. */
  query?: [string, string][];
  /** Header pairs in order (repeated names allowed); `cookie` is sent as the provider sends cookies. */
  headers?: [string, string][];
  body?: Uint8Array;
}

export interface ObservedHttpResponse {
  status: number;
  /** Lower-case names; repeated values joined by ", ". */
  headers: Record<string, string>;
  /** Every Set-Cookie value separately, in order. */
  cookies: string[];
  body: Uint8Array;
}

export interface NeutralMessage {
  id: string;
  body: Uint8Array;
  attributes?: Record<string, string>;
  groupId?: string;
  /** How many times the provider says it has delivered this message (1 = first). */
  deliveryCount?: number;
}

export interface BatchOutcome {
  /** Ids the provider would redeliver, in batch order. */
  failed: string[];
}

export interface NeutralStorageChange {
  type: StorageEventType;
  bucket: string;
  /** The key as the object is named (not encoded); the driver encodes it as the provider does. */
  key: string;
  size?: number;
  etag?: string;
  contentType?: string;
}

/** Whether the provider would consider the delivery successful (acknowledged). */
export interface Outcome {
  ok: boolean;
  /** Provider-visible error text when not ok (for messages in failures). */
  error?: string;
}
