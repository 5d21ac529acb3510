/** FunctionClient over HTTP(S) with ID tokens from a metadata-server double, against real framework servers. */
import {
  defineApp,
  FunctionClient,
  FunctionInvokeError,
  type HttpRequest,
  http,
  queue,
} from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GcpOptions, handle } from '../../src/index.ts';
import { serveAll } from '../support/framework-server.ts';
import { jwtPayload, startMetadataDouble } from '../support/metadata-double.ts';

const seen: unknown[] = [];
const app = defineApp({
  name: 'fc',
  functions: {
    fcOrder: http('POST /orders/:id', (req: HttpRequest) => ({
      id: req.params.id,
      path: req.path,
      body: req.json(),
      authorization: req.headers.get('authorization') ?? null,
    })),
    // A URL template may put the name in the path: only a function taking any path runs behind it.
    fcAny: http('POST /*', (req: HttpRequest) => ({ path: req.path })),
    fcQueue: queue('jobs', (m) => {
      const body = m.json() as { fail?: boolean };
      seen.push(body);
      if (body.fail) throw new Error('job failed');
    }),
  },
});

let served: Awaited<ReturnType<typeof serveAll>>;
let metadata: Awaited<ReturnType<typeof startMetadataDouble>>;
beforeAll(async () => {
  metadata = await startMetadataDouble();
  handle(app);
  served = await serveAll(['fcOrder', 'fcAny', 'fcQueue']);
});
afterAll(async () => {
  await served.close();
  await metadata.close();
});

const client = (options: GcpOptions) =>
  handle(app, { functionUrls: served.urls, ...options }).runtime.resolve(FunctionClient);

describe('GcpFunctionClient', () => {
  it('calls an http function with an ID token for its URL from the metadata server, once per audience', async () => {
    const fc = client({ idToken: 'metadata', metadataHost: metadata.host });
    const before = metadata.requests.length;
    const result = (await fc.invoke('fcOrder', { id: '42', qty: 2 })) as {
      id: string;
      body: unknown;
      authorization: string;
    };
    expect(result.id).toBe('42');
    expect(result.body).toEqual({ id: '42', qty: 2 });
    const token = result.authorization.replace(/^Bearer /, '');
    expect(jwtPayload(token).aud).toBe(served.urls.fcOrder);
    expect(metadata.requests.slice(before)).toEqual([{ audience: served.urls.fcOrder, flavor: 'Google' }]);
    await fc.invoke('fcOrder', { id: '43' });
    expect(metadata.requests.length).toBe(before + 1);
  });

  it('calls a queue function with an invoke envelope; a failure is a FunctionInvokeError with the status', async () => {
    const fc = client({ idToken: { static: 'static-token' } });
    seen.length = 0;
    await expect(fc.invoke('fcQueue', { n: 1 })).resolves.toBeUndefined();
    expect(seen).toEqual([{ n: 1 }]);
    const error = await fc.invoke('fcQueue', { fail: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionInvokeError);
    expect(error).toMatchObject({
      functionName: 'fcQueue',
      status: 500,
      errorMessage: 'Internal Server Error',
    });
  });

  it('static token and no token (local)', async () => {
    const withStatic = (await client({ idToken: { static: 'tok' } }).invoke('fcOrder', { id: '1' })) as {
      authorization: string;
    };
    expect(withStatic.authorization).toBe('Bearer tok');
    const none = (await client({ idToken: 'none' }).invoke('fcOrder', { id: '1' })) as {
      authorization: unknown;
    };
    expect(none.authorization).toBeNull();
    // auto: no K_SERVICE / GCE_METADATA_HOST here, so no metadata server is assumed.
    const auto = (await client({}).invoke('fcOrder', { id: '1' })) as { authorization: unknown };
    expect(auto.authorization).toBeNull();
  });

  it('refuses to send a token over plain http to another host, and names a missing URL', async () => {
    const fc = handle(app, {
      functionUrls: { fcOrder: 'http://example.com/fn' },
      idToken: 'none',
    }).runtime.resolve(FunctionClient);
    await expect(fc.invoke('fcOrder', {})).rejects.toThrow(
      /refusing to send an ID token to http:\/\/example.com: use https/,
    );
    await expect(fc.invoke('fcQueue', {})).rejects.toThrow(
      /no URL: set providers.gcp.functionUrls or functionUrlTemplate/,
    );
  });

  it('a URL template fills name, project and region', async () => {
    const port = new URL(served.urls.fcAny!).port;
    // Each function has its own server here, so the template can only reach one of them.
    const fc = handle(app, {
      functionUrlTemplate: `http://127.0.0.1:${port}/{project}-{region}-{name}`,
      project: 'p1',
      region: 'r1',
      idToken: 'none',
    }).runtime.resolve(FunctionClient);
    const result = (await fc.invoke('fcAny', {})) as { path: string };
    expect(result.path).toBe('/p1-r1-fcAny/');
  });

  it('a metadata server that is not one (no Metadata-Flavor answer) or is unreachable is a clear error', async () => {
    const fake = await startMetadataDouble({ flavorHeader: false });
    try {
      await expect(
        client({ idToken: 'metadata', metadataHost: fake.host }).invoke('fcOrder', {}),
      ).rejects.toThrow(/refused an ID token/);
    } finally {
      await fake.close();
    }
    await expect(
      client({ idToken: 'metadata', metadataHost: '127.0.0.1:1' }).invoke('fcOrder', {}),
    ).rejects.toThrow(/cannot reach the metadata server at 127\.0\.0\.1:1.*idToken to "none"/);
  });
});
