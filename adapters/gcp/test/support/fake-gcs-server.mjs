// A small Cloud Storage test server: the JSON API calls @google-cloud/storage makes (multipart upload,
// metadata, media download, list with page tokens, delete) and the XML API GET/PUT that v4 signed
// URLs address, with the v4 signature checked against the test's service-account public key.
// Written for the polycloud tests because no Cloud Storage emulator installs from npm here (the
// Python and Go emulators are not reachable). It follows the documented request and response shapes:
// https://cloud.google.com/storage/docs/json_api/v1/objects and
// https://cloud.google.com/storage/docs/access-control/signed-urls (v4 signing process).
//
// usage: node fake-gcs-server.mjs <dataDir> <publicKey.pem> <bucket>...   (prints "listening on <port>")
import { createHash, randomUUID, verify } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const [dataDir, publicKeyFile, ...buckets] = process.argv.slice(2);
const publicKey = readFileSync(publicKeyFile, 'utf8');
for (const bucket of buckets) await mkdir(join(dataDir, bucket), { recursive: true });

const fileOf = (bucket, name) => join(dataDir, bucket, createHash('sha256').update(name).digest('hex'));

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
function error(res, status, message, reason) {
  json(res, status, { error: { code: status, message, errors: [{ message, reason }] } });
}
async function readMeta(bucket, name) {
  try {
    return JSON.parse(await readFile(`${fileOf(bucket, name)}.json`, 'utf8'));
  } catch {
    return undefined;
  }
}
const bucketExists = (bucket) => buckets.includes(bucket);

/** Streams `source` into a temp file; returns size and MD5. */
async function storeBody(source, bucket) {
  const tmp = join(dataDir, bucket, `.tmp-${randomUUID()}`);
  const md5 = createHash('md5');
  let size = 0;
  const out = createWriteStream(tmp);
  for await (const chunk of source) {
    md5.update(chunk);
    size += chunk.length;
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
  return { tmp, size, md5Hash: md5.digest('base64') };
}

async function commit(bucket, name, stored, contentType, metadata) {
  const generation = String(Date.now() * 1000 + Math.floor(Math.random() * 1000));
  const resource = {
    kind: 'storage#object',
    id: `${bucket}/${name}/${generation}`,
    name,
    bucket,
    generation,
    metageneration: '1',
    contentType: contentType ?? 'application/octet-stream',
    size: String(stored.size),
    md5Hash: stored.md5Hash,
    etag: Buffer.from(generation).toString('base64'),
    updated: new Date().toISOString(),
    timeCreated: new Date().toISOString(),
    ...(metadata && Object.keys(metadata).length ? { metadata } : {}),
  };
  const file = fileOf(bucket, name);
  await rename(stored.tmp, `${file}.bin`);
  await writeFile(`${file}.json`, JSON.stringify(resource));
  return resource;
}

/** multipart/related upload: a JSON metadata part, then the media part, streamed to disk. */
async function multipartUpload(req, res, bucket, query) {
  const boundary = /boundary="?([^";]+)"?/.exec(req.headers['content-type'] ?? '')?.[1];
  if (!boundary) return error(res, 400, 'multipart upload needs a boundary', 'invalid');
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buffer = Buffer.alloc(0);
  const iterator = req[Symbol.asyncIterator]();
  // Read until the media part's headers end: metadata part + media headers are small.
  let headerEnd = -1;
  let parts;
  while (true) {
    const { value, done } = await iterator.next();
    if (done) return error(res, 400, 'truncated multipart body', 'invalid');
    buffer = Buffer.concat([buffer, value]);
    const text = buffer.toString('latin1');
    const first = text.indexOf(`--${boundary}\r\n`);
    const second = text.indexOf(`\r\n--${boundary}\r\n`, first + 1);
    if (first === -1 || second === -1) continue;
    headerEnd = text.indexOf('\r\n\r\n', second + 4);
    if (headerEnd === -1) continue;
    const metaPart = buffer.subarray(first + boundary.length + 4, second).toString('utf8');
    const metaBody = metaPart.slice(metaPart.indexOf('\r\n\r\n') + 4);
    const mediaHeaders = text.slice(second + boundary.length + 6, headerEnd);
    parts = {
      meta: JSON.parse(metaBody || '{}'),
      mediaType: /content-type:\s*([^\r\n]+)/i.exec(mediaHeaders)?.[1],
    };
    buffer = buffer.subarray(headerEnd + 4);
    break;
  }
  // The rest is media bytes up to "\r\n--boundary--": keep back a delimiter's length at each step.
  async function* media() {
    let pending = buffer;
    for (;;) {
      const end = pending.indexOf(delimiter);
      if (end !== -1) {
        yield pending.subarray(0, end);
        for await (const _ of { [Symbol.asyncIterator]: () => iterator });
        return;
      }
      const keep = Math.max(0, pending.length - delimiter.length);
      if (keep > 0) yield pending.subarray(0, keep);
      pending = pending.subarray(keep);
      const { value, done } = await iterator.next();
      if (done) throw new Error('multipart body ended without its closing delimiter');
      pending = Buffer.concat([pending, value]);
    }
  }
  const name = parts.meta.name ?? query.get('name');
  if (!name) return error(res, 400, 'Required', 'required');
  const stored = await storeBody(media(), bucket);
  json(
    res,
    200,
    await commit(bucket, name, stored, parts.meta.contentType ?? parts.mediaType, parts.meta.metadata),
  );
}

// RFC 3986 encoding, as the v4 canonical query string requires.
const encode = (text) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Checks a v4 signed URL (GOOG4-RSA-SHA256) as documented; returns a reason to refuse, or undefined. */
function checkV4(req, url) {
  const q = url.searchParams;
  if (q.get('X-Goog-Algorithm') !== 'GOOG4-RSA-SHA256') return 'unsupported signing algorithm';
  const date = q.get('X-Goog-Date') ?? '';
  const expires = Number(q.get('X-Goog-Expires'));
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m || !Number.isInteger(expires)) return 'malformed X-Goog-Date / X-Goog-Expires';
  const start = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (Date.now() > start + expires * 1000) return 'ExpiredToken';
  const signedHeaders = (q.get('X-Goog-SignedHeaders') ?? '').split(';');
  const canonicalQuery = [...q.entries()]
    .filter(([k]) => k !== 'X-Goog-Signature')
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signedHeaders.map((h) => {
    // The client signs the endpoint's host name without a port (on Google's side it is port 443).
    const value = h === 'host' ? (req.headers.host ?? '').replace(/:\d+$/, '') : String(req.headers[h] ?? '');
    return `${h}:${value.trim()}\n`;
  });
  const canonicalRequest = [
    req.method,
    url.pathname,
    canonicalQuery,
    headers.join(''),
    signedHeaders.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = (q.get('X-Goog-Credential') ?? '').split('/').slice(1).join('/');
  const toSign = [
    'GOOG4-RSA-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const signature = Buffer.from(q.get('X-Goog-Signature') ?? '', 'hex');
  return verify('RSA-SHA256', Buffer.from(toSign), publicKey, signature)
    ? undefined
    : 'SignatureDoesNotMatch';
}

async function sendObject(req, res, bucket, name, meta) {
  const size = Number(meta.size);
  res.writeHead(200, {
    'content-type': meta.contentType,
    'content-length': size,
    'x-goog-hash': `md5=${meta.md5Hash}`,
    'x-goog-generation': meta.generation,
    etag: `"${Buffer.from(meta.md5Hash, 'base64').toString('hex')}"`,
  });
  if (req.method === 'HEAD') return res.end();
  await pipeline(createReadStream(`${fileOf(bucket, name)}.bin`), res);
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://local');
  const path = url.pathname;
  const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(path);
  const objects = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(path);
  const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(path);
  const xml = /^\/([^/]+)\/(.+)$/.exec(path);
  let m = upload;
  if (upload && req.method === 'POST') {
    const bucket = decodeURIComponent(m[1]);
    if (!bucketExists(bucket)) return error(res, 404, 'The specified bucket does not exist.', 'notFound');
    if (url.searchParams.get('uploadType') !== 'multipart')
      return error(res, 400, 'only uploadType=multipart is implemented', 'invalid');
    return multipartUpload(req, res, bucket, url.searchParams);
  }
  m = objects;
  if (objects && req.method === 'GET') {
    const bucket = decodeURIComponent(m[1]);
    if (!bucketExists(bucket)) return error(res, 404, 'The specified bucket does not exist.', 'notFound');
    const prefix = url.searchParams.get('prefix') ?? '';
    const max = Math.min(Number(url.searchParams.get('maxResults') ?? 1000), 1000);
    const after = url.searchParams.get('pageToken')
      ? Buffer.from(url.searchParams.get('pageToken'), 'base64url').toString()
      : undefined;
    const items = [];
    for (const f of await readdir(join(dataDir, bucket))) {
      if (!f.endsWith('.json')) continue;
      const meta = JSON.parse(await readFile(join(dataDir, bucket, f), 'utf8'));
      if (
        meta.name.startsWith(prefix) &&
        (after === undefined || Buffer.compare(Buffer.from(meta.name), Buffer.from(after)) > 0)
      )
        items.push(meta);
    }
    items.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    const page = items.slice(0, max);
    const body = { kind: 'storage#objects', items: page };
    if (items.length > max) body.nextPageToken = Buffer.from(page.at(-1).name).toString('base64url');
    return json(res, 200, body);
  }
  m = object;
  if (object) {
    const bucket = decodeURIComponent(m[1]);
    const name = decodeURIComponent(m[2]);
    if (!bucketExists(bucket)) return error(res, 404, 'The specified bucket does not exist.', 'notFound');
    const meta = await readMeta(bucket, name);
    if (!meta) return error(res, 404, `No such object: ${bucket}/${name}`, 'notFound');
    if (req.method === 'DELETE') {
      await rm(`${fileOf(bucket, name)}.json`, { force: true });
      await rm(`${fileOf(bucket, name)}.bin`, { force: true });
      res.writeHead(204);
      return res.end();
    }
    if (req.method === 'GET' && url.searchParams.get('alt') === 'media')
      return sendObject(req, res, bucket, name, meta);
    if (req.method === 'GET') return json(res, 200, meta);
  }
  // XML API: /<bucket>/<object> addressed by v4 signed URLs.
  m = xml;
  if (xml && url.searchParams.has('X-Goog-Signature')) {
    const bucket = decodeURIComponent(m[1]);
    const name = decodeURIComponent(m[2]);
    const refused = checkV4(req, url);
    if (refused) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      return res.end(`<?xml version='1.0' encoding='UTF-8'?><Error><Code>${refused}</Code></Error>`);
    }
    if (!bucketExists(bucket)) return error(res, 404, 'NoSuchBucket', 'notFound');
    if (req.method === 'PUT') {
      const stored = await storeBody(req, bucket);
      await commit(bucket, name, stored, req.headers['content-type'], undefined);
      res.writeHead(200, {
        etag: `"${Buffer.from(stored.md5Hash, 'base64').toString('hex')}"`,
        'content-length': 0,
      });
      return res.end();
    }
    const meta = await readMeta(bucket, name);
    if (!meta) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      return res.end("<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code></Error>");
    }
    return sendObject(req, res, bucket, name, meta);
  }
  return error(res, 404, `not implemented by the test server: ${req.method} ${path}`, 'notFound');
}

const server = createServer((req, res) => {
  handle(req, res).catch((e) => {
    if (!res.headersSent) error(res, 500, String(e?.message ?? e), 'backendError');
    else res.destroy();
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
