import { request } from 'node:http';

export interface WireResponse {
  status: number;
  /** Lower-case names; repeated values joined by ", " (set-cookie kept apart in `cookies`). */
  headers: Record<string, string>;
  cookies: string[];
  body: Uint8Array;
}

/**
 * One HTTP request with header pairs sent exactly as given (repeated names stay separate lines,
 * which fetch would merge), read back raw.
 */
export function send(
  url: string,
  init: {
    method?: string;
    headers?: readonly (readonly [string, string])[];
    body?: Uint8Array | string;
  } = {},
): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    // With headers as an array Node adds no Host header, and Node servers answer 400 without one.
    const flat: string[] = ['host', new URL(url).host];
    for (const [k, v] of init.headers ?? []) flat.push(k, v);
    const body = typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
    if (body && !(init.headers ?? []).some(([k]) => k.toLowerCase() === 'content-length'))
      flat.push('content-length', String(body.length));
    // A fresh connection per request: a reused keep-alive socket the server just closed reads as ECONNRESET.
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: flat, timeout: 20_000, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          const cookies: string[] = [];
          const raw = res.rawHeaders;
          for (let i = 0; i + 1 < raw.length; i += 2) {
            const name = raw[i]!.toLowerCase();
            const value = raw[i + 1]!;
            if (name === 'set-cookie') cookies.push(value);
            else headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
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
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

export const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
