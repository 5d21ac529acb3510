import type { App, CloudEvent } from '@polycloud/core';
import type { FunctionKind } from '@polycloud/core/adapter';
import { toBase64 } from '@polycloud/core/adapter';
import { cloudEventToBinary } from '@polycloud/core/cloud-events';
import type {
  AdapterDriver,
  BatchOutcome,
  DriverSession,
  NeutralHttpRequest,
  NeutralMessage,
  NeutralStorageChange,
  ObservedHttpResponse,
  Outcome,
} from '@polycloud/testing';
import { deliverPerKeyInOrder } from '@polycloud/testing';
import { handle } from '../../src/index.ts';
import { serveAll } from './framework-server.ts';
import { send, text } from './wire.ts';

const STORAGE_TYPES = {
  created: 'google.cloud.storage.object.v1.finalized',
  deleted: 'google.cloud.storage.object.v1.deleted',
  archived: 'google.cloud.storage.object.v1.archived',
  metadataUpdated: 'google.cloud.storage.object.v1.metadataUpdated',
} as const;

/**
 * Drives the gcp adapter through the functions framework's own server (`getTestServer`, which runs
 * the framework's real Express pipeline: body parsers, execution id, routing) with the request
 * shapes Google sends: plain HTTP, Pub/Sub push bodies, Eventarc binary-mode CloudEvents.
 */
export const gcpDriver: AdapterDriver = {
  name: 'gcp',
  unsupported: {
    'queue.fifo.stop-at-first-failure':
      'Pub/Sub orders per ordering key only: after a failure the rest of that key waits, other keys go on (https://cloud.google.com/pubsub/docs/ordering); covered by queue.fifo.group-failure',
    'topic.fifo.stop-at-first-failure':
      'Pub/Sub orders per ordering key only: after a failure the rest of that key waits, other keys go on (https://cloud.google.com/pubsub/docs/ordering); covered by topic.fifo.group-failure',
  },
  async start(app: App): Promise<DriverSession> {
    const { runtime } = handle(app, { project: 'contract-project' });
    const served = await serveAll([...app.functions.keys()]);
    const url = (fn: string) => {
      const u = served.urls[fn];
      if (!u) throw new Error(`no function ${fn}`);
      return u;
    };
    const outcome = async (
      fn: string,
      headers: [string, string][],
      body: Uint8Array | string,
    ): Promise<Outcome> => {
      const res = await send(url(fn), { method: 'POST', headers, body });
      if (res.status >= 200 && res.status < 300) return { ok: true };
      return { ok: false, error: `HTTP ${res.status} ${text(res.body)}` };
    };
    const cloudEvent = (fn: string, ev: CloudEvent) => {
      const { headers, body } = cloudEventToBinary(ev);
      return outcome(fn, Object.entries(headers), body);
    };
    return {
      runtime,
      async http(fn: string, r: NeutralHttpRequest): Promise<ObservedHttpResponse> {
        const qs = r.query && r.query.length > 0 ? `?${new URLSearchParams(r.query).toString()}` : '';
        const res = await send(url(fn) + r.path + qs, {
          method: r.method,
          headers: r.headers ?? [],
          body: r.body,
        });
        return res;
      },
      async messages(fn: string, batch: NeutralMessage[], { ordered }): Promise<BatchOutcome> {
        // A push subscription delivers one message per request; Pub/Sub redelivers any non-2xx.
        const deliver = (m: NeutralMessage) =>
          outcome(fn, [['content-type', 'application/json']], JSON.stringify(pushBody(m)));
        if (!ordered) {
          const results = await Promise.all(batch.map(deliver));
          return { failed: batch.filter((_, i) => !results[i]!.ok).map((m) => m.id) };
        }
        // Pub/Sub ordering keys are the platform's ordering (see deliverPerKeyInOrder); the adapter's
        // part is answering non-2xx for the failed message, which each delivery exercises.
        return deliverPerKeyInOrder(batch, async (m) => (await deliver(m)).ok);
      },
      storage(fn: string, change: NeutralStorageChange): Promise<Outcome> {
        const data: Record<string, unknown> = {
          bucket: change.bucket,
          name: change.key,
          kind: 'storage#object',
        };
        if (change.size !== undefined) data.size = String(change.size);
        if (change.etag !== undefined) data.etag = change.etag;
        if (change.contentType !== undefined) data.contentType = change.contentType;
        return cloudEvent(fn, {
          specversion: '1.0',
          id: `${Date.now()}${Math.random().toString().slice(2, 8)}`,
          type: STORAGE_TYPES[change.type],
          source: `//storage.googleapis.com/projects/_/buckets/${change.bucket}`,
          subject: `objects/${change.key}`,
          time: new Date().toISOString(),
          datacontenttype: 'application/json',
          data,
        });
      },
      schedule(fn: string, scheduledTime: Date): Promise<Outcome> {
        // Cloud Scheduler with a Pub/Sub target, delivered by Eventarc.
        const id = `sched-${scheduledTime.getTime()}`;
        return cloudEvent(fn, {
          specversion: '1.0',
          id,
          type: 'google.cloud.pubsub.topic.v1.messagePublished',
          source: '//pubsub.googleapis.com/projects/contract-project/topics/polycloud-schedule',
          time: scheduledTime.toISOString(),
          datacontenttype: 'application/json',
          data: {
            subscription: 'projects/contract-project/subscriptions/eventarc-sub',
            message: {
              messageId: id,
              publishTime: scheduledTime.toISOString(),
              data: toBase64(new TextEncoder().encode('{}')),
            },
          },
        });
      },
      event(fn: string, ev: CloudEvent): Promise<Outcome> {
        return cloudEvent(fn, ev);
      },
      async malformed(kind: FunctionKind, fn: string) {
        if (kind === 'http') {
          // A path whose percent-encoding is broken cannot be decoded; Express's router refuses it
          // (400) before the function runs, as on Cloud Functions.
          const res = await send(`${url(fn)}/echo/%E0%A4%A`, { method: 'GET' });
          return { ok: res.status < 400, status: res.status, body: text(res.body) };
        }
        const body =
          kind === 'queue' || kind === 'topic'
            ? JSON.stringify({ subscription: 's', message: { messageId: 'm-1', data: 'not*base64' } })
            : '{}';
        const res = await send(url(fn), {
          method: 'POST',
          headers: [['content-type', 'application/json']],
          body,
        });
        return {
          ok: res.status >= 200 && res.status < 300,
          status: res.status,
          body: text(res.body),
          error: text(res.body),
        };
      },
      close: () => served.close(),
    };
  },
};

/** A push subscription's body; deliveryAttempt is present when the subscription has a dead-letter policy. */
function pushBody(m: NeutralMessage) {
  const message: Record<string, unknown> = {
    messageId: m.id,
    publishTime: new Date().toISOString(),
    data: toBase64(m.body),
  };
  if (m.attributes && Object.keys(m.attributes).length > 0) message.attributes = m.attributes;
  if (m.groupId) message.orderingKey = m.groupId;
  return {
    subscription: 'projects/contract-project/subscriptions/polycloud',
    message,
    ...(m.deliveryCount ? { deliveryAttempt: m.deliveryCount } : {}),
  };
}
