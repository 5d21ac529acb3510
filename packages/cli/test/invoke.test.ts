import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cli, tempApp } from './support/cli-process.ts';

const root = resolve(import.meta.dirname, '../../..');
const tmp = mkdtempSync(join(tmpdir(), 'polycloud-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function event(name: string, value: unknown): string {
  const file = join(tmp, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('polycloud invoke', () => {
  it('runs an http function once with a neutral request and prints the response', () => {
    const file = event('req.json', {
      method: 'PUT',
      path: '/echo/a%20b',
      query: { tag: ['x', 'y'] },
      headers: { cookie: 'c=1' },
      body: 'hi',
    });
    const out = cli(['invoke', 'echoHttp', '--event', file, 'examples/echo']);
    expect(out.status).toBe(0);
    const printed = JSON.parse(out.stdout);
    expect(printed.status).toBe(200);
    expect(JSON.parse(printed.body)).toMatchObject({
      method: 'PUT',
      path: '/echo/a b',
      params: { '*': 'a b' },
      query: { tag: ['x', 'y'] },
      cookies: { c: '1' },
      bodyBase64: 'aGk=',
    });
  });

  it('runs a queue function with a CloudEvent and exits 1 when the handler fails', () => {
    const ok = event('ok.json', {
      specversion: '1.0',
      id: 'e1',
      source: '/cli',
      type: 'x',
      datacontenttype: 'application/json',
      data: { fail: false },
    });
    expect(cli(['invoke', 'echoQueue', '--event', ok, 'examples/echo']).status).toBe(0);
    const fail = event('fail.json', { id: 'm1', body: { fail: true } });
    const out = cli(['invoke', 'echoQueue', '--event', fail, 'examples/echo']);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/asked to fail/);
  });

  it('names the valid providers when the provider is wrong', () => {
    const out = spawnSync(process.execPath, [bin, 'check', 'examples/echo'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, POLYCLOUD_PROVIDER: 'oracle' },
    });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(
      'POLYCLOUD_PROVIDER is "oracle"; valid providers are: aws, azure, gcp, node',
    );
  });
});

describe('polycloud invoke: requests and routes', () => {
  const app = tempApp({
    'package.json': '{ "type": "module" }',
    'src/app.ts': `import { defineApp, http, topic } from '@polycloud/core';
export default defineApp({
  name: 'shop',
  functions: {
    getItem: http('GET /items/:id', (req) => ({ id: req.params.id, q: req.query.get('q') ?? null })),
    onOrder: topic('orders', (msg) => {
      if (msg.text() !== 'hello') throw new Error('unexpected message ' + msg.text());
    }),
    health: http('GET /health', () => ({ ok: true })),
    lambda: http('POST /lambda', (req) => ({ method: req.method, path: req.path, agent: req.headers.get('user-agent') })),
  },
});
`,
  });
  afterAll(() => app.remove());
  const invoke = (fn: string, input?: unknown, extra: string[] = []) =>
    cli(['invoke', fn, app.dir, ...(input === undefined ? [] : ['--event', '-']), ...extra], {
      input: input === undefined ? undefined : JSON.stringify(input),
    });

  it('defaults the method and, for a route without parameters, the path', () => {
    const out = invoke('health');
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ status: 200, body: '{"ok":true}' });
    const withQuery = invoke('getItem', { path: '/items/7?q=blue' });
    expect(JSON.parse(JSON.parse(withQuery.stdout).body)).toEqual({ id: '7', q: 'blue' });
  }, 60_000);

  it('does not run the handler when the request matches none of its routes, and says which would', () => {
    for (const [input, line] of [
      [
        undefined,
        'polycloud invoke: GET / matches none of getItem\'s routes (GET /items/:id), so the handler was not run; set them in the --event file, e.g. {"method":"GET","path":"/items/42"}',
      ],
      [
        { method: 'POST', path: '/items/1' },
        'polycloud invoke: POST /items/1 matches none of getItem\'s routes (GET /items/:id), so the handler was not run; set them in the --event file, e.g. {"method":"GET","path":"/items/42"}',
      ],
    ] as const) {
      const out = invoke('getItem', input);
      expect(out.status).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr).toBe(`${line}\n`);
    }
  }, 60_000);

  it('rejects keys a neutral request does not have, and points a native event at --provider', () => {
    const params = invoke('getItem', { params: { id: '42' } });
    expect(params.status).toBe(1);
    expect(params.stderr).toBe(
      'polycloud invoke: event: unknown key "params" in the request; a neutral request has method, path, query, headers, body, bodyBase64 (path parameters are part of "path")\n',
    );
    const fixture = JSON.parse(
      readFileSync(join(root, 'test/fixtures/aws/apigw-http/powertools-ts-no-auth.json'), 'utf8'),
    );
    const native = invoke('lambda', fixture);
    expect(native.status).toBe(1);
    expect(native.stderr).toBe(
      'polycloud invoke: event: this looks like a native aws event: run it with --provider aws\n',
    );
  }, 60_000);

  it('runs a native API Gateway v2 event through the aws adapter with --provider aws', () => {
    // An HTTP API payload 2.0 event as captured by Powertools for AWS Lambda (test/fixtures/SOURCES.md).
    const fixture = JSON.parse(
      readFileSync(join(root, 'test/fixtures/aws/apigw-http/powertools-ts-no-auth.json'), 'utf8'),
    );
    const out = invoke('lambda', fixture, ['--provider', 'aws']);
    expect(out.status).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ method: 'POST', path: '/lambda', agent: 'HTTPie/3.2.2' });
    const other = invoke('lambda', fixture, ['--provider', 'azure']);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(
      /^polycloud invoke: --provider is "azure": native events are run for aws, gcp; for azure, give a neutral request or a CloudEvent without --provider/,
    );
  }, 60_000);

  it('sends a native GCP delivery through the functions framework with --provider gcp', () => {
    const get = invoke('getItem', { path: '/items/5' }, ['--provider', 'gcp']);
    expect(get.status).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ status: 200, body: '{"id":"5","q":null}' });
    // A Pub/Sub push delivery (the message's data is base64 of "hello").
    const push = {
      headers: { 'content-type': 'application/json' },
      body: {
        message: { data: 'aGVsbG8=', messageId: '1', attributes: {} },
        subscription: 'projects/p/subscriptions/s',
      },
    };
    const delivered = invoke('onOrder', push, ['--provider', 'gcp']);
    expect(delivered.status).toBe(0);
    expect(JSON.parse(delivered.stdout).status).toBe(204);
    // "bye": the handler throws, the delivery is not acknowledged.
    const failing = invoke(
      'onOrder',
      { ...push, body: { ...push.body, message: { ...push.body.message, data: 'Ynll' } } },
      ['--provider', 'gcp'],
    );
    expect(failing.status).toBe(1);
    expect(JSON.parse(failing.stdout).status).toBeGreaterThanOrEqual(500);
  }, 90_000);
});
