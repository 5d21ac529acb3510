/**
 * The cold starts measured (npm run bench) and guarded (npm test): per provider, an empty module, a
 * hand-written handler, polycloud's built output for an http function that resolves no service and
 * for one that resolves a service, and (AWS) the peers, all answering GET /items/42 the same way.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderName } from '@polycloud/core';
import { bundle } from '../../packages/cli/src/bundle.ts';
import { apigwV2Event } from '../bench/events/apigw-v2.ts';
import { buildColdApp, COLD_OUT } from './build-apps.ts';
import type { ProbeSpec } from './run-probe.ts';

const ROOT = join(import.meta.dirname, '../..');
const HANDLERS = join(import.meta.dirname, 'handlers');

export type Role =
  | 'empty'
  | 'hand-written'
  | 'hand-written + inversify'
  | 'polycloud'
  | 'polycloud + service'
  | 'polycloud + provided service'
  | 'peer';

export interface ColdCase {
  provider: ProviderName;
  role: Role;
  label: string;
  spec: ProbeSpec;
}

const request = { method: 'GET', path: '/items/42', headers: { accept: 'application/json' } };

/** The request as the Azure Functions host hands it to the worker (RPC http data). */
const rpcHttp = {
  method: 'GET',
  url: 'https://cold-start.azurewebsites.net/api/items/42',
  headers: { accept: 'application/json', host: 'cold-start.azurewebsites.net' },
  query: {},
  params: { id: '42' },
};

/** Bundles a handler module with `polycloud build`'s esbuild settings, as a Lambda user would ship it. */
async function awsBundle(name: string): Promise<string> {
  return handlerBundle(name, ['@aws-sdk/*']);
}

/**
 * A hand-written handler bundled as polycloud's builds bundle an app (inversify included), the
 * provider's library left to the provider: the like-for-like baseline of `apps/service`.
 */
async function handlerBundle(name: string, external: string[]): Promise<string> {
  const outfile = join(COLD_OUT, 'handlers', `${name}.mjs`);
  await bundle(ROOT, `export * from ${JSON.stringify(join(HANDLERS, `${name}.ts`))};`, outfile, { external });
  return outfile;
}

/** functions-framework loads a source folder: the bundle as its package's `main`. */
async function gcpFolder(name: string): Promise<string> {
  const dir = join(COLD_OUT, 'handlers', name);
  mkdirSync(dir, { recursive: true });
  const built = await handlerBundle(name, ['@google-cloud/functions-framework']);
  copyFileSync(built, join(dir, 'index.mjs'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, private: true, type: 'module', main: 'index.mjs' }),
  );
  return dir;
}

export interface CaseOptions {
  /** Only these providers (default: all four). */
  providers?: readonly ProviderName[];
  /** Include the AWS peers (default true). */
  peers?: boolean;
  /** Include the service-resolving apps, through inversify and through `provide` (default true). */
  service?: boolean;
  /** Build polycloud's apps unminified, into a folder of their own (default false). */
  unminified?: boolean;
}

/** Builds every module a case loads (into node_modules/.cache) and returns the cases. */
export async function coldStartCases(options: CaseOptions = {}): Promise<ColdCase[]> {
  const providers = options.providers ?? (['aws', 'azure', 'gcp', 'node'] as const);
  const apps: [string, Role][] = [['plain', 'polycloud']];
  if (options.service ?? true)
    apps.push(['service', 'polycloud + service'], ['provided', 'polycloud + provided service']);
  const empty = join(HANDLERS, 'empty.mjs');
  const cases: ColdCase[] = [];
  for (const provider of providers) {
    const built = new Map<string, string>();
    for (const [app] of apps)
      built.set(
        app,
        options.unminified
          ? await buildColdApp(app, provider, `${COLD_OUT}-unminified`, false)
          : await buildColdApp(app, provider),
      );
    const add = (role: Role, label: string, spec: ProbeSpec) => cases.push({ provider, role, label, spec });
    add('empty', 'empty module', { kind: 'empty', module: empty });
    switch (provider) {
      case 'aws': {
        const event = apigwV2Event('GET', '/items/42');
        add('hand-written', 'hand-written handler', {
          kind: 'aws',
          module: await awsBundle('aws-raw'),
          event,
        });
        if (options.service ?? true)
          add('hand-written + inversify', 'hand-written handler + inversify', {
            kind: 'aws',
            module: await awsBundle('aws-raw-inversify'),
            event,
          });
        for (const [app, role] of apps) {
          const module = join(built.get(app)!, 'functions', 'getItem', 'index.mjs');
          add(role, role, { kind: 'aws', module, event });
        }
        if (options.peers ?? true) {
          add('peer', 'middy (core, no middleware)', {
            kind: 'aws',
            module: await awsBundle('aws-middy'),
            event,
          });
          add('peer', 'hono aws-lambda', { kind: 'aws', module: await awsBundle('aws-hono'), event });
          add('peer', '@h4ad/serverless-adapter', {
            kind: 'aws',
            module: await awsBundle('aws-h4ad'),
            event,
          });
        }
        break;
      }
      case 'azure': {
        const spec = { kind: 'azure' as const, target: 'getItem', rpcHttp };
        add('hand-written', 'hand-written v4 handler', { ...spec, module: join(HANDLERS, 'azure-raw.mjs') });
        if (options.service ?? true)
          add('hand-written + inversify', 'hand-written v4 handler + inversify', {
            ...spec,
            module: await handlerBundle('azure-raw-inversify', ['@azure/functions']),
          });
        for (const [app, role] of apps)
          add(role, role, { ...spec, module: join(built.get(app)!, 'index.js') });
        break;
      }
      case 'gcp': {
        const spec = {
          kind: 'gcp' as const,
          target: 'getItem',
          request,
          warmup: join(HANDLERS, 'gcp-warmup'),
        };
        add('hand-written', 'hand-written framework function', {
          ...spec,
          module: join(HANDLERS, 'gcp-raw'),
        });
        if (options.service ?? true)
          add('hand-written + inversify', 'hand-written framework function + inversify', {
            ...spec,
            module: await gcpFolder('gcp-raw-inversify'),
          });
        for (const [app, role] of apps) add(role, role, { ...spec, module: built.get(app)! });
        break;
      }
      case 'node': {
        const spec = { kind: 'node' as const, request };
        add('hand-written', 'hand-written node:http server', {
          ...spec,
          module: join(HANDLERS, 'node-raw.mjs'),
        });
        if (options.service ?? true)
          add('hand-written + inversify', 'hand-written node:http server + inversify', {
            ...spec,
            module: await handlerBundle('node-raw-inversify', []),
          });
        for (const [app, role] of apps)
          add(role, role, { ...spec, module: join(built.get(app)!, 'server.mjs') });
        break;
      }
    }
  }
  return cases;
}

/** The part of a response both sides must agree on: status and JSON body. */
export function probeAnswer(provider: ProviderName, response: unknown): unknown {
  const r = response as Record<string, any>;
  switch (provider) {
    case 'aws':
      return { status: r.statusCode, body: JSON.parse(r.body) };
    case 'azure': {
      const http = r.returnValue.http;
      const bytes = http.body.bytes ? Buffer.from(Object.values(http.body.bytes) as number[]) : undefined;
      return {
        status: Number(http.statusCode),
        body: JSON.parse(bytes ? bytes.toString() : http.body.string),
      };
    }
    default:
      return { status: r.status, body: JSON.parse(r.body) };
  }
}
