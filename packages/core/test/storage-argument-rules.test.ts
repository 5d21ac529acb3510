/**
 * The Storage argument rules every provider's client applies before a call, one rule at a time: the
 * values JavaScript callers (no type checker) hand over, each limit at its edge, and each refusal's
 * exact message (it names the call and the option).
 */
import { Readable } from 'node:stream';
import { ReadableStream as NodeWebStream } from 'node:stream/web';
import { describe, expect, it } from 'vitest';
import {
  checkBucket,
  checkKey,
  checkListOptions,
  checkPutOptions,
  checkSignedUrlOptions,
  storageCall,
} from '../src/clients/storage-arguments.ts';
import { readAll, uploadBody } from '../src/clients/storage-body.ts';

const where = 'Storage.put("b", "k")';
const loose = (value: unknown) => value as never;

function refusal(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('not refused');
}

describe('storageCall and checkBucket', () => {
  it('names the call with its bucket, and its key when it has one', () => {
    expect(storageCall('list', 'receipts')).toBe('Storage.list("receipts")');
    expect(storageCall('put', 'receipts', 'a "b".json')).toBe('Storage.put("receipts", "a \\"b\\".json")');
  });

  it('takes a non-empty string bucket and refuses anything else by name', () => {
    expect(checkBucket('receipts', where)).toBe('receipts');
    for (const bucket of ['', 42, undefined, null]) {
      expect(refusal(() => checkBucket(bucket, where))).toEqual(
        new TypeError('Storage.put("b", "k"): bucket must be a non-empty string'),
      );
    }
  });
});

describe('checkKey', () => {
  it('refuses a key that is no string with the non-empty-string message', () => {
    for (const key of [42, undefined, null, ['a']]) {
      expect(refusal(() => checkKey(key, where))).toEqual(
        new TypeError('Storage.put("b", "k"): key must be a non-empty string'),
      );
    }
  });

  it('refuses "." by the Cloud Storage rule, not only by its trailing dot', () => {
    expect(refusal(() => checkKey('.', where)).message).toBe(
      'Storage.put("b", "k"): "." and ".." are not valid keys on Cloud Storage',
    );
    expect(checkKey('.hidden', where)).toBe('.hidden');
  });
});

describe('checkPutOptions', () => {
  it('takes no options as no content type and no metadata', () => {
    expect(checkPutOptions(undefined, where)).toEqual({ contentType: undefined, metadata: {} });
    expect(checkPutOptions({}, where)).toEqual({ contentType: undefined, metadata: {} });
  });

  it('refuses options that are no object', () => {
    for (const options of [null, 'application/json', 42]) {
      expect(refusal(() => checkPutOptions(loose(options), where))).toEqual(
        new TypeError('Storage.put("b", "k"): options must be an object'),
      );
    }
  });

  it('takes media types with parameters, with or without a space', () => {
    for (const contentType of [
      'text/plain; charset=utf-8',
      'application/json;charset=utf-8',
      'text/plain ; charset=utf-8',
      'multipart/form-data; boundary=----x',
      'application/vnd.api+json',
    ]) {
      expect(checkPutOptions({ contentType }, where).contentType).toBe(contentType);
    }
  });

  it('refuses a content type that is not a whole media type, or no string', () => {
    for (const contentType of [
      'json',
      'x application/json',
      'application/json x',
      'text/plain\n',
      ['text/plain'],
    ]) {
      expect(refusal(() => checkPutOptions({ contentType: loose(contentType) }, where))).toEqual(
        new TypeError(
          'Storage.put("b", "k"): options.contentType must be a media type such as "application/json"',
        ),
      );
    }
  });

  it('refuses a metadata value that is no string, naming the entry', () => {
    expect(refusal(() => checkPutOptions({ metadata: { order_id: loose(['42']) } }, where))).toEqual(
      new TypeError(
        'Storage.put("b", "k"): options.metadata.order_id must be printable ASCII text (sent as an HTTP header)',
      ),
    );
    expect(refusal(() => checkPutOptions({ metadata: { 'Order-Id': 'x' } }, where)).message).toMatch(
      /^Storage\.put\("b", "k"\): options\.metadata\.Order-Id: metadata names are lower-case/,
    );
  });

  it('takes exactly 2048 bytes of metadata (names and values)', () => {
    const metadata = { a: 'x'.repeat(2047) };
    expect(checkPutOptions({ metadata }, where).metadata).toEqual(metadata);
    expect(refusal(() => checkPutOptions({ metadata: { ab: 'x'.repeat(2047) } }, where))).toEqual(
      new RangeError(
        `Storage.put("b", "k"): options.metadata is 2049 bytes; at most 2048 (S3's limit for user metadata)`,
      ),
    );
  });
});

describe('checkListOptions', () => {
  it('keeps a prefix and a cursor, and reads an empty prefix as none', () => {
    expect(checkListOptions({ prefix: 'orders/', cursor: 'c1', limit: 1 }, where)).toEqual({
      prefix: 'orders/',
      cursor: 'c1',
      limit: 1,
    });
    expect(checkListOptions({ prefix: '' }, where).prefix).toBeUndefined();
  });

  it('refuses a prefix or a cursor that is no string', () => {
    expect(refusal(() => checkListOptions({ prefix: loose(42) }, where))).toEqual(
      new TypeError('Storage.put("b", "k"): options.prefix must be a string'),
    );
    for (const cursor of [42, null, '']) {
      expect(refusal(() => checkListOptions({ cursor: loose(cursor) }, where))).toEqual(
        new TypeError('Storage.put("b", "k"): options.cursor must be the cursor of a previous page'),
      );
    }
  });

  it('takes limits 1 to 1000 and refuses 0, fractions and more', () => {
    expect(checkListOptions({ limit: 1000 }, where).limit).toBe(1000);
    for (const limit of [0, -1, 1.5, 1001, Number.NaN]) {
      expect(refusal(() => checkListOptions({ limit }, where))).toEqual(
        new RangeError(
          'Storage.put("b", "k"): options.limit must be an integer 1-1000 (the S3 and Cloud Storage page maximum)',
        ),
      );
    }
  });
});

describe('checkSignedUrlOptions', () => {
  const expiry = new RangeError(
    `${where}: options.expiresIn must be whole seconds 1-604800 (7 days: the S3 SigV4 and Cloud Storage v4 maximum)`,
  );

  it('refuses missing options', () => {
    for (const options of [undefined, null, 60]) {
      expect(refusal(() => checkSignedUrlOptions(loose(options), where))).toEqual(
        new TypeError('Storage.put("b", "k"): options { expiresIn } is required'),
      );
    }
  });

  it('takes GET and PUT and refuses other methods', () => {
    expect(checkSignedUrlOptions({ method: 'PUT', expiresIn: 60 }, where).method).toBe('PUT');
    expect(checkSignedUrlOptions({ method: 'GET', expiresIn: 60 }, where).method).toBe('GET');
    for (const method of ['DELETE', 'get', '']) {
      expect(refusal(() => checkSignedUrlOptions({ method: loose(method), expiresIn: 60 }, where))).toEqual(
        new TypeError('Storage.put("b", "k"): options.method must be "GET" or "PUT"'),
      );
    }
  });

  it('takes 1 second to 7 days, whole', () => {
    expect(checkSignedUrlOptions({ expiresIn: 1 }, where).expiresIn).toBe(1);
    expect(checkSignedUrlOptions({ expiresIn: 604_800 }, where).expiresIn).toBe(604_800);
    for (const seconds of [0, -5, 604_801, 1.5, Number.NaN]) {
      expect(refusal(() => checkSignedUrlOptions({ expiresIn: seconds }, where))).toEqual(expiry);
    }
  });

  it('takes a content type for a PUT URL, checked as a media type', () => {
    expect(checkSignedUrlOptions({ method: 'PUT', expiresIn: 60, contentType: 'image/png' }, where)).toEqual({
      method: 'PUT',
      expiresIn: 60,
      contentType: 'image/png',
    });
    for (const contentType of ['png', ['image/png'], 'image/png x']) {
      expect(
        refusal(() =>
          checkSignedUrlOptions({ method: 'PUT', expiresIn: 60, contentType: loose(contentType) }, where),
        ),
      ).toEqual(
        new TypeError('Storage.put("b", "k"): options.contentType must be a media type such as "image/png"'),
      );
    }
    expect(refusal(() => checkSignedUrlOptions({ expiresIn: 60, contentType: 'image/png' }, where))).toEqual(
      new TypeError('Storage.put("b", "k"): options.contentType applies to PUT URLs only'),
    );
  });
});

describe('uploadBody', () => {
  const accepted =
    'Storage.put("b", "k"): body must be a Uint8Array, a string, a Readable or a ReadableStream';

  it('keeps bytes and Readables as they are, typed application/octet-stream by default', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(uploadBody(bytes, where)).toStrictEqual({
      kind: 'bytes',
      bytes,
      defaultContentType: 'application/octet-stream',
    });
    expect((uploadBody(bytes, where) as { bytes: Uint8Array }).bytes).toBe(bytes);
    const stream = Readable.from([Buffer.from('x')]);
    const body = uploadBody(stream, where);
    expect(body).toStrictEqual({ kind: 'stream', stream, defaultContentType: 'application/octet-stream' });
  });

  it('encodes text as UTF-8, typed text/plain', () => {
    const body = uploadBody('héllo', where);
    expect(body.kind).toBe('bytes');
    if (body.kind !== 'bytes') return;
    expect([...body.bytes]).toEqual([...Buffer.from('héllo', 'utf8')]);
    expect(body.defaultContentType).toBe('text/plain; charset=utf-8');
  });

  it('reads a web stream typed application/octet-stream', () => {
    const web = new NodeWebStream<Uint8Array>({
      start(c) {
        c.close();
      },
    });
    expect(uploadBody(web as never, where)).toMatchObject({
      kind: 'stream',
      defaultContentType: 'application/octet-stream',
    });
  });

  it('reads a web stream whose class is not this realm ReadableStream (a polyfill global, another realm)', async () => {
    const web = new NodeWebStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([7, 8]));
        c.close();
      },
    });
    // What instanceof sees of a stream made by another realm's class: a prototype that is not ours.
    Object.setPrototypeOf(web, {
      getReader: NodeWebStream.prototype.getReader,
      pipeTo: NodeWebStream.prototype.pipeTo,
    });
    expect(web instanceof NodeWebStream).toBe(false);
    const body = uploadBody(web as never, where);
    expect(body).toMatchObject({ kind: 'stream', defaultContentType: 'application/octet-stream' });
    if (body.kind !== 'stream') return;
    expect([...(await readAll(body.stream))]).toEqual([7, 8]);
  });

  it('refuses look-alikes with its own message before any call', () => {
    const reader = () => undefined;
    const fn = Object.assign(() => undefined, { getReader: reader, pipeTo: reader });
    for (const body of [
      null,
      42,
      { getReader: reader },
      { pipeTo: reader },
      { getReader: 'x', pipeTo: reader },
      fn,
    ]) {
      expect(refusal(() => uploadBody(loose(body), where))).toEqual(new TypeError(accepted));
    }
  });
});

describe('readAll', () => {
  it('joins text and byte chunks, reading only a view bytes', async () => {
    const backing = new Uint8Array([9, 9, 65, 66, 9]);
    async function* chunks() {
      yield 'hé';
      yield backing.subarray(2, 4);
      yield new Uint8Array(0);
      yield '!';
    }
    const all = await readAll(chunks());
    expect(all).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(all).toString('utf8')).toBe('héAB!');
    expect(await readAll(Readable.from([]))).toHaveLength(0);
  });
});
