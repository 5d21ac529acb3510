import { describe, expect, it } from 'vitest';
import { toError } from '../src/adapter.ts';
import { encodeMessageBody, messageBodyBytes } from '../src/clients/message-body.ts';

describe('encodeMessageBody', () => {
  it('keeps bytes and text, and serialises any other value as JSON', () => {
    const bytes = new Uint8Array([0, 255]);
    expect(encodeMessageBody(bytes, 'Queue.send("q")')).toEqual({
      type: 'bytes',
      bytes,
      contentType: 'application/octet-stream',
    });
    expect(encodeMessageBody('héllo', 'Queue.send("q")')).toMatchObject({ type: 'text', text: 'héllo' });
    expect(encodeMessageBody({ a: 1 }, 'Queue.send("q")')).toMatchObject({ type: 'json', text: '{"a":1}' });
    expect(encodeMessageBody(null, 'Queue.send("q")')).toMatchObject({ type: 'json', text: 'null' });
    expect(new TextDecoder().decode(messageBodyBytes(encodeMessageBody('héllo', 'x')))).toBe('héllo');
  });

  it('types text as UTF-8 text and any other value as JSON', () => {
    expect(encodeMessageBody('ping', 'Queue.send("q")')).toStrictEqual({
      type: 'text',
      text: 'ping',
      contentType: 'text/plain; charset=utf-8',
    });
    expect(encodeMessageBody([1, 'a'], 'Queue.send("q")')).toStrictEqual({
      type: 'json',
      text: '[1,"a"]',
      contentType: 'application/json',
    });
  });

  it('hands bytes over as they are and encodes text and JSON as UTF-8', () => {
    const bytes = new Uint8Array([0, 255]);
    expect(messageBodyBytes(encodeMessageBody(bytes, 'x'))).toBe(bytes);
    expect([...messageBodyBytes(encodeMessageBody({ k: 'ü' }, 'x'))]).toEqual([
      ...new TextEncoder().encode('{"k":"ü"}'),
    ]);
  });

  it('refuses a body JSON cannot hold with a TypeError naming the call', () => {
    for (const body of [undefined, () => 1, Symbol('s')]) {
      expect(() => encodeMessageBody(body, 'Topic.publish("orders")')).toThrow(
        new TypeError('Topic.publish("orders"): body must be text, bytes or a JSON value'),
      );
    }
  });
});

describe('toError', () => {
  it('keeps an Error and wraps anything else', () => {
    const error = new RangeError('x');
    expect(toError(error)).toBe(error);
    expect(toError('plain')).toEqual(new Error('plain'));
    expect(toError(42).message).toBe('42');
  });
});
