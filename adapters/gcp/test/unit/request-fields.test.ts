/**
 * The parts of the Express request the gcp http entry reads, called directly with the request the
 * framework hands a function (test/support/framework-request.ts): the client address behind
 * Google's front end, the header pairs when body-parser already inflated a body, and whether the
 * body still has to be read from the stream.
 */
import { Readable } from 'node:stream';
import type { Request } from '@google-cloud/functions-framework';
import { describe, expect, it } from 'vitest';
import { AS_SENT } from '../../src/http/raw-body.ts';
import { bodyAtHand, clientIp, readBody, requestHeaderPairs } from '../../src/http/request.ts';
import { frameworkRequest } from '../support/framework-request.ts';

const withForwarded = (forwarded: string | undefined, remoteAddress = '10.0.0.1') =>
  ({
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    socket: { remoteAddress },
  }) as unknown as Request;

describe('clientIp (X-Forwarded-For, counted from the right)', () => {
  it('one trusted hop (Google’s front end, the default): the last entry, trimmed', () => {
    expect(clientIp(withForwarded('6.6.6.6, 203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientIp(withForwarded('203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientIp(withForwarded(' 2001:db8::1 '), 1)).toBe('2001:db8::1');
  });

  it('two trusted hops (a proxy of one’s own in front): the entry before the last', () => {
    expect(clientIp(withForwarded('6.6.6.6, 198.51.100.7, 203.0.113.9'), 2)).toBe('198.51.100.7');
  });

  it('more hops than entries: the leftmost entry', () => {
    expect(clientIp(withForwarded('198.51.100.7, 203.0.113.9'), 5)).toBe('198.51.100.7');
  });

  it('no header, an empty one, an empty entry or hops 0: the socket’s address', () => {
    expect(clientIp(withForwarded(undefined), 1)).toBe('10.0.0.1');
    expect(clientIp(withForwarded(''), 1)).toBe('10.0.0.1');
    expect(clientIp(withForwarded('203.0.113.9, '), 1)).toBe('10.0.0.1');
    expect(clientIp(withForwarded('203.0.113.9'), 0)).toBe('10.0.0.1');
  });

  it('a request without a socket (already gone) has no address', () => {
    expect(clientIp({ headers: {} } as unknown as Request, 1)).toBeUndefined();
  });
});

describe('requestHeaderPairs', () => {
  const gzipped = Buffer.from('inflated by body-parser');
  const headers = {
    'Content-Type': 'application/json',
    'Content-Encoding': 'gzip',
    'Content-Length': '40',
    'X-Trace': 't-1',
  };
  const inflated = (encoding: string, asSent?: true) => {
    const req = frameworkRequest('POST', '/', gzipped, { ...headers, 'Content-Encoding': encoding });
    // frameworkRequest puts its own content-length after ours; the wire order is kept either way.
    (req.headers as Record<string, string>)['content-encoding'] = encoding;
    if (asSent) (req as unknown as Record<symbol, unknown>)[AS_SENT] = true;
    return req;
  };

  it('body-parser inflated the body (no raw-body hook): Content-Encoding and Content-Length describe bytes the handler never sees, so they go', () => {
    for (const encoding of ['gzip', 'x-gzip', 'deflate', 'br', 'GZIP']) {
      const names = requestHeaderPairs(inflated(encoding)).map(([n]) => n.toLowerCase());
      expect(names, encoding).toEqual(['content-type', 'x-trace']);
    }
  });

  it('a body kept as sent (the hook read it), an encoding body-parser does not inflate, or no body: every header stays, in wire order', () => {
    const all = ['content-type', 'content-encoding', 'content-length', 'x-trace'];
    const names = (req: Request) =>
      requestHeaderPairs(req)
        .map(([n]) => n.toLowerCase())
        .filter((n, i, list) => list.indexOf(n) === i);
    expect(names(inflated('gzip', true))).toEqual(all);
    expect(names(inflated('zstd'))).toEqual(all);
    const noBody = frameworkRequest('GET', '/', undefined, headers);
    (noBody.headers as Record<string, string>)['content-encoding'] = 'gzip';
    expect(names(noBody)).toEqual(all);
  });

  it('without Content-Encoding nothing is dropped', () => {
    const req = frameworkRequest('POST', '/', gzipped, {
      'Content-Type': 'text/plain',
      'Content-Length': '23',
    });
    expect(requestHeaderPairs(req).map(([n]) => n.toLowerCase())).toContain('content-length');
  });
});

describe('bodyAtHand / readBody', () => {
  const streaming = (chunks: string[], headers: Record<string, string>, ended = false) => {
    const req = Readable.from(chunks.map((c) => Buffer.from(c))) as unknown as Request & {
      readableEnded: boolean;
    };
    Object.assign(req, { headers, rawHeaders: Object.entries(headers).flat(), method: 'POST' });
    if (ended) Object.defineProperty(req, 'readableEnded', { value: true });
    return req;
  };

  it('the raw body body-parser or the hook saved', () => {
    const raw = Buffer.from('{"a":1}');
    expect(bodyAtHand(frameworkRequest('POST', '/', raw))).toBe(raw);
  });

  it('no body declared, or a stream already read: an empty body without reading', () => {
    expect(bodyAtHand(frameworkRequest('GET', '/'))?.length).toBe(0);
    expect(bodyAtHand(streaming(['x'], { 'content-length': '1' }, true))?.length).toBe(0);
    expect(bodyAtHand(streaming([], { 'content-length': '0' }))?.length).toBe(0);
  });

  it('a body without Content-Type (no parser matched) is still in the stream: read whole', async () => {
    const req = streaming(['hel', 'lo'], { 'content-length': '5' });
    expect(bodyAtHand(req)).toBeUndefined();
    expect(Buffer.from(await readBody(req)).toString()).toBe('hello');
    const chunked = streaming(['a', 'b'], { 'transfer-encoding': 'chunked' });
    expect(Buffer.from(await readBody(chunked)).toString()).toBe('ab');
  });

  it('readBody hands back a body already at hand without touching the stream', async () => {
    const raw = Buffer.from('saved');
    await expect(readBody(frameworkRequest('POST', '/', raw))).resolves.toBe(raw);
  });
});
