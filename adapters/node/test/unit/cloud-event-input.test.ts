/**
 * A CloudEvent pushed to a node function (Knative, Dapr, Eventarc-style push) becomes the neutral
 * event of the function's kind: `neutralFromCloudEvent`, the public mapping.
 */
import {
  type CloudEvent,
  defineApp,
  event,
  http,
  type Message,
  queue,
  schedule,
  storage,
  topic,
} from '@polycloud/core';
import { describe, expect, it, vi } from 'vitest';
import { neutralFromCloudEvent } from '../../src/index.ts';

const app = defineApp({
  name: 'cloud-event-input',
  functions: {
    orders: queue('orders', () => undefined),
    fanout: topic('events', () => undefined),
    uploads: storage('uploads', () => undefined),
    nightly: schedule('nightly-report', '0 3 * * *', () => undefined),
    audit: event({ type: 'com.example.audit' }, () => undefined),
    page: http('GET /page', () => 'page'),
  },
});
const def = (name: string) => app.functions.get(name)!;

const ce = (fields: Partial<CloudEvent>): CloudEvent => ({
  specversion: '1.0',
  id: 'ev-1',
  source: '//example/source',
  type: 'com.example.thing',
  ...fields,
});

describe('neutralFromCloudEvent', () => {
  it('a queue function gets a message from its queue, a topic function one from its topic', () => {
    const ev = ce({ data: 'hello', partitionkey: 'g-1', time: '2026-11-27T03:00:00Z' });
    const fromQueue = neutralFromCloudEvent(def('orders'), ev) as Message;
    expect(fromQueue.id).toBe('ev-1');
    expect(fromQueue.text()).toBe('hello');
    expect(fromQueue.source).toBe('orders');
    expect(fromQueue.groupId).toBe('g-1');
    const fromTopic = neutralFromCloudEvent(def('fanout'), ev) as Message;
    expect(fromTopic.source).toBe('events');
  });

  it('a storage function gets a storage event; its own bucket when the data names none', () => {
    const change = neutralFromCloudEvent(
      def('uploads'),
      ce({ type: 'com.example.object.created', data: { key: 'a.txt' } }),
    );
    expect(change).toMatchObject({ id: 'ev-1', type: 'created', bucket: 'uploads', key: 'a.txt' });
  });

  it('a schedule function gets a tick named after the schedule at the event time, else now', () => {
    const ev = ce({ time: '2026-11-27T03:00:00Z' });
    expect(neutralFromCloudEvent(def('nightly'), ev)).toEqual({
      id: 'ev-1',
      name: 'nightly-report',
      scheduledTime: new Date('2026-11-27T03:00:00Z'),
      isPastDue: false,
      raw: ev,
    });
    vi.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z') });
    try {
      const untimed = neutralFromCloudEvent(def('nightly'), ce({})) as { scheduledTime: Date };
      expect(untimed.scheduledTime).toEqual(new Date('2026-12-01T10:00:00Z'));
    } finally {
      vi.useRealTimers();
    }
  });

  it('an event function gets the CloudEvent itself', () => {
    const ev = ce({ type: 'com.example.audit', data: { a: 1 } });
    expect(neutralFromCloudEvent(def('audit'), ev)).toBe(ev);
  });

  it('an http function takes no CloudEvent: a 400-class error naming the type', () => {
    expect(() => neutralFromCloudEvent(def('page'), ce({}))).toThrow(
      expect.objectContaining({
        name: 'InvalidEventError',
        message: 'type: http functions take HTTP requests, not CloudEvents',
      }),
    );
  });
});
