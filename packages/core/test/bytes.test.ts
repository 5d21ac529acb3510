/**
 * The byte helpers every adapter decodes bodies with: UTF-8 both ways and strict base64 (RFC 4648 §4
 * standard and §5 URL-safe alphabets). Pub/Sub `message.data`, SQS/Kinesis records and the node
 * batch format carry base64; a body that is not valid base64 must be refused, never handed over
 * as whatever bytes Buffer.from would make of it.
 */
import { describe, expect, it } from 'vitest';
import { asBytes, EMPTY_BYTES, fromBase64, fromUtf8, toBase64, utf8 } from '../src/adapter.ts';

const list = (bytes: Uint8Array | undefined) => (bytes ? [...bytes] : bytes);

describe('utf8 / fromUtf8', () => {
  it('encode and decode UTF-8; empty text is the shared empty body', () => {
    expect(list(utf8('héllo €'))).toEqual([0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f, 0x20, 0xe2, 0x82, 0xac]);
    expect(fromUtf8(new Uint8Array([0x68, 0xc3, 0xa9]))).toBe('hé');
    expect(utf8('')).toBe(EMPTY_BYTES);
    expect(EMPTY_BYTES.length).toBe(0);
    expect(fromUtf8(new Uint8Array(0))).toBe('');
  });
});

describe('fromBase64', () => {
  it('standard alphabet, with or without padding', () => {
    expect(list(fromBase64('aGk='))).toEqual([0x68, 0x69]);
    expect(list(fromBase64('aGk'))).toEqual([0x68, 0x69]);
    expect(list(fromBase64('aGVsbG8='))).toEqual([...Buffer.from('hello')]);
    expect(list(fromBase64('+/8='))).toEqual([0xfb, 0xff]);
    expect(list(fromBase64(''))).toEqual([]);
  });

  it('the URL-safe alphabet (- and _) decodes to the same bytes', () => {
    expect(list(fromBase64('-_8'))).toEqual([0xfb, 0xff]);
    expect(list(fromBase64('-_8='))).toEqual([0xfb, 0xff]);
  });

  it('line breaks and spaces (MIME-wrapped base64) are ignored', () => {
    expect(list(fromBase64('aGVs\r\nbG8=\n'))).toEqual([...Buffer.from('hello')]);
    expect(list(fromBase64(' aG k= '))).toEqual([0x68, 0x69]);
  });

  it('refuses characters outside both alphabets, padding in the middle or past two, and a lone last character', () => {
    for (const bad of ['not base64!', 'aGk*', 'aG=k', 'aGk===', '=aGk', 'a', 'aGk=a', 'aGVsbG8=x', 'é']) {
      expect(fromBase64(bad), bad).toBeUndefined();
    }
  });

  it('gives exactly the decoded bytes (a view of its own length)', () => {
    const bytes = fromBase64('AAECAw==')!;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(4);
    expect(list(bytes)).toEqual([0, 1, 2, 3]);
  });
});

describe('toBase64 / asBytes', () => {
  it('encodes only the bytes of a view, not the rest of its buffer', () => {
    const whole = new Uint8Array([0, 1, 2, 3, 4]);
    expect(toBase64(whole.subarray(1, 3))).toBe('AQI=');
    expect(toBase64(new Uint8Array([0xfb, 0xff]))).toBe('+/8=');
    expect(toBase64(new Uint8Array(0))).toBe('');
  });

  it('a Uint8Array (or Buffer) is used as it is; an ArrayBuffer is viewed whole', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(asBytes(bytes)).toBe(bytes);
    const buf = Buffer.from([3, 4]);
    expect(asBytes(buf)).toBe(buf);
    const ab = new Uint8Array([5, 6, 7]).buffer;
    const viewed = asBytes(ab);
    expect(viewed).toBeInstanceOf(Uint8Array);
    expect(list(viewed)).toEqual([5, 6, 7]);
  });
});
