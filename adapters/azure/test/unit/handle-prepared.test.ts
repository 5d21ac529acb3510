/**
 * `handlePrepared` registers what `polycloud build` resolved from the config (`prepareApp`): the
 * cold start only adds the app settings (`withAppSettings`). Registering that way must be the same as
 * resolving everything at cold start (`handleWith`), whatever the config and the app settings say.
 */
import '../support/host/functions-core.ts';
import { defineApp, http, type PolycloudConfig } from '@polycloud/core';
import { describe, expect, it, vi } from 'vitest';
import { withAppSettings } from '../../src/app-settings.ts';
import { handlePrepared, ROUTES_FALLBACK } from '../../src/handle-prepared.ts';
import { handleWith } from '../../src/handle-with.ts';
import { identityFromPrincipal } from '../../src/http/client-principal.ts';
import { resolveSettings } from '../../src/options.ts';
import { prepareApp } from '../../src/registration-plan.ts';
import { hostHttpResponse, invokeHost, rpcHttp, userLogs } from '../support/host/host.ts';

const app = defineApp({
  name: 'prepared',
  functions: {
    getItem: http('GET /items/:id', (req) => ({ id: req.params.id }), {
      providers: { azure: { authLevel: 'anonymous' } },
    }),
    upload: http('POST /files/*', () => ({ ok: true })),
  },
});

const config = (azure: Record<string, unknown>): PolycloudConfig =>
  ({ provider: 'azure', providers: { azure } }) as never;

/** Every way the config and the app settings can set the client's base URL and keys. */
const CONFIGS: Record<string, unknown>[] = [
  {},
  { baseUrl: 'https://configured.example/' },
  { baseUrl: '' },
  { functionKey: 'config-fn', masterKey: 'config-master' },
  { functionKey: '', masterKey: '' },
  { routePrefix: '/v1/', authLevel: 'admin', functionTimeout: '00:10:00', appServiceAuth: true },
];
const ENVS: NodeJS.ProcessEnv[] = [
  {},
  { WEBSITE_HOSTNAME: 'app.azurewebsites.net' },
  {
    POLYCLOUD_AZURE_BASE_URL: 'http://localhost:7071//',
    WEBSITE_HOSTNAME: 'app.azurewebsites.net',
    POLYCLOUD_AZURE_FUNCTION_KEY: 'env-fn',
    POLYCLOUD_AZURE_MASTER_KEY: 'env-master',
  },
];

describe('withAppSettings over settings resolved from the config alone', () => {
  it('gives what resolveSettings gives with the app settings, for every config and app settings', () => {
    for (const azure of CONFIGS)
      for (const env of ENVS) {
        const built = resolveSettings(config(azure), 'prepared', {});
        expect(withAppSettings(built, config(azure), env), JSON.stringify({ azure, env })).toEqual(
          resolveSettings(config(azure), 'prepared', env),
        );
      }
  });

  it('a value the config sets, even an empty one, wins over the app setting', () => {
    const env = ENVS[2]!;
    const set = withAppSettings(resolveSettings(config(CONFIGS[1]!), 'p', {}), config(CONFIGS[1]!), env);
    expect(set.baseUrl).toBe('https://configured.example');
    const empty = withAppSettings(resolveSettings(config(CONFIGS[2]!), 'p', {}), config(CONFIGS[2]!), env);
    expect(empty.baseUrl).toBe('https://app.azurewebsites.net');
    const keys = withAppSettings(resolveSettings(config(CONFIGS[4]!), 'p', {}), config(CONFIGS[4]!), env);
    expect(keys.functionKey).toBeUndefined();
    expect(keys.masterKey).toBeUndefined();
  });

  it('leaves the prepared settings as they are (the entry may register more than once)', () => {
    const built = resolveSettings(config({}), 'prepared', {});
    withAppSettings(built, config({}), ENVS[2]!);
    expect(built.baseUrl).toBeUndefined();
  });
});

describe('handlePrepared', () => {
  it('registers as handleWith does: the same plans and settings', () => {
    for (const azure of CONFIGS) {
      const env = ENVS[2]!;
      const prepared = handlePrepared(
        app,
        { config: config(azure), env, register: false },
        prepareApp(app, config(azure)),
        { principal: identityFromPrincipal },
      );
      const resolved = handleWith(app, { config: config(azure), env, register: false }, {});
      expect(prepared.plans).toEqual(resolved.plans);
      expect(prepared.settings).toEqual(resolved.settings);
    }
  });

  it('prepareApp plans each http function and the routes catch-all, as JSON the entry can hold', () => {
    const prepared = prepareApp(app, config({}));
    expect(JSON.parse(JSON.stringify(prepared))).toEqual(prepared);
    expect(prepared.plans).toEqual({
      getItem: {
        method: 'http',
        options: { route: 'items/{id}', methods: ['GET', 'HEAD'], authLevel: 'anonymous' },
      },
      upload: {
        method: 'http',
        options: { route: 'files/{*rest}', methods: ['POST'], authLevel: 'function' },
      },
    });
    expect(prepared.routesFallback).toMatchObject({
      method: 'http',
      options: { route: '{*rest}', authLevel: 'anonymous' },
    });
  });

  it('needs no routes catch-all for an app with its own root catch-all', () => {
    const own = defineApp({ name: 'own', functions: { all: http('/*', () => 'any') } });
    expect(prepareApp(own, config({})).routesFallback).toBeUndefined();
  });

  it('refuses an entry that lacks an http function’s registration (built from another app)', () => {
    const other = prepareApp(defineApp({ name: 'other', functions: {} }), config({}));
    expect(() => handlePrepared(app, { config: config({}), register: false }, other, {})).toThrow(
      new TypeError('the entry has no registration for http function "getItem": build it again'),
    );
  });
});

describe('App Service authentication: the principal reader is an entry', () => {
  const whoami = defineApp({
    name: 'whoami',
    functions: { me: http('GET /me', (req) => ({ subject: req.identity?.subject ?? null })) },
  });
  const auth = config({ appServiceAuth: true });
  const principal = Buffer.from(JSON.stringify({ auth_typ: 'aad', claims: [] })).toString('base64');
  const ask = async () => {
    const out = await invokeHost('me', {
      data: rpcHttp({
        method: 'GET',
        path: '/me',
        headers: [
          ['x-ms-client-principal', principal],
          ['x-ms-client-principal-id', 'oid-7'],
        ],
      }),
    });
    return JSON.parse(new TextDecoder().decode(hostHttpResponse(out.response).body));
  };

  it('an app that turns appServiceAuth on needs it, at registration', () => {
    expect(() =>
      handlePrepared(whoami, { config: auth, register: false }, prepareApp(whoami, auth), {}),
    ).toThrow(new TypeError('this bundle has no reader of x-ms-client-principal, and appServiceAuth is on'));
  });

  it('with it, the principal is the identity; without appServiceAuth, the header is ignored', async () => {
    handlePrepared(whoami, { config: auth, env: {} }, prepareApp(whoami, auth), {
      principal: identityFromPrincipal,
    });
    expect(await ask()).toEqual({ subject: 'oid-7' });
    const off = config({});
    handlePrepared(whoami, { config: off, env: {} }, prepareApp(whoami, off), {
      principal: identityFromPrincipal,
    });
    expect(await ask()).toEqual({ subject: null });
  });
});

describe('the routes catch-all, loaded on its first request', () => {
  it('a failed load is a logged 500, and the next request loads it again', async () => {
    let failures = 1;
    vi.resetModules();
    vi.doMock('../../src/http/routes-fallback.ts', async (importOriginal) => {
      if (failures-- > 0) throw new Error('chunk-ROUTES.mjs is missing');
      return importOriginal();
    });
    try {
      const fresh = await import('../../src/handle-prepared.ts');
      const cfg = config({});
      fresh.handlePrepared(app, { config: cfg, env: {} }, prepareApp(app, cfg), {});
      const request = { data: rpcHttp({ method: 'GET', path: '/nowhere' }, '{*rest}') };
      const failed = await invokeHost(ROUTES_FALLBACK, request);
      expect(failed.ok, failed.error).toBe(true);
      const answer = hostHttpResponse(failed.response);
      expect(answer.status).toBe(500);
      expect(JSON.parse(new TextDecoder().decode(answer.body))).toEqual({ error: 'Internal Server Error' });
      const [line] = userLogs(failed);
      expect(line?.level).toBe('error');
      expect(line?.message).toMatch(/^could not load the routes fallback .*chunk-ROUTES\.mjs is missing/);

      const retried = await invokeHost(ROUTES_FALLBACK, request);
      expect(hostHttpResponse(retried.response).status).toBe(404);
    } finally {
      vi.doUnmock('../../src/http/routes-fallback.ts');
      vi.resetModules();
    }
  });
});
