import { request } from 'node:http';

/** What a client sees: status, headers, Set-Cookie lines, body bytes. */
export interface Answer {
  status: number;
  /** Lower-case names; repeats joined with ", "; Set-Cookie kept apart in `cookies`. */
  headers: Record<string, string>;
  cookies: string[];
  body: Uint8Array;
}

export interface Ask {
  method: string;
  path: string;
  headers?: [string, string][];
  body?: Uint8Array | string;
}

/** One request on a fresh connection, header lines exactly as given (fetch would merge repeats). */
export function ask(base: string, req: Ask): Promise<Answer> {
  const url = new URL(base + req.path);
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
  const flat: string[] = ['host', url.host];
  for (const [k, v] of req.headers ?? []) flat.push(k, v);
  if (body) flat.push('content-length', String(body.length));
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: req.method,
        headers: flat,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          const cookies: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!.toLowerCase();
            const value = res.rawHeaders[i + 1]!;
            if (name === 'set-cookie') cookies.push(value);
            else headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers,
            cookies,
            body: new Uint8Array(Buffer.concat(chunks)),
          });
        });
        res.on('error', reject);
      },
    );
    r.setTimeout(20_000, () => r.destroy(new Error(`${req.method} ${req.path}: no answer in 20 s`)));
    r.on('error', reject);
    r.end(body);
  });
}

/**
 * Headers the platform or the transport adds, not the app: the Date, connection handling, length
 * framing, and each provider's own tracing/request ids. Everything else must be equal.
 */
const TRANSPORT = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'server',
]);
const PLATFORM = /^(x-amzn-|x-amz-|apigw-|x-google-|x-cloud-trace-context|x-ms-|request-context)/;

export function headersThatMatter(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers).sort())
    if (!TRANSPORT.has(name) && !PLATFORM.test(name)) out[name] = headers[name]!;
  return out;
}

/** A Set-Cookie line by meaning: name, value, and attributes with case-insensitive names, in any order. */
export function cookieMeaning(line: string): string {
  const [pair, ...attrs] = line.split(';').map((p) => p.trim());
  const normal = attrs
    .filter(Boolean)
    .map((a) => {
      const eq = a.indexOf('=');
      const name = (eq === -1 ? a : a.slice(0, eq)).toLowerCase();
      const value = eq === -1 ? '' : a.slice(eq + 1);
      return `${name}=${name === 'samesite' ? value.toLowerCase() : value}`;
    })
    .sort();
  return [pair, ...normal].join('; ');
}

/** The comparable form of an answer; `normalise` replaces values a provider minted (ids, times). */
export function comparable(answer: Answer, normalise: (text: string) => string = (t) => t) {
  const text = Buffer.from(answer.body).toString('latin1');
  return {
    status: answer.status,
    headers: headersThatMatter(answer.headers),
    cookies: answer.cookies.map(cookieMeaning).sort(),
    body: normalise(text),
  };
}
