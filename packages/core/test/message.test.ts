import { describe, expect, it } from 'vitest';
import { delaySeconds } from '../src/clients/send-delay.ts';
import { InvalidEventError } from '../src/errors.ts';
import { Message } from '../src/message.ts';
import { STORAGE_EVENT_TYPES } from '../src/storage-event.ts';

describe('Message', () => {
  it('reads a body given as bytes, text or a thunk, and the thunk runs once', () => {
    let calls = 0;
    const lazy = new Message({
      id: 'l',
      source: 'q',
      body: () => {
        calls++;
        return new TextEncoder().encode('{"n":1}');
      },
    });
    expect(calls).toBe(0);
    expect(lazy.json()).toEqual({ n: 1 });
    expect(lazy.text()).toBe('{"n":1}');
    expect([...lazy.body]).toEqual([...new TextEncoder().encode('{"n":1}')]);
    expect(calls).toBe(1);
    const text = new Message({ id: 't', source: 'q', body: 'héllo' });
    expect(text.text()).toBe('héllo');
    expect([...text.body]).toEqual([...new TextEncoder().encode('héllo')]);
    expect(text.text()).toBe('héllo');
    const thunkWithoutBytes = new Message({
      id: 'e',
      source: 'q',
      body: () => undefined as unknown as Uint8Array,
    });
    expect(thunkWithoutBytes.body).toEqual(new Uint8Array(0));
  });

  it('defaults: no attributes, first delivery', () => {
    const m = new Message({ id: 'd', source: 'q', body: '' });
    expect(m.attributes).toEqual({});
    expect(Object.isFrozen(m.attributes)).toBe(true);
    expect(m.deliveryCount).toBe(1);
    expect(m.enqueuedAt).toBeUndefined();
  });

  it('enqueuedAt given as epoch milliseconds is the same Date on every read; a Date stays as given', () => {
    const m = new Message({ id: 'e', source: 'q', body: '', enqueuedAt: 1_772_600_000_123 });
    expect(m.enqueuedAt).toBeInstanceOf(Date);
    expect(m.enqueuedAt?.toISOString()).toBe('2026-03-04T04:53:20.123Z');
    expect(m.enqueuedAt).toBe(m.enqueuedAt);
    expect(m.toJSON().enqueuedAt).toBe('2026-03-04T04:53:20.123Z');
    const date = new Date('2026-01-02T03:04:05Z');
    expect(new Message({ id: 'd', source: 'q', body: '', enqueuedAt: date }).enqueuedAt).toBe(date);
  });

  it('malformed JSON is an InvalidEventError naming message.body', () => {
    const m = new Message({ id: 'j', source: 'q', body: '{"a":' });
    expect(() => m.json()).toThrow(InvalidEventError);
    expect(() => m.json()).toThrow(/message\.body/);
  });

  it('toJSON carries every field, the body as base64', () => {
    const m = new Message({
      id: 'x',
      source: 'orders',
      body: new Uint8Array([0, 255]),
      attributes: { a: 'b' },
      deliveryCount: 3,
      enqueuedAt: new Date('2026-01-02T03:04:05Z'),
      groupId: 'g',
      sequence: '7',
      contentType: 'application/octet-stream',
    });
    expect(JSON.parse(JSON.stringify(m))).toEqual({
      id: 'x',
      source: 'orders',
      bodyBase64: 'AP8=',
      attributes: { a: 'b' },
      deliveryCount: 3,
      enqueuedAt: '2026-01-02T03:04:05.000Z',
      groupId: 'g',
      sequence: '7',
      contentType: 'application/octet-stream',
    });
    expect(new Message({ id: 'y', source: 's', body: '' }).toJSON().enqueuedAt).toBeUndefined();
  });
});

describe('Message.text()', () => {
  it('hands a text body over as given, without a UTF-8 round trip (a lone surrogate stays)', () => {
    const message = new Message({ id: 'x', source: 'q', body: 'a\uD800b' });
    expect(message.text()).toBe('a\uD800b');
    expect(message.body).toEqual(new TextEncoder().encode('a\uFFFDb'));
  });
});

describe('delaySeconds: whole seconds, rounded up, range-checked', () => {
  it('rounds up to whole seconds (never delivers early)', () => {
    expect(delaySeconds(0, 900_000, 'w', 'l')).toBe(0);
    expect(delaySeconds(1, 900_000, 'w', 'l')).toBe(1);
    expect(delaySeconds(1000, 900_000, 'w', 'l')).toBe(1);
    expect(delaySeconds(1500, 900_000, 'w', 'l')).toBe(2);
    expect(delaySeconds(900_000, 900_000, 'w', 'l')).toBe(900);
  });

  it('refuses what the provider cannot give, naming the limit', () => {
    for (const bad of [
      -1,
      900_001,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      '5' as unknown as number,
    ]) {
      expect(() => delaySeconds(bad, 900_000, 'Queue.send("q")', 'SQS delays at most 15 minutes')).toThrow(
        new RangeError('Queue.send("q"): options.delayMs must be 0-900000 (SQS delays at most 15 minutes)'),
      );
    }
  });
});

describe('STORAGE_EVENT_TYPES', () => {
  it('lists the four neutral storage changes', () => {
    expect(STORAGE_EVENT_TYPES).toEqual(['created', 'deleted', 'archived', 'metadataUpdated']);
  });
});
