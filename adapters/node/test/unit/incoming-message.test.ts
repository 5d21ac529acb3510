/**
 * The node server's neutral request (http/incoming-message.ts), called with the parts of an
 * IncomingMessage it reads: path and query from the raw URL, the client address and the origin
 * read only when asked (https when the socket is TLS, as behind `https.createServer`).
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { toHttpRequest } from '../../src/http/incoming-message.ts';

const incoming = (fields: Record<string, unknown>) =>
  ({
    method: 'GET',
    url: '/',
    rawHeaders: ['Host', 'api.example', 'X-A', '1', 'x-a', '2'],
    headers: { host: 'api.example' },
    socket: { remoteAddress: '192.0.2.10' },
    ...fields,
  }) as unknown as IncomingMessage;
const body = new Uint8Array(0);

describe('toHttpRequest (node)', () => {
  it('path and query from the raw URL; no ? is no query', () => {
    const plain = toHttpRequest(incoming({ url: '/orders/7' }), body);
    expect(plain.path).toBe('/orders/7');
    expect([...plain.query]).toEqual([]);
    expect(plain.url).toBe('http://api.example/orders/7');
    const root = toHttpRequest(incoming({ url: '/?a=1&a=2' }), body);
    expect(root.path).toBe('/');
    expect(root.query.getAll('a')).toEqual(['1', '2']);
  });

  it('a request without url or method (never from Node, but typed so) is GET /', () => {
    const req = toHttpRequest(incoming({ url: undefined, method: undefined }), body);
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/');
  });

  it('headers in wire order with repeats; the client address from the socket', () => {
    const req = toHttpRequest(incoming({}), body);
    expect(req.headers.getAll('x-a')).toEqual(['1', '2']);
    expect(req.ip).toBe('192.0.2.10');
  });

  it('the origin is https on a TLS socket, http otherwise, and 127.0.0.1 without a Host header', () => {
    expect(toHttpRequest(incoming({ url: '/p', socket: { encrypted: true } }), body).url).toBe(
      'https://api.example/p',
    );
    expect(toHttpRequest(incoming({ url: '/p', socket: { encrypted: false } }), body).url).toBe(
      'http://api.example/p',
    );
    expect(toHttpRequest(incoming({ url: '/p', headers: {}, rawHeaders: [] }), body).url).toBe(
      'http://127.0.0.1/p',
    );
  });
});
