import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the GCE metadata server's identity endpoint, on 127.0.0.1: answers only requests
 * carrying `Metadata-Flavor: Google`, issues a JWT-shaped token whose `aud` is the requested
 * audience, and counts requests.
 */
export async function startMetadataDouble(options: { flavorHeader?: boolean } = {}) {
  const requests: { audience: string | null; flavor: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://metadata');
    const flavor = req.headers['metadata-flavor'] as string | undefined;
    requests.push({ audience: url.searchParams.get('audience'), flavor });
    if (options.flavorHeader !== false) res.setHeader('Metadata-Flavor', 'Google');
    if (
      url.pathname !== '/computeMetadata/v1/instance/service-accounts/default/identity' ||
      flavor !== 'Google'
    ) {
      res.statusCode = 403;
      res.end('Missing Metadata-Flavor:Google header.');
      return;
    }
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const token = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({
      aud: url.searchParams.get('audience'),
      iss: 'https://accounts.google.com',
      iat: now,
      exp: now + 3600,
      n: requests.length,
    })}.c2ln`;
    res.end(token);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}
