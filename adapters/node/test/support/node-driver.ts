import type { CloudEvent } from '@polycloud/core';
import { fromUtf8, toBase64 } from '@polycloud/core/adapter';
import { cloudEventToBinary, cloudEventToStructured } from '@polycloud/core/cloud-events';
import type { DriverSession } from '@polycloud/testing';
import type { NodeServer } from '../../src/index.ts';
import { rawRequest } from './raw-http.ts';

/**
 * The node runtime's native input is HTTP: requests for http functions, CloudEvents (binary and
 * structured mode) for the other kinds, and the bulk message push format for batches.
 */
export function httpSession(server: NodeServer): DriverSession {
  const postEvent = async (fn: string, ev: CloudEvent, mode: 'binary' | 'structured') => {
    const wire = mode === 'binary' ? cloudEventToBinary(ev) : cloudEventToStructured(ev);
    const res = await rawRequest(
      `${server.url}/_polycloud/functions/${fn}`,
      'POST',
      Object.entries(wire.headers),
      wire.body,
    );
    return res.status < 300
      ? { ok: true }
      : { ok: false, error: `HTTP ${res.status}: ${res.body.toString()}` };
  };
  return {
    runtime: server.runtime,
    async http(_fn, request) {
      const qs = request.query?.length ? `?${new URLSearchParams(request.query).toString()}` : '';
      const res = await rawRequest(
        `${server.url}${request.path}${qs}`,
        request.method,
        request.headers ?? [],
        request.body,
      );
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers))
        if (k !== 'set-cookie' && v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      return {
        status: res.status,
        headers,
        cookies: [res.headers['set-cookie'] ?? []].flat(),
        body: new Uint8Array(res.body),
      };
    },
    async messages(fn, batch, { ordered }) {
      const entries = batch.map((m) => ({
        entryId: m.id,
        bodyBase64: toBase64(m.body),
        attributes: m.attributes,
        groupId: m.groupId,
        deliveryCount: m.deliveryCount,
      }));
      const res = await rawRequest(
        `${server.url}/_polycloud/functions/${fn}/messages`,
        'POST',
        [['content-type', 'application/json']],
        Buffer.from(JSON.stringify({ ordered, entries })),
      );
      if (res.status !== 200) return { failed: batch.map((m) => m.id) };
      const { statuses } = JSON.parse(res.body.toString()) as {
        statuses: { entryId: string; status: string }[];
      };
      return { failed: statuses.filter((s) => s.status !== 'SUCCESS').map((s) => s.entryId) };
    },
    storage: (fn, change) =>
      postEvent(
        fn,
        {
          specversion: '1.0',
          id: `${change.bucket}/${change.key}/${change.type}`,
          source: `//storage/${change.bucket}`,
          type: `polycloud.storage.object.${change.type}`,
          datacontenttype: 'application/json',
          data: { ...change },
        },
        'structured',
      ),
    schedule: (fn, time) =>
      postEvent(
        fn,
        {
          specversion: '1.0',
          id: `sched-${time.getTime()}`,
          source: '//polycloud/scheduler',
          type: 'polycloud.schedule.fired',
          time: time.toISOString(),
        },
        'binary',
      ),
    event: (fn, ev) => postEvent(fn, ev, ev.data instanceof Uint8Array ? 'structured' : 'binary'),
    async malformed(kind, fn) {
      switch (kind) {
        case 'http': {
          const res = await rawRequest(`${server.url}/echo/%E0%A4%A`, 'GET');
          return { ok: res.status < 400, status: res.status, body: res.body.toString() };
        }
        case 'queue':
        case 'topic': {
          const res = await rawRequest(
            `${server.url}/_polycloud/functions/${fn}/messages`,
            'POST',
            [],
            Buffer.from('{"entries":[{"entryId":"bad-1","bodyBase64":"not base64!"}]}'),
          );
          const body = res.body.toString();
          return {
            ok: res.status === 200 && !body.includes('RETRY'),
            status: res.status,
            body,
            error: body,
          };
        }
        default: {
          // A POST without any ce-* headers: every required attribute is missing.
          const res = await rawRequest(
            `${server.url}/_polycloud/functions/${fn}`,
            'POST',
            [['content-type', 'application/json']],
            Buffer.from('{}'),
          );
          return {
            ok: res.status < 300,
            status: res.status,
            body: fromUtf8(new Uint8Array(res.body)),
            error: res.body.toString(),
          };
        }
      }
    },
    close: async () => {
      await server.close();
    },
  };
}
