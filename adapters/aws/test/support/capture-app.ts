import {
  type CloudEvent,
  defineApp,
  event,
  type HttpRequest,
  http,
  type Message,
  queue,
  type ScheduleEvent,
  type StorageEvent,
  schedule,
  storage,
  topic,
} from '@polycloud/core';
import { toBase64 } from '@polycloud/core/adapter';

/** One function per kind that records the neutral event it received, in a JSON-comparable form. */
export function captureApp() {
  const seen: unknown[] = [];
  const app = defineApp({
    name: 'capture',
    functions: {
      captureHttp: http('ANY /*', (req) => {
        seen.push(neutralRequest(req));
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          cookies: ['a=1; Path=/', 'b=2; Path=/'],
          body: { ok: true },
        };
      }),
      captureQueue: queue('capture-queue', (m) => {
        seen.push(neutralMessage(m));
      }),
      captureTopic: topic('capture-topic', (m) => {
        seen.push(neutralMessage(m));
      }),
      captureStorage: storage(
        'capture-bucket',
        (ev) => {
          seen.push(neutralStorage(ev));
        },
        { events: ['created', 'deleted', 'archived', 'metadataUpdated'] },
      ),
      captureSchedule: schedule('capture-schedule', '*/5 * * * *', (ev) => {
        seen.push(neutralSchedule(ev));
      }),
      captureEvent: event({}, (ev) => {
        seen.push(neutralCloudEvent(ev));
      }),
    },
  });
  return { app, seen };
}

export const CAPTURE_FUNCTION = {
  http: 'captureHttp',
  queue: 'captureQueue',
  topic: 'captureTopic',
  storage: 'captureStorage',
  schedule: 'captureSchedule',
  event: 'captureEvent',
} as const;

export function neutralRequest(req: HttpRequest) {
  return {
    method: req.method,
    rawPath: req.rawPath,
    path: req.path,
    query: [...req.query],
    headers: [...req.headers],
    cookies: { ...req.cookies },
    bodyBase64: toBase64(req.body),
    ip: req.ip ?? null,
    identity: req.identity ?? null,
    url: req.url,
  };
}

export function neutralMessage(m: Message) {
  return {
    id: m.id,
    source: m.source,
    bodyText: m.text(),
    attributes: m.attributes,
    deliveryCount: m.deliveryCount,
    enqueuedAt: m.enqueuedAt?.toISOString() ?? null,
    groupId: m.groupId ?? null,
    sequence: m.sequence ?? null,
    contentType: m.contentType ?? null,
  };
}

export function neutralStorage(ev: StorageEvent) {
  const { raw: _raw, time, ...rest } = ev;
  return { ...rest, time: time?.toISOString() ?? null };
}

export function neutralSchedule(ev: ScheduleEvent) {
  return { id: ev.id, name: ev.name, scheduledTime: ev.scheduledTime.toISOString(), isPastDue: ev.isPastDue };
}

export function neutralCloudEvent(ev: CloudEvent) {
  return { ...ev };
}
