/**
 * The contract-kit driver for Azure: every scenario becomes host-shaped (RPC) invocation input for the
 * function as @azure/functions registered it, runs through the library's own invocation model, and the
 * host-shaped output is read back. Nothing calls the AppRuntime directly.
 */
import './host/functions-core.ts';
import type { App, CloudEvent } from '@polycloud/core';
import type { FunctionKind } from '@polycloud/core/adapter';
import { toBase64 } from '@polycloud/core/adapter';
import { deliverPerKeyInOrder } from '@polycloud/testing';
import type {
  AdapterDriver,
  BatchOutcome,
  DriverSession,
  NeutralHttpRequest,
  NeutralMessage,
  NeutralStorageChange,
  ObservedHttpResponse,
  Outcome,
} from '../../../../packages/testing/src/driver.ts';
import { type AzureOptions, handle, type Registration } from '../../src/index.ts';
import { type HostOutcome, hostHttpResponse, invokeHost, rpcHttp, typed } from './host/host.ts';
import type { RpcTypedData } from './host/rpc.ts';

export const AZURE_UNSUPPORTED: Readonly<Record<string, string>> = {
  'http.cookies.set-multiple':
    'the host re-renders each cookie object through ASP.NET Core SetCookieHeaderValue: names, values and attributes are kept, but attribute names come out lower-case and in ASP.NET order, so the exact Set-Cookie text differs (https://learn.microsoft.com/dotnet/api/microsoft.net.http.headers.setcookieheadervalue)',
  'http.response-object':
    "a Response's Set-Cookie lines travel as cookie objects that the host re-renders (lower-case attribute names; https://learn.microsoft.com/azure/azure-functions/functions-reference-node#http-response); status, headers and body are kept",
  'queue.fifo.group-failure':
    'queue functions default to Storage Queues, which have no ordering (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-azure-and-service-bus-queues-compared-contrasted); ordered delivery is Service Bus sessions (topic and queue: serviceBus) or Event Hubs',
  'queue.fifo.stop-at-first-failure':
    'queue functions default to Storage Queues, which have no ordering (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-azure-and-service-bus-queues-compared-contrasted)',
  'topic.fifo.stop-at-first-failure':
    'Service Bus sessions order per session only: an abandoned message holds back its own session, other sessions go on (https://learn.microsoft.com/azure/service-bus-messaging/message-sessions); covered by topic.fifo.group-failure',
  'queue.attributes':
    'Storage Queue messages carry no properties (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-azure-and-service-bus-queues-compared-contrasted); use a Service Bus queue (providers.azure.queue: serviceBus) for attributes',
  'storage.metadataUpdated':
    'Blob Storage publishes no metadata-changed event to Event Grid (BlobCreated, BlobDeleted, BlobTierChanged, ...: https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage), and the blob trigger fires on new or updated blobs only',
};

export function azureDriver(options: AzureOptions = {}): AdapterDriver {
  return {
    name: 'azure',
    unsupported: AZURE_UNSUPPORTED,
    async start(app: App): Promise<DriverSession> {
      return new AzureSession(handle(app, options));
    },
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export class AzureSession implements DriverSession {
  readonly registration: Registration;
  /** Every host outcome, in order, for tests that look at logs. */
  readonly outcomes: HostOutcome[] = [];

  constructor(registration: Registration) {
    this.registration = registration;
  }

  get runtime() {
    return this.registration.runtime;
  }

  #plan(fn: string) {
    const plan = this.registration.plans[fn];
    if (!plan) throw new Error(`no function "${fn}"`);
    return plan;
  }

  async #invoke(fn: string, data: RpcTypedData, triggerMetadata?: Record<string, RpcTypedData>) {
    const outcome = await invokeHost(fn, { data, triggerMetadata });
    this.outcomes.push(outcome);
    return outcome;
  }

  async http(fn: string, request: NeutralHttpRequest): Promise<ObservedHttpResponse> {
    const plan = this.#plan(fn);
    const route = plan.method === 'http' ? plan.options.route : undefined;
    const query = request.query?.length
      ? request.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
      : undefined;
    const outcome = await this.#invoke(
      fn,
      rpcHttp(
        { method: request.method, path: request.path, query, headers: request.headers, body: request.body },
        route,
      ),
    );
    // A failed invocation is a bare 500 from the host.
    if (!outcome.ok) return { status: 500, headers: {}, cookies: [], body: new Uint8Array(0) };
    return hostHttpResponse(outcome.response);
  }

  async messages(fn: string, batch: NeutralMessage[], options: { ordered: boolean }): Promise<BatchOutcome> {
    const plan = this.#plan(fn);
    if (plan.method === 'eventHub') {
      const outcome = await this.#invoke(
        fn,
        { collectionString: { string: batch.map((m) => asText(m.body) ?? toBase64(m.body)) } },
        {
          SequenceNumberArray: typed(batch.map((_, i) => i + 1)),
          PartitionKeyArray: typed(batch.map((m) => m.groupId ?? null)),
          PropertiesArray: typed(batch.map((m) => m.attributes ?? {})),
          EnqueuedTimeUtcArray: typed(batch.map(() => new Date().toISOString())),
          PartitionContext: typed({ PartitionId: '0', EventHubName: fn }),
        },
      );
      // The retry policy re-runs the whole batch before the checkpoint moves.
      return { failed: outcome.ok ? [] : batch.map((m) => m.id) };
    }
    const deliverOne = async (m: NeutralMessage): Promise<boolean> => {
      const text = asText(m.body);
      const data: RpcTypedData = text === undefined ? { bytes: m.body } : { string: text };
      const meta: Record<string, RpcTypedData> =
        plan.method === 'storageQueue'
          ? {
              Id: typed(m.id),
              DequeueCount: { json: String(m.deliveryCount ?? 1) },
              InsertionTime: typed(new Date().toISOString()),
              QueueTrigger: data,
            }
          : {
              MessageId: typed(m.id),
              DeliveryCount: { json: String(m.deliveryCount ?? 1) },
              EnqueuedTimeUtc: typed(new Date().toISOString()),
              ApplicationProperties: typed(m.attributes ?? {}),
              ...(m.groupId ? { SessionId: typed(m.groupId) } : {}),
            };
      return (await this.#invoke(fn, data, meta)).ok;
    };
    // Service Bus sessions order per session: that is the platform's part (deliverPerKeyInOrder); the
    // adapter's part is failing the invocation of the failed message, which each delivery exercises.
    if (options.ordered) return deliverPerKeyInOrder(batch, deliverOne);
    const failed: string[] = [];
    for (const m of batch) if (!(await deliverOne(m))) failed.push(m.id);
    return { failed };
  }

  async storage(fn: string, change: NeutralStorageChange): Promise<Outcome> {
    const plan = this.#plan(fn);
    if (plan.method === 'storageBlob') {
      if (change.type !== 'created') return { ok: true };
      const outcome = await this.#invoke(
        fn,
        { bytes: new Uint8Array(0) },
        {
          BlobTrigger: typed(`${change.bucket}/${change.key}`),
          Uri: typed(`https://acct.blob.core.windows.net/${change.bucket}/${encodeURI(change.key)}`),
          Name: typed(change.key),
          Properties: typed({
            ContentLength: change.size ?? 0,
            ContentType: change.contentType ?? 'application/octet-stream',
            ETag: change.etag ?? '"0x8D0"',
          }),
        },
      );
      return result(outcome);
    }
    const eventType =
      change.type === 'created'
        ? 'Microsoft.Storage.BlobCreated'
        : change.type === 'deleted'
          ? 'Microsoft.Storage.BlobDeleted'
          : 'Microsoft.Storage.BlobTierChanged';
    const event = {
      topic: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct',
      subject: `/blobServices/default/containers/${change.bucket}/blobs/${change.key}`,
      eventType,
      eventTime: new Date().toISOString(),
      id: crypto.randomUUID(),
      data: {
        api: change.type === 'deleted' ? 'DeleteBlob' : 'PutBlob',
        contentType: change.contentType ?? 'application/octet-stream',
        ...(change.size !== undefined ? { contentLength: change.size } : {}),
        ...(change.etag ? { eTag: change.etag } : {}),
        ...(change.type === 'archived' ? { accessTier: 'Archive' } : {}),
        blobType: 'BlockBlob',
        url: `https://acct.blob.core.windows.net/${change.bucket}/${encodeURI(change.key)}`,
      },
      dataVersion: '',
      metadataVersion: '1',
    };
    return result(await this.#invoke(fn, typed(event)));
  }

  async schedule(fn: string, scheduledTime: Date): Promise<Outcome> {
    const last = new Date(scheduledTime.getTime() - 300_000).toISOString();
    const timer = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: { Last: last, Next: scheduledTime.toISOString(), LastUpdated: last },
      IsPastDue: false,
    };
    return result(await this.#invoke(fn, typed(timer)));
  }

  async event(fn: string, event: CloudEvent): Promise<Outcome> {
    const { data, ...rest } = event;
    const wire: Record<string, unknown> = { ...rest };
    if (data instanceof Uint8Array) wire.data_base64 = toBase64(data);
    else if (data !== undefined) wire.data = data;
    return result(await this.#invoke(fn, typed(wire)));
  }

  async malformed(kind: FunctionKind, fn: string): Promise<Outcome & { status?: number; body?: string }> {
    if (kind === 'http') {
      const res = await this.http(fn, { method: 'GET', path: '/echo/%E0%A4%A' });
      return { ok: res.status < 400, status: res.status, body: new TextDecoder().decode(res.body) };
    }
    if (kind === 'schedule') return result(await this.#invoke(fn, { json: '{"IsPastDue": ' }));
    if (kind === 'storage' && this.#plan(fn).method === 'storageBlob') {
      return result(await this.#invoke(fn, { bytes: new Uint8Array(0) }, {}));
    }
    if (kind === 'event' || kind === 'storage')
      return result(await this.#invoke(fn, typed({ hello: 'world' })));
    return result(await this.#invoke(fn, { json: '{"broken": ' }));
  }

  async close(): Promise<void> {}
}

function result(outcome: HostOutcome): Outcome {
  return outcome.ok ? { ok: true } : { ok: false, error: outcome.error };
}
