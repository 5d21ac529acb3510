import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: Buffer;
}

/** node:http with header pairs sent as separate lines (fetch would fold repeated headers into one). */
export function rawRequest(
  url: string,
  method: string,
  headers: [string, string][] = [],
  body?: Uint8Array,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // With an array of headers node adds no Host header itself, and HTTP/1.1 servers answer 400 without one.
    const flat = [['host', new URL(url).host] as [string, string], ...headers].flat();
    const req = request(url, { method, headers: flat as unknown as Record<string, string> }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
