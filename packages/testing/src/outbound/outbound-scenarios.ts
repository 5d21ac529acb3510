import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { StorageNotFoundError } from '@polycloud/core';
import { ScenarioAssert } from '../contract-failure.ts';
import type { OutboundTarget } from './outbound-target.ts';

export interface OutboundScenario {
  readonly id: string;
  readonly kind: 'outbound';
  readonly title: string;
  /** Which part of the target it needs. */
  readonly needs: 'storage' | 'queue' | 'topic';
  run(target: OutboundTarget, nonce: string): Promise<void>;
}

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);
/** Keys whose encoding differs between S3 events, URLs, XML and JSON: each must come back unchanged. */
export const AWKWARD_KEYS = [
  'with space.txt',
  'plus+sign.txt',
  '100%25 percent.txt',
  'q?x=1&y=2#frag',
  'ü/日本語/🎉 emoji.bin',
  'deep/a/b/c/d.txt',
  'quote\'"<tag>&amp;',
];

function storageOf(target: OutboundTarget) {
  if (!target.storage) throw new Error(`${target.name} has no storage`);
  return target.storage;
}

export const outboundScenarios: readonly OutboundScenario[] = [
  {
    id: 'outbound.storage.round-trip',
    kind: 'outbound',
    needs: 'storage',
    title: 'put (all 256 byte values, content type, metadata) → head → get → getStream → delete → not found',
    async run(target, nonce) {
      const { client, bucket } = storageOf(target);
      const a = new ScenarioAssert(this.id);
      const key = `${nonce}/round-trip.bin`;
      const put = await client.put(bucket, key, ALL_BYTES, {
        contentType: 'application/x-probe',
        metadata: { order_id: 'o-1', note: 'a b+c' },
      });
      a.equal(put.size, 256, 'put().size');
      const head = await client.head(bucket, key);
      a.equal(
        head && { size: head.size, contentType: head.contentType, metadata: { ...head.metadata } },
        {
          size: 256,
          contentType: 'application/x-probe',
          metadata: { order_id: 'o-1', note: 'a b+c' },
        },
        'head()',
      );
      a.ok(
        typeof head?.etag === 'string' && head.etag !== '' && !head.etag.includes('"'),
        'head().etag is set',
        true,
        false,
      );
      const got = await client.get(bucket, key);
      a.bytes(got.body, ALL_BYTES, 'get().body is the bytes put');
      a.equal(got.key, key, 'get().key');
      const stream = await client.getStream(bucket, key);
      const chunks: Buffer[] = [];
      for await (const chunk of stream.body) chunks.push(Buffer.from(chunk));
      a.bytes(Buffer.concat(chunks), ALL_BYTES, 'getStream().body is the bytes put');
      await client.delete(bucket, key);
      a.equal(await client.head(bucket, key), undefined, 'head() after delete');
      const missing = await client.get(bucket, key).then(
        () => undefined,
        (error: unknown) => error,
      );
      a.ok(
        missing instanceof StorageNotFoundError,
        'get() of a deleted key rejects with StorageNotFoundError',
        true,
        false,
      );
      await client.delete(bucket, key); // deleting a missing key succeeds
    },
  },
  {
    id: 'outbound.storage.awkward-keys',
    kind: 'outbound',
    needs: 'storage',
    title: 'keys with spaces, +, %, ?, #, quotes, unicode and / round-trip exactly through put, list and get',
    async run(target, nonce) {
      const { client, bucket } = storageOf(target);
      const a = new ScenarioAssert(this.id);
      const keys = AWKWARD_KEYS.map((k) => `${nonce}/${k}`);
      for (const key of keys) await client.put(bucket, key, key);
      const listed = await client.list(bucket, { prefix: `${nonce}/` });
      // Compared as a set: this scenario is about exact keys (list-pages checks the order with ASCII
      // keys; fauxqs orders non-ASCII keys differently from S3's UTF-8 byte order).
      const byBytes = (x: string, y: string) => Buffer.compare(Buffer.from(x), Buffer.from(y));
      a.equal(listed.objects.map((o) => o.key).sort(byBytes), [...keys].sort(byBytes), 'list() keys');
      for (const key of keys) {
        const got = await client.get(bucket, key);
        a.equal(Buffer.from(got.body).toString('utf8'), key, `get(${JSON.stringify(key)}).body`);
        a.equal(got.contentType, 'text/plain; charset=utf-8', `get(${JSON.stringify(key)}).contentType`);
      }
      for (const key of keys) await client.delete(bucket, key);
      a.equal((await client.list(bucket, { prefix: `${nonce}/` })).objects, [], 'list() after delete');
    },
  },
  {
    id: 'outbound.storage.list-pages',
    kind: 'outbound',
    needs: 'storage',
    title:
      'list pages with a cursor: limit 2 over 5 objects gives 2 + 2 + 1, every key once, no cursor at the end',
    async run(target, nonce) {
      const { client, bucket } = storageOf(target);
      const a = new ScenarioAssert(this.id);
      const keys = ['a', 'b', 'c', 'd', 'e'].map((k) => `${nonce}/page/${k}`);
      await client.put(bucket, `${nonce}/other`, 'not under the prefix');
      for (const key of keys) await client.put(bucket, key, new Uint8Array([1, 2, 3]));
      const sizes: number[] = [];
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const out = await client.list(bucket, {
          prefix: `${nonce}/page/`,
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        sizes.push(out.objects.length);
        for (const o of out.objects) {
          seen.push(o.key);
          a.equal(o.size, 3, `size of ${o.key}`);
        }
        cursor = out.cursor;
        if (!cursor) break;
      }
      a.equal(sizes, [2, 2, 1], 'page sizes');
      a.equal(seen, keys, 'keys over all pages');
      for (const key of [...keys, `${nonce}/other`]) await client.delete(bucket, key);
    },
  },
  {
    id: 'outbound.storage.signed-get',
    kind: 'outbound',
    needs: 'storage',
    title: 'a signed GET URL downloads the object over plain HTTP',
    async run(target, nonce) {
      const { client, bucket } = storageOf(target);
      const a = new ScenarioAssert(this.id);
      const key = `${nonce}/signed get ü+.bin`;
      await client.put(bucket, key, ALL_BYTES, { contentType: 'application/x-probe' });
      const url = await client.signedUrl(bucket, key, { method: 'GET', expiresIn: 300 });
      const res = await fetch(url);
      a.equal(res.status, 200, 'GET status');
      a.bytes(new Uint8Array(await res.arrayBuffer()), ALL_BYTES, 'GET body is the object');
      await client.delete(bucket, key);
    },
  },
  {
    id: 'outbound.storage.signed-url-tampered',
    kind: 'outbound',
    needs: 'storage',
    title: 'a signed URL with one character of its signature changed is refused (4xx)',
    async run(target, nonce) {
      const { client, bucket } = storageOf(target);
      const a = new ScenarioAssert(this.id);
      const key = `${nonce}/tampered.bin`;
      await client.put(bucket, key, ALL_BYTES);
      const url = await client.signedUrl(bucket, key, { method: 'GET', expiresIn: 300 });
      const good = await fetch(url);
      await good.arrayBuffer();
      a.equal(good.status, 200, 'the untouched URL works');
      const bad = await fetch(tamper(url));
      await bad.arrayBuffer();
      a.ok(
        bad.status >= 400 && bad.status < 500,
        `tampered URL refused (got ${bad.status})`,
        '4xx',
        bad.status,
      );
      await client.delete(bucket, key);
    },
  },
  {
    id: 'outbound.storage.signed-put',
    kind: 'outbound',
    needs: 'storage',
    title: 'a signed PUT URL uploads over plain HTTP with the signed content type; get reads it back',
    async run(target, nonce) {
      const { client, bucket } = storageOf(target);
      const a = new ScenarioAssert(this.id);
      const key = `${nonce}/uploads/photo 1+1.png`;
      const url = await client.signedUrl(bucket, key, {
        method: 'PUT',
        expiresIn: 300,
        contentType: 'image/png',
      });
      const res = await fetch(url, {
        method: 'PUT',
        body: ALL_BYTES,
        // Blob Storage needs the blob type on a plain PUT; the other providers ignore the header.
        headers: { 'content-type': 'image/png', 'x-ms-blob-type': 'BlockBlob' },
      });
      await res.arrayBuffer();
      a.ok(res.status >= 200 && res.status < 300, `PUT status 2xx (got ${res.status})`, true, false);
      const got = await client.get(bucket, key);
      a.bytes(got.body, ALL_BYTES, 'get() reads the uploaded bytes');
      a.equal(got.contentType, 'image/png', 'contentType');
      await client.delete(bucket, key);
    },
  },
  {
    id: 'outbound.storage.stream',
    kind: 'outbound',
    needs: 'storage',
    title:
      'a 100 MiB generated stream uploads and downloads without being held in memory (live buffers after GC stay bounded, same SHA-256)',
    async run(target, nonce) {
      const { client, bucket, streamBytes = 100 * 1024 * 1024 } = storageOf(target);
      const a = new ScenarioAssert(this.id);
      const key = `${nonce}/large.bin`;
      const chunk = 1024 * 1024;
      const sent = createHash('sha256');
      const gc = exposeGc();
      // Live Buffer memory after a full GC: what the client still holds, not garbage awaiting collection
      // (RSS alone would count every freed chunk until the collector runs).
      const live = () => {
        gc();
        return process.memoryUsage().arrayBuffers;
      };
      const baseline = live();
      let peak = baseline;
      const sample = (bytes: number) => {
        if (bytes % (16 * chunk) === 0) peak = Math.max(peak, live());
      };
      let produced = 0;
      const source = new Readable({
        highWaterMark: chunk,
        read() {
          if (produced >= streamBytes) return void this.push(null);
          const n = Math.min(chunk, streamBytes - produced);
          const bytes = Buffer.alloc(n, (produced / chunk) % 251);
          sent.update(bytes);
          produced += n;
          sample(produced);
          this.push(bytes);
        },
      });
      const info = await client.put(bucket, key, source, { contentType: 'application/octet-stream' });
      a.equal(info.size, streamBytes, 'put().size');
      const received = createHash('sha256');
      let size = 0;
      const object = await client.getStream(bucket, key);
      for await (const part of object.body) {
        received.update(part);
        const before = size;
        size += part.length;
        if (Math.floor(before / (16 * chunk)) !== Math.floor(size / (16 * chunk)))
          peak = Math.max(peak, live());
      }
      a.equal(size, streamBytes, 'downloaded size');
      a.equal(received.digest('hex'), sent.digest('hex'), 'downloaded SHA-256');
      const grownMiB = Math.round((peak - baseline) / 1024 / 1024);
      // Holding the body would keep all of it alive; the SDKs buffer a few parts (S3 4 x 5 MiB) at most.
      const bound = 64;
      a.ok(
        grownMiB < bound,
        `live buffers peaked ${grownMiB} MiB above the start while streaming ${streamBytes / 1024 / 1024} MiB (bound ${bound} MiB)`,
        true,
        false,
      );
      await client.delete(bucket, key);
    },
  },
  {
    id: 'outbound.queue.send',
    kind: 'outbound',
    needs: 'queue',
    title: 'Queue.send: body bytes, attributes and groupId read back from the backend',
    async run(target, nonce) {
      const q = target.queue!;
      const a = new ScenarioAssert(this.id);
      const body = Buffer.from(JSON.stringify({ nonce, text: 'ü+ 🎉' }));
      const sent = await q.client.send(q.name, body, {
        attributes: { kind: 'probe', nonce },
        groupId: `g-${nonce}`,
      });
      a.ok(typeof sent.id === 'string' && sent.id !== '', 'send() returns an id', true, false);
      const got = await q.receive();
      a.bytes(got.body, body, 'body read back byte-exact');
      a.equal(
        { kind: got.attributes.kind, nonce: got.attributes.nonce },
        { kind: 'probe', nonce },
        'attributes',
      );
      a.equal(got.groupId, `g-${nonce}`, 'groupId');
    },
  },
  {
    id: 'outbound.topic.publish',
    kind: 'outbound',
    needs: 'topic',
    title: 'Topic.publish: body and attributes read back from the backend',
    async run(target, nonce) {
      const t = target.topic!;
      const a = new ScenarioAssert(this.id);
      const body = { nonce, text: 'ü+ 🎉' };
      const sent = await t.client.publish(t.name, body, { attributes: { kind: 'probe', nonce } });
      a.ok(typeof sent.id === 'string' && sent.id !== '', 'publish() returns an id', true, false);
      const got = await t.receive();
      a.equal(JSON.parse(Buffer.from(got.body).toString('utf8')), body, 'body read back');
      a.equal(
        { kind: got.attributes.kind, nonce: got.attributes.nonce },
        { kind: 'probe', nonce },
        'attributes',
      );
    },
  },
];

/** Changes one character of the signature-bearing part of a signed URL. */
function tamper(url: string): string {
  const u = new URL(url);
  for (const name of ['X-Amz-Signature', 'X-Goog-Signature', 'sig', 'signature']) {
    const value = u.searchParams.get(name);
    if (value) {
      const flipped = value[0] === 'a' ? `b${value.slice(1)}` : `a${value.slice(1)}`;
      u.searchParams.set(name, flipped);
      return u.toString();
    }
  }
  throw new Error(`no signature parameter in ${url}`);
}

let gcFunction: (() => void) | undefined;
/** V8's full collector, reachable without --expose-gc: the flag is set, then `gc` taken from a fresh context. */
function exposeGc(): () => void {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  return gcFunction;
}

export function newNonce(): string {
  return `n${randomUUID().slice(0, 8)}`;
}
