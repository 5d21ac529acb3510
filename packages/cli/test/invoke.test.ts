import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'packages/cli/bin/polycloud.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'polycloud-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], cwd = root) {
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
}

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
