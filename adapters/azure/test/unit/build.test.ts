/**
 * `polycloud build --provider azure` on the conformance app, then the built dist/azure entry is
 * loaded as the host's worker would load package.json `main`: its registrations are checked binding by
 * binding, and one function of each kind is invoked through the library's invocation model.
 */
import '../support/host/functions-core.ts';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildCommand } from '../../../../packages/cli/src/build-command.ts';
import { registered, worker } from '../support/host/functions-core.ts';
import { hostHttpResponse, invokeHost, rpcHttp, typed, userLogs } from '../support/host/host.ts';

const echoDir = resolve(fileURLToPath(import.meta.url), '../../../../../examples/echo');
const outDir = join(echoDir, 'dist/azure');
let files: string[] = [];
const lines: string[] = [];

const json = (file: string) => JSON.parse(readFileSync(join(outDir, file), 'utf8'));
const trigger = (name: string) =>
  Object.values(registered(name).metadata.bindings).find((b) => /Trigger$/.test(String(b.type)))!;

beforeAll(async () => {
  files = await buildCommand(echoDir, 'azure', (line) => lines.push(line));
  worker.functions.clear();
  const pkg = json('package.json');
  await import(pathToFileURL(join(outDir, pkg.main)).href);
}, 120_000);

describe('dist/azure', () => {
  test('is a function app: host.json, package.json, entry, settings example', () => {
    const names = files.map((f) => f.slice(outDir.length + 1));
    // The entry's chunks: what a cold start does not run loads from them on first use.
    const chunks = names.filter((f) => /^chunk-[A-Z0-9]+\.mjs$/.test(f));
    expect(chunks.length).toBeGreaterThan(0);
    expect(names.filter((f) => !chunks.includes(f)).sort()).toEqual([
      'host.json',
      'index.js',
      'local.settings.json.example',
      'package.json',
    ]);
    expect(json('host.json')).toEqual({
      version: '2.0',
      functionTimeout: '00:05:00',
      extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' },
      extensions: { http: { routePrefix: 'api' }, queues: { messageEncoding: 'base64' } },
      logging: { logLevel: { default: 'Information' } },
    });
    expect(json('package.json')).toMatchObject({
      type: 'module',
      main: 'index.js',
      dependencies: { '@azure/functions': '4.16.5' },
    });
    expect(json('local.settings.json.example').Values).toMatchObject({
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      ServiceBusConnection: '',
    });
    // The entry and its chunks: @azure/functions stays external (the host's worker shares one copy).
    const entry = ['index.js', ...chunks].map((f) => readFileSync(join(outDir, f), 'utf8')).join('\n');
    expect(entry).toMatch(/from\s*"@azure\/functions"/);
    expect(entry).not.toContain('azure-functions-nodejs-library');
    expect(lines.some((l) => l.includes('registers 6 functions'))).toBe(true);
  });

  test('the entry registers every function with its bindings', () => {
    expect([...worker.functions.keys()].sort()).toEqual([
      'echoEvent',
      'echoHttp',
      'echoQueue',
      'echoSchedule',
      'echoStorage',
      'echoTopic',
      'polycloud-routes',
    ]);
    // What no trigger's route takes goes to the fallback, which answers 404/405 as node does.
    expect(trigger('polycloud-routes')).toMatchObject({
      type: 'httpTrigger',
      route: '{*rest}',
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      authLevel: 'anonymous',
    });
    expect(trigger('echoHttp')).toMatchObject({
      type: 'httpTrigger',
      route: 'echo/{*rest}',
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      authLevel: 'function',
    });
    expect(registered('echoHttp').metadata.bindings.$return).toMatchObject({
      type: 'http',
      direction: 'out',
    });
    expect(trigger('echoQueue')).toMatchObject({
      type: 'queueTrigger',
      queueName: 'echo-queue',
      connection: 'AzureWebJobsStorage',
    });
    expect(trigger('echoTopic')).toMatchObject({
      type: 'serviceBusTrigger',
      topicName: 'echo-topic',
      subscriptionName: 'echo',
      connection: 'ServiceBusConnection',
    });
    expect(trigger('echoStorage')).toMatchObject({ type: 'eventGridTrigger' });
    expect(trigger('echoSchedule')).toMatchObject({ type: 'timerTrigger', schedule: '0 */5 * * * *' });
    expect(trigger('echoEvent')).toMatchObject({ type: 'eventGridTrigger' });
  });

  test('the entry also loads under plain Node ESM (default import of the CommonJS library)', () => {
    const preload = fileURLToPath(new URL('../support/host/plain-node-worker.cjs', import.meta.url));
    const out = execFileSync(process.execPath, ['--require', preload, join(outDir, 'index.js')], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual([
      'echoHttp',
      'echoQueue',
      'echoTopic',
      'echoStorage',
      'echoSchedule',
      'echoEvent',
      'polycloud-routes',
    ]);
  });

  test('one invocation of each kind through the built entry', async () => {
    const httpOut = await invokeHost('echoHttp', {
      data: rpcHttp({ method: 'GET', path: '/echo/built', query: 'a=1&a=2' }, 'echo/{*rest}'),
    });
    const res = hostHttpResponse(httpOut.response);
    expect(res.status).toBe(200);
    expect(JSON.parse(new TextDecoder().decode(res.body))).toMatchObject({
      path: '/echo/built',
      query: { a: ['1', '2'] },
    });

    const echoed = async (name: string, input: Parameters<typeof invokeHost>[1]) => {
      const out = await invokeHost(name, input);
      expect(out.ok, out.error).toBe(true);
      const line = userLogs(out).find((l) => l.message.startsWith('echo '))!;
      return JSON.parse(line.message.slice(5));
    };
    expect(
      await echoed('echoQueue', {
        data: { string: 'hi' },
        triggerMetadata: { Id: typed('q1'), DequeueCount: { json: '1' } },
      }),
    ).toMatchObject({ echo: 'queue', event: { id: 'q1', source: 'echo-queue' } });
    expect(
      await echoed('echoTopic', {
        data: { string: '{}' },
        triggerMetadata: { MessageId: typed('t1'), DeliveryCount: { json: '1' } },
      }),
    ).toMatchObject({ echo: 'topic', event: { id: 't1', source: 'echo-topic' } });
    expect(
      await echoed('echoStorage', {
        data: typed({
          id: 's1',
          topic: '/acct',
          subject: '/blobServices/default/containers/echo-bucket/blobs/k.txt',
          eventType: 'Microsoft.Storage.BlobCreated',
          eventTime: '2026-01-01T00:00:00Z',
          data: { contentLength: 3 },
        }),
      }),
    ).toMatchObject({
      echo: 'storage',
      event: { type: 'created', bucket: 'echo-bucket', key: 'k.txt', size: 3 },
    });
    expect(
      await echoed('echoSchedule', {
        data: typed({ IsPastDue: false, ScheduleStatus: { Next: '2026-01-01T00:05:00Z' } }),
      }),
    ).toMatchObject({
      echo: 'schedule',
      event: { name: 'echo-schedule', scheduledTime: '2026-01-01T00:05:00.000Z' },
    });
    expect(
      await echoed('echoEvent', {
        data: typed({ specversion: '1.0', id: 'c1', source: '/s', type: 'com.example.echo', data: { x: 1 } }),
      }),
    ).toMatchObject({ echo: 'event', event: { id: 'c1', data: { x: 1 } } });

    const failed = await invokeHost('echoQueue', { data: { string: '{"fail":true}' } });
    expect(failed.ok).toBe(false);
  });
});
