import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { type CloudEvent, HttpHeaders, InvalidEventError, StorageNotFoundError } from '@polycloud/core';
import {
  type AppRuntime,
  bindFunction,
  errorResponse,
  type FunctionRunner,
  headerPairs,
  jsonResponse,
  rejectionResponse,
  toError,
  writeNodeResponse,
} from '@polycloud/core/adapter';
import { cloudEventDataBytes, cloudEventFromHttp } from '@polycloud/core/cloud-events';
import { neutralFromCloudEvent } from '../events/cloud-event-input.ts';
import { handleMessageBatch } from '../events/message-batch.ts';
import { BrokerFullError, type MessageBroker } from '../events/message-broker.ts';
import { folderStorageFor } from '../provider.ts';
import type { NodeRaw } from '../raw.ts';

/** What the internal endpoints serve: the server's runtime and broker. */
export interface InternalEndpointsDeps {
  runtime: AppRuntime;
  broker: MessageBroker;
}

/** The node server's `/_polycloud/` endpoints and signed Storage URLs. */
export interface InternalEndpoints {
  /** `/_polycloud/<route>`, once its access check passed and its body was read. */
  internal(req: IncomingMessage, res: ServerResponse, route: string, body: Uint8Array): Promise<void>;
  /** GET/HEAD/PUT through a signed Storage URL. */
  signedStorage(req: IncomingMessage, res: ServerResponse, url: string): Promise<void>;
}

/**
 * The node server's endpoints besides the app's own routes: push delivery, queue, topic and event
 * ingress, dead letters, the function list and signed Storage URLs. The server imports this module
 * on the first such request: an app's cold start never parses it (issue 12).
 */
export function internalEndpoints({ runtime, broker }: InternalEndpointsDeps): InternalEndpoints {
  // Bound once, with the endpoints: every function, for push delivery.
  const runners = new Map<string, FunctionRunner>();
  for (const fn of runtime.functions.values()) runners.set(fn.name, bindFunction(runtime, fn));
  return { internal, signedStorage };

  async function internal(
    req: IncomingMessage,
    res: ServerResponse,
    route: string,
    body: Uint8Array,
  ): Promise<void> {
    const [area, rawName = '', extra] = route.split('/');
    let name: string;
    try {
      name = decodeURIComponent(rawName);
    } catch {
      return writeNodeResponse(res, errorResponse(400, 'malformed percent-encoding in the name'));
    }
    if (req.method === 'GET' && area === 'dead-letters') {
      return send(res, 200, await broker.listDeadLetters(1000));
    }
    if (req.method === 'GET' && area === 'functions') {
      return send(
        res,
        200,
        [...runtime.functions.values()].map((f) => ({ name: f.name, kind: f.def.kind })),
      );
    }
    const batch = area === 'functions' && extra === 'messages';
    if (req.method !== 'POST' || (extra !== undefined && !batch)) {
      return writeNodeResponse(res, errorResponse(404, 'Not Found'));
    }
    try {
      if (batch) {
        const runner = runners.get(name);
        if (!runner) return writeNodeResponse(res, errorResponse(404, `no function named "${name}"`));
        const result = await handleMessageBatch(runner, body);
        return 'outcome' in result
          ? writeNodeResponse(res, rejectionResponse(result))
          : send(res, 200, result);
      }
      const headers = new HttpHeaders(headerPairs(req));
      switch (area) {
        case 'functions': {
          // Push delivery (Knative, Pub/Sub push, Dapr): run once now; retrying is the sender's job.
          const runner = runners.get(name);
          if (!runner || runner.fn.def.kind === 'http')
            return writeNodeResponse(res, errorResponse(404, `no event function named "${name}"`));
          let ev: CloudEvent | undefined;
          const outcome = await runner.event(
            () => {
              ev = cloudEventFromHttp(headers, body);
              return neutralFromCloudEvent(runner.fn.def, ev);
            },
            () => ({ requestId: ev!.id, raw: { provider: 'node', cloudEvent: ev! } satisfies NodeRaw }),
          );
          if (outcome.outcome === 'rejected') return writeNodeResponse(res, rejectionResponse(outcome));
          if (outcome.outcome === 'failed')
            return writeNodeResponse(res, errorResponse(500, 'handler failed; redeliver'));
          return send(res, 204);
        }
        case 'queues':
        case 'topics': {
          const { data, attributes, groupId } = messageInput(headers, body);
          try {
            const result =
              area === 'queues'
                ? await broker.send(name, data, { attributes, groupId })
                : await broker.publish(name, data, { attributes, orderingKey: groupId });
            return send(res, 202, result);
          } catch (error) {
            // Not stored: the sender must retry (never a 202 for a message that was dropped).
            runtime.log.error('message not accepted', {
              [area === 'queues' ? 'queue' : 'topic']: name,
              error: toError(error),
            });
            res.setHeader('retry-after', '1');
            return writeNodeResponse(
              res,
              errorResponse(
                503,
                error instanceof BrokerFullError ? 'broker full; retry later' : 'message not stored; retry',
              ),
            );
          }
        }
        case 'events': {
          const ev = cloudEventFromHttp(headers, body);
          const targets = [...runners.values()].filter(
            ({ fn: { def } }) =>
              def.kind === 'event' && (def.types.length === 0 || def.types.includes(ev.type)),
          );
          if (targets.length === 0)
            return writeNodeResponse(res, errorResponse(404, `no event function accepts type "${ev.type}"`));
          const outcomes = await Promise.all(
            targets.map((runner) =>
              runner.event(() => ev, {
                requestId: ev.id,
                raw: { provider: 'node', cloudEvent: ev } satisfies NodeRaw,
              }),
            ),
          );
          return outcomes.every((o) => o.outcome === 'handled')
            ? send(res, 204)
            : writeNodeResponse(res, errorResponse(500, 'handler failed; redeliver'));
        }
        default:
          return writeNodeResponse(res, errorResponse(404, 'Not Found'));
      }
    } catch (error) {
      // Broker ingress (queues, topics, events) reads a CloudEvent or attribute headers first.
      if (error instanceof InvalidEventError)
        return writeNodeResponse(res, rejectionResponse({ outcome: 'rejected', error }));
      throw error;
    }
  }

  /** GET/HEAD/PUT through a signed Storage URL: 403 unless the signature, method and expiry hold. */
  async function signedStorage(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const storage = await folderStorageFor(runtime);
    const method = req.method ?? 'GET';
    const grant = storage.verify(method, url);
    if (!grant.ok) {
      res.setHeader('connection', 'close');
      return writeNodeResponse(res, errorResponse(403, grant.reason));
    }
    if (method === 'PUT') {
      const contentType = req.headers['content-type'];
      if (grant.contentType !== undefined && contentType !== grant.contentType) {
        res.setHeader('connection', 'close');
        return writeNodeResponse(
          res,
          errorResponse(403, `this URL is signed for Content-Type ${grant.contentType}`),
        );
      }
      try {
        const info = await storage.put(grant.bucket, grant.key, req, contentType ? { contentType } : {});
        res.setHeader('etag', `"${info.etag}"`);
        return send(res, 200);
      } catch (error) {
        if (error instanceof TypeError) return writeNodeResponse(res, errorResponse(400, error.message));
        throw error;
      }
    }
    let object: Awaited<ReturnType<typeof storage.getStream>>;
    try {
      object = await storage.getStream(grant.bucket, grant.key);
    } catch (error) {
      if (error instanceof StorageNotFoundError)
        return writeNodeResponse(res, errorResponse(404, 'Not Found'));
      throw error;
    }
    res.statusCode = 200;
    res.setHeader('content-length', object.size);
    if (object.contentType) res.setHeader('content-type', object.contentType);
    if (object.etag) res.setHeader('etag', `"${object.etag}"`);
    if (method === 'HEAD') {
      object.body.destroy();
      res.end();
      return;
    }
    await pipeline(object.body, res);
  }

  /** A message for the broker: a CloudEvent's data and extensions, or a plain body with `x-attribute-*` headers. */
  function messageInput(
    headers: HttpHeaders,
    body: Uint8Array,
  ): { data: Uint8Array; attributes: Record<string, string>; groupId?: string } {
    const isCloudEvent =
      headers.has('ce-id') || (headers.get('content-type') ?? '').startsWith('application/cloudevents');
    if (isCloudEvent) {
      const ev = cloudEventFromHttp(headers, body);
      const {
        specversion: _s,
        id: _i,
        source: _so,
        type: _t,
        data,
        datacontenttype: _d,
        time: _ti,
        subject: _su,
        dataschema: _ds,
        ...ext
      } = ev;
      const attributes: Record<string, string> = {};
      for (const key in ext) attributes[key] = String(ext[key]);
      return { data: cloudEventDataBytes(data), attributes, groupId: attributes.partitionkey };
    }
    const attributes: Record<string, string> = {};
    for (const [k, v] of headers) if (k.startsWith('x-attribute-')) attributes[k.slice(12)] = v;
    return { data: body, attributes, groupId: headers.get('x-group-id') };
  }

  function send(res: ServerResponse, status: number, value?: unknown): void {
    writeNodeResponse(res, jsonResponse(status, value));
  }
}
