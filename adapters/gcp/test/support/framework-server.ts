import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';

export interface Served {
  url: string;
  close(): Promise<void>;
}

/**
 * The framework's own test server for a registered function, on 127.0.0.1 and a free port. Express
 * reads NODE_ENV when the server's app is created; Cloud Functions runs with NODE_ENV=production
 * (and the built entry sets it), which keeps Express's own error pages (body-parser, undecodable
 * paths) free of stack traces. `production: false` shows the framework as it is without it.
 */
export async function serveFunction(name: string, options: { production?: boolean } = {}): Promise<Served> {
  const previous = process.env.NODE_ENV;
  if (options.production !== false) process.env.NODE_ENV = 'production';
  let server: ReturnType<typeof getTestServer>;
  try {
    server = getTestServer(name);
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves several functions at once; closes them together. */
export async function serveAll(
  names: readonly string[],
): Promise<{ urls: Record<string, string>; close(): Promise<void> }> {
  const served = await Promise.all(names.map((n) => serveFunction(n)));
  return {
    urls: Object.fromEntries(names.map((n, i) => [n, served[i]!.url])),
    close: async () => {
      await Promise.all(served.map((s) => s.close()));
    },
  };
}
