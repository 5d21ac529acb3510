import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/adapter.ts';
import {
  checkKey,
  checkListOptions,
  checkPutOptions,
  checkSignedUrlOptions,
} from '../src/clients/storage-arguments.ts';
import { uploadBody } from '../src/clients/storage-body.ts';
import { bucketResolver } from '../src/clients/storage-buckets.ts';
import { StorageError, StorageNotFoundError } from '../src/index.ts';

const where = 'Storage.put("b", "k")';

describe('Storage arguments are checked against the strictest provider before any call', () => {
  it('keeps keys with spaces, +, %, unicode and / exactly', () => {
    for (const key of ['a b+c%20d', 'dir/sub/ü 🎉.txt', 'plus+plus', '50%/x'])
      expect(checkKey(key, where)).toBe(key);
  });

  it('refuses keys no provider keeps apart, naming the rule', () => {
    expect(() => checkKey('', where)).toThrow(/non-empty string/);
    expect(() => checkKey('a\nb', where)).toThrow(/control character/);
    expect(() => checkKey('..', where)).toThrow(/Cloud Storage/);
    expect(() => checkKey('dir/', where)).toThrow(/must not end with/);
    expect(() => checkKey('a\\b', where)).toThrow(/Blob Storage/);
    expect(() => checkKey('\uD800x', where)).toThrow(/surrogate/);
    expect(() => checkKey('é'.repeat(513), where)).toThrow(/1026 UTF-8 bytes; keys are at most 1024/);
    expect(checkKey('é'.repeat(512), where)).toHaveLength(512);
  });

  it('checks metadata names, values and the 2 KB total', () => {
    expect(
      checkPutOptions({ metadata: { order_id: 'o-1' }, contentType: 'application/json' }, where),
    ).toEqual({
      contentType: 'application/json',
      metadata: { order_id: 'o-1' },
    });
    expect(() => checkPutOptions({ metadata: { OrderId: 'x' } }, where)).toThrow(/lower-case/);
    expect(() => checkPutOptions({ metadata: { 'order-id': 'x' } }, where)).toThrow(/C# identifiers/);
    expect(() => checkPutOptions({ metadata: { a: 'ü' } }, where)).toThrow(/printable ASCII/);
    expect(() => checkPutOptions({ metadata: { a: 'x'.repeat(2048) } }, where)).toThrow(
      /2049 bytes; at most 2048 \(S3's limit/,
    );
    expect(() => checkPutOptions({ contentType: 'json' }, where)).toThrow(/media type/);
  });

  it('checks list and signed URL options with the limits named', () => {
    expect(checkListOptions(undefined, where)).toEqual({ prefix: undefined, cursor: undefined, limit: 1000 });
    expect(() => checkListOptions({ limit: 1001 }, where)).toThrow(/1-1000/);
    expect(() => checkListOptions({ cursor: '' }, where)).toThrow(/cursor/);
    expect(checkSignedUrlOptions({ expiresIn: 60 }, where)).toEqual({
      method: 'GET',
      expiresIn: 60,
      contentType: undefined,
    });
    expect(() => checkSignedUrlOptions({ expiresIn: 604_801 }, where)).toThrow(/7 days/);
    expect(() => checkSignedUrlOptions({ expiresIn: 1.5 }, where)).toThrow(/whole seconds/);
    expect(() => checkSignedUrlOptions({ expiresIn: 5, contentType: 'text/plain' }, where)).toThrow(
      /PUT URLs only/,
    );
  });
});

describe('uploadBody', () => {
  it('turns text into UTF-8 bytes and streams into Node Readables', async () => {
    expect(uploadBody('ü', where)).toMatchObject({
      kind: 'bytes',
      defaultContentType: 'text/plain; charset=utf-8',
    });
    const web = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1, 2]));
        c.close();
      },
    });
    const body = uploadBody(web, where);
    expect(body.kind).toBe('stream');
    if (body.kind !== 'stream') return;
    expect(body.stream).toBeInstanceOf(Readable);
    const chunks: number[] = [];
    for await (const c of body.stream) chunks.push(...c);
    expect(chunks).toEqual([1, 2]);
  });

  it('refuses anything else before a call', () => {
    expect(() => uploadBody({ a: 1 } as never, where)).toThrow(
      /Uint8Array, a string, a Readable or a ReadableStream/,
    );
    expect(() => uploadBody(undefined as never, where)).toThrow(TypeError);
  });
});

describe('bucketResolver', () => {
  it('maps through config over the environment, else keeps the name', () => {
    const config = resolveConfig(
      { provider: 'aws', providers: { aws: { buckets: { receipts: 'prod-receipts' } } } },
      {},
    );
    const env = { POLYCLOUD_AWS_BUCKETS: JSON.stringify({ receipts: 'env-receipts', logs: 'env-logs' }) };
    const bucket = bucketResolver(config, 'aws', 'POLYCLOUD_AWS_BUCKETS', env);
    expect([bucket('receipts'), bucket('logs'), bucket('other')]).toEqual([
      'prod-receipts',
      'env-logs',
      'other',
    ]);
    expect(() => bucketResolver(config, 'aws', 'X', { X: '{' })('a')).toThrow(/X is not JSON/);
  });
});

describe('StorageError', () => {
  it('is one portable class with the provider error as cause', () => {
    const cause = new Error('NoSuchKey');
    const error = new StorageNotFoundError('gone', {
      operation: 'get',
      bucket: 'b',
      key: 'k',
      code: 'NoSuchKey',
      cause,
    });
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({
      name: 'StorageNotFoundError',
      operation: 'get',
      bucket: 'b',
      key: 'k',
      cause,
    });
  });
});
