/**
 * What reaches a GCP event-driven function, told apart by what Google documents for each sender:
 * CloudEvents over HTTP in binary mode (`ce-*` headers) and structured mode
 * (`application/cloudevents+json`; https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md),
 * Pub/Sub push bodies (https://cloud.google.com/pubsub/docs/push#receive_push), Cloud Tasks HTTP targets
 * (X-CloudTasks-* headers: https://cloud.google.com/tasks/docs/creating-http-target-tasks#handler),
 * Cloud Scheduler HTTP targets (X-CloudScheduler* headers:
 * https://cloud.google.com/scheduler/docs/reference/rpc/google.cloud.scheduler.v1#httptarget), 1st-gen
 * background events, and polycloud FunctionClient calls. Then tasks and schedule ticks → neutral events.
 */
import { HttpHeaders, InvalidEventError } from '@polycloud/core';
import { INVOKE_ENVELOPE_KEY } from '@polycloud/core/adapter';
import { describe, expect, it } from 'vitest';
import { INVOKE_HEADER, readNativeInput } from '../../src/events/native-input.ts';
import { scheduleEventFrom } from '../../src/events/schedule.ts';
import { messageFromTask } from '../../src/events/tasks.ts';
import { rejects } from '../support/rejects-invalid.ts';

type Json = Record<string, any>;
const bytes = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const headers = (h: Record<string, string> = {}) => new HttpHeaders(h);

const ce = {
  specversion: '1.0',
  id: 'e1',
  type: 'com.example.thing',
  source: '//example/src',
  data: { a: 1 },
};
const pushBody = { message: { data: 'aGk=', messageId: 'm1' }, subscription: 'projects/p/subscriptions/s' };

describe('readNativeInput', () => {
  it('any one ce-* attribute header means binary mode', () => {
    for (const name of ['ce-specversion', 'ce-id', 'ce-type', 'ce-source']) {
      const h = headers({
        [name]: name === 'ce-specversion' ? '1.0' : 'x',
        'content-type': 'application/json',
      });
      // With only one attribute the binding names what is missing: still read as a binary CloudEvent,
      // never as the push body it carries.
      let input: unknown;
      try {
        input = readNativeInput(h, bytes(pushBody));
      } catch (e) {
        input = e;
      }
      expect(input, name).toBeInstanceOf(InvalidEventError);
    }
    const full = readNativeInput(
      headers({
        'ce-specversion': '1.0',
        'ce-id': 'b1',
        'ce-type': 't',
        'ce-source': 's',
        'content-type': 'application/json',
      }),
      bytes(pushBody),
    );
    expect(full).toMatchObject({
      type: 'cloudevent',
      mode: 'binary',
      event: { id: 'b1', type: 't', source: 's' },
    });
  });
  it('application/cloudevents+json (any case, with parameters) is structured mode', () => {
    const input = readNativeInput(
      headers({ 'content-type': 'Application/CloudEvents+JSON; charset=utf-8' }),
      bytes(ce),
    );
    expect(input).toMatchObject({
      type: 'cloudevent',
      mode: 'structured',
      event: { id: 'e1', data: { a: 1 } },
    });
  });
  it('a content type with spaces before its parameters is still structured mode', () => {
    const input = readNativeInput(
      headers({ 'content-type': 'application/cloudevents+json ; charset=utf-8' }),
      bytes(ce),
    );
    expect(input).toMatchObject({ type: 'cloudevent', mode: 'structured' });
  });
  it('structured mode with a body that is not JSON is rejected naming the body', () => {
    expect(() =>
      readNativeInput(headers({ 'content-type': 'application/cloudevents+json' }), bytes('{')),
    ).toThrow(/^body: /);
  });
  it('a content type that only contains "json" (application/jsonl) is not read as JSON', () => {
    expect(() => readNativeInput(headers({ 'content-type': 'application/jsonl' }), bytes(pushBody))).toThrow(
      /ce-/,
    );
  });
  it('structured mode with an empty body, or a batch, is rejected', () => {
    rejects(
      () => readNativeInput(headers({ 'content-type': 'application/cloudevents+json' }), new Uint8Array(0)),
      'body: expected a structured CloudEvent, got an empty body',
    );
    rejects(
      () => readNativeInput(headers({ 'content-type': 'application/cloudevents-batch+json' }), bytes([ce])),
      'content-type: batched CloudEvents are not accepted; send one event per request',
    );
  });
  it('an application/json body with specversion is structured mode too (as the framework reads it)', () => {
    for (const type of ['application/json', '', 'application/vnd.x+json']) {
      const h = type ? headers({ 'content-type': type }) : headers();
      expect(readNativeInput(h, bytes(ce)), type).toMatchObject({ type: 'cloudevent', mode: 'structured' });
    }
  });
  it('a body of another content type is not read as JSON', () => {
    expect(() => readNativeInput(headers({ 'content-type': 'text/plain' }), bytes(pushBody))).toThrow(/ce-/);
  });
  it('Cloud Tasks: X-CloudTasks-TaskName marks a task; Cloud Scheduler: X-CloudScheduler: true', () => {
    const task = readNativeInput(
      headers({ 'x-cloudtasks-taskname': 't1', 'content-type': 'application/json' }),
      bytes(ce),
    );
    expect(task.type).toBe('task');
    const tick = readNativeInput(
      headers({
        'x-cloudscheduler': 'true',
        'x-cloudscheduler-jobname': 'nightly',
        'x-cloudscheduler-scheduletime': '2026-01-01T03:00:00Z',
      }),
      bytes(''),
    );
    expect(tick).toEqual({ type: 'scheduler', jobName: 'nightly', scheduleTime: '2026-01-01T03:00:00Z' });
    const notScheduler = () => readNativeInput(headers({ 'x-cloudscheduler': 'false' }), bytes(pushBody));
    expect(notScheduler().type).toBe('push');
  });
  it('a Pub/Sub push body (message with messageId or message_id) is a push', () => {
    expect(readNativeInput(headers({ 'content-type': 'application/json' }), bytes(pushBody))).toEqual({
      type: 'push',
      body: pushBody,
    });
    const snake = { message: { message_id: 'm2' } };
    expect(readNativeInput(headers(), bytes(snake)).type).toBe('push');
  });
  it('a message without an id, or that is not an object, is no push body', () => {
    for (const body of [
      { message: { data: 'aGk=' } },
      { message: 'x' },
      { message: null },
      { message: ['messageId'] },
    ]) {
      let input: unknown;
      try {
        input = readNativeInput(headers(), bytes(body));
      } catch (e) {
        input = e;
      }
      expect((input as { type?: string }).type, JSON.stringify(body)).not.toBe('push');
      if (input instanceof Error) expect(input, JSON.stringify(body)).toBeInstanceOf(InvalidEventError);
    }
  });
  it('a 1st-gen background event is read as a legacy CloudEvent', () => {
    const legacy = {
      context: {
        eventId: '1',
        timestamp: '2020-01-01T00:00:00Z',
        eventType: 'google.pubsub.topic.publish',
        resource: { service: 'pubsub.googleapis.com', name: 'projects/p/topics/t' },
      },
      data: { data: 'aGk=' },
    };
    expect(readNativeInput(headers(), bytes(legacy))).toMatchObject({ type: 'cloudevent', mode: 'legacy' });
  });
  it('a FunctionClient call needs the invoke header and must name the function', () => {
    const envelope = { [INVOKE_ENVELOPE_KEY]: { function: 'worker', payload: { n: 1 } } };
    expect(readNativeInput(headers({ [INVOKE_HEADER]: '1' }), bytes(envelope))).toEqual({
      type: 'invoke',
      function: 'worker',
      payload: { n: 1 },
    });
    rejects(
      () =>
        readNativeInput(headers({ [INVOKE_HEADER]: '1' }), bytes({ [INVOKE_ENVELOPE_KEY]: { function: 3 } })),
      `body.${INVOKE_ENVELOPE_KEY}.function: must name the function`,
    );
    // Without the header the envelope is just an unknown body.
    let input: unknown;
    try {
      input = readNativeInput(headers(), bytes(envelope));
    } catch (e) {
      input = e;
    }
    expect(input).toBeInstanceOf(InvalidEventError);
  });
  it('a body that is no known shape (or not JSON, or an array) is a binary CloudEvent missing its attributes', () => {
    for (const body of ['{"hello":1}', 'not json', '[1,2]', '', 'null', '5']) {
      let error: unknown;
      try {
        readNativeInput(headers(), bytes(body));
      } catch (e) {
        error = e;
      }
      expect(error, body).toBeInstanceOf(InvalidEventError);
      expect((error as Error).message, body).toMatch(/ce-/);
    }
  });
});

describe('Cloud Tasks → Message', () => {
  const task = (h: Record<string, string | undefined> = {}) => {
    const all: Record<string, string | undefined> = {
      'x-cloudtasks-taskname': 'task-1',
      'x-cloudtasks-queuename': 'emails',
      'x-cloudtasks-taskretrycount': '2',
      'x-cloudtasks-tasketa': '1700000000.5',
      'content-type': 'application/json',
      ...h,
    };
    return headers(
      Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>,
    );
  };
  it('task name, queue, retry count + 1, ETA in epoch seconds, content type, body', () => {
    const m = messageFromTask(task(), bytes('{"to":"a"}'));
    expect(m.id).toBe('task-1');
    expect(m.source).toBe('emails');
    expect(m.deliveryCount).toBe(3);
    expect(m.enqueuedAt?.getTime()).toBe(1_700_000_000_500);
    expect(m.contentType).toBe('application/json');
    expect(m.text()).toBe('{"to":"a"}');
    expect(m.raw).toEqual({ headers: expect.objectContaining({ 'x-cloudtasks-taskname': 'task-1' }) });
  });
  it('no retry count is a first delivery; no ETA is no enqueue time', () => {
    const m = messageFromTask(
      task({ 'x-cloudtasks-taskretrycount': undefined, 'x-cloudtasks-tasketa': undefined }),
      bytes(''),
    );
    expect(m.deliveryCount).toBe(1);
    expect(m.enqueuedAt).toBeUndefined();
  });
  it('missing names or malformed counts are rejected naming the header', () => {
    const without = (name: string) => task({ [name]: undefined });
    rejects(
      () => messageFromTask(without('x-cloudtasks-taskname'), bytes('')),
      'headers.x-cloudtasks-taskname: missing task name',
    );
    rejects(
      () => messageFromTask(without('x-cloudtasks-queuename'), bytes('')),
      'headers.x-cloudtasks-queuename: missing queue name',
    );
    for (const count of ['-1', '1.5', 'x', '1 ']) {
      rejects(
        () => messageFromTask(task({ 'x-cloudtasks-taskretrycount': count }), bytes('')),
        'headers.x-cloudtasks-taskretrycount: must be a non-negative integer',
      );
    }
    rejects(
      () => messageFromTask(task({ 'x-cloudtasks-tasketa': 'soon' }), bytes('')),
      'headers.x-cloudtasks-tasketa: must be epoch seconds',
    );
  });
});

describe('Cloud Scheduler → ScheduleEvent', () => {
  const now = () => new Date('2030-01-01T00:00:00Z');
  it('HTTP target: the schedule time header, else now; a bad time is rejected', () => {
    const ev = scheduleEventFrom(
      { type: 'scheduler', jobName: 'nightly', scheduleTime: '2026-01-01T03:00:00Z' },
      'nightly',
      'exec-1',
      now,
    );
    expect(ev).toMatchObject({ id: 'exec-1', name: 'nightly', isPastDue: false });
    expect(ev.scheduledTime.toISOString()).toBe('2026-01-01T03:00:00.000Z');
    const noTime = scheduleEventFrom(
      { type: 'scheduler', jobName: undefined, scheduleTime: undefined },
      'n',
      'x',
      now,
    );
    expect(noTime.scheduledTime).toEqual(now());
    rejects(
      () => scheduleEventFrom({ type: 'scheduler', jobName: 'n', scheduleTime: 'soon' }, 'n', 'x', now),
      'headers.x-cloudscheduler-scheduletime: must be an RFC 3339 timestamp',
    );
  });
  it('Pub/Sub target: the message id and publish time (else now)', () => {
    const ev = scheduleEventFrom(
      { type: 'push', body: { message: { messageId: 'p1', publishTime: '2026-02-02T00:00:00Z' } } },
      'n',
      'x',
      now,
    );
    expect([ev.id, ev.scheduledTime.toISOString()]).toEqual(['p1', '2026-02-02T00:00:00.000Z']);
    const noTime = scheduleEventFrom({ type: 'push', body: { message: { messageId: 'p2' } } }, 'n', 'x', now);
    expect(noTime.scheduledTime).toEqual(now());
  });
  it('Eventarc: messagePublished (publish time, else the event time) and job executed (event time, else now)', () => {
    const published = (message: Json, time?: string) => ({
      type: 'cloudevent' as const,
      mode: 'binary' as const,
      event: {
        specversion: '1.0' as const,
        id: 'ce-1',
        type: 'google.cloud.pubsub.topic.v1.messagePublished',
        source: '//pubsub.googleapis.com/projects/p/topics/t',
        ...(time ? { time } : {}),
        data: { message },
      },
    });
    expect(
      scheduleEventFrom(
        published({ messageId: 'm', publishTime: '2026-03-03T00:00:00Z' }),
        'n',
        'x',
        now,
      ).scheduledTime.toISOString(),
    ).toBe('2026-03-03T00:00:00.000Z');
    expect(
      scheduleEventFrom(
        published({ messageId: 'm' }, '2026-04-04T00:00:00Z'),
        'n',
        'x',
        now,
      ).scheduledTime.toISOString(),
    ).toBe('2026-04-04T00:00:00.000Z');
    expect(scheduleEventFrom(published({ messageId: 'm' }), 'n', 'x', now).scheduledTime).toEqual(now());
    const executed = (time?: string) => ({
      type: 'cloudevent' as const,
      mode: 'binary' as const,
      event: {
        specversion: '1.0' as const,
        id: 'run-9',
        type: 'google.cloud.scheduler.job.v1.executed',
        source: '//cloudscheduler.googleapis.com/projects/p/locations/l/jobs/j',
        ...(time ? { time } : {}),
      },
    });
    const ev = scheduleEventFrom(executed('2026-05-05T00:00:00Z'), 'n', 'x', now);
    expect([ev.id, ev.scheduledTime.toISOString()]).toEqual(['run-9', '2026-05-05T00:00:00.000Z']);
    expect(scheduleEventFrom(executed(), 'n', 'x', now).scheduledTime).toEqual(now());
  });
  it('other events, invocations and tasks are no schedule ticks', () => {
    rejects(
      () =>
        scheduleEventFrom(
          {
            type: 'cloudevent',
            mode: 'binary',
            event: { specversion: '1.0', id: 'i', type: 'x.y', source: 's' },
          },
          'n',
          'x',
          now,
        ),
      'event.type: expected a Cloud Scheduler tick (google.cloud.pubsub.topic.v1.messagePublished or google.cloud.scheduler.job.v1.executed), got "x.y"',
    );
    rejects(
      () => scheduleEventFrom({ type: 'invoke', function: 'f', payload: 1 }, 'n', 'x', now),
      'body: an invocation is not a schedule tick',
    );
    rejects(
      () => scheduleEventFrom({ type: 'task', headers: headers(), body: bytes('') }, 'n', 'x', now),
      'headers.x-cloudtasks-taskname: a Cloud Tasks task is not a schedule tick',
    );
  });
});

describe('Cloud Tasks and Cloud Scheduler, more edges', () => {
  it('a retry count of several digits is read whole (the 13th delivery after 12 retries)', () => {
    const m = messageFromTask(
      headers({
        'x-cloudtasks-taskname': 't',
        'x-cloudtasks-queuename': 'q',
        'x-cloudtasks-taskretrycount': '12',
      }),
      bytes(''),
    );
    expect(m.deliveryCount).toBe(13);
  });

  it('a tick without a schedule time (a job run by hand) is at the current time, not a crash', () => {
    const before = Date.now();
    const ev = scheduleEventFrom({ type: 'scheduler', jobName: 'n', scheduleTime: undefined }, 'n', 'x');
    expect(ev.scheduledTime).toBeInstanceOf(Date);
    expect(ev.scheduledTime.getTime()).toBeGreaterThanOrEqual(before);
    expect(ev.scheduledTime.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('a tick is never past due, whichever way it came', () => {
    const published = {
      type: 'cloudevent' as const,
      mode: 'binary' as const,
      event: {
        specversion: '1.0' as const,
        id: 'ce-1',
        type: 'google.cloud.pubsub.topic.v1.messagePublished',
        source: '//pubsub.googleapis.com/projects/p/topics/t',
        data: { message: { messageId: 'm', publishTime: '2026-03-03T00:00:00Z' } },
      },
    };
    expect(scheduleEventFrom(published, 'n', 'x').isPastDue).toBe(false);
    expect(scheduleEventFrom({ type: 'push', body: pushBody }, 'n', 'x').isPastDue).toBe(false);
  });
});
