import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe('polycloud dev', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('serves an app, prints its routes, and restarts when a source file changes', async () => {
    const app = join(tmp, 'app');
    cpSync(join(root, 'examples/echo'), app, {
      recursive: true,
      filter: (src) => !src.includes('dist') && !src.includes('node_modules'),
    });
    // Resolve @polycloud/* from the workspace, as an app inside the repo would.
    symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'));
    child = spawn(process.execPath, [bin, 'dev', app, '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const waitFor = async (re: RegExp, from = 0) => {
      for (let i = 0; i < 200; i++) {
        const m = out.slice(from).match(re);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${re}; output:\n${out}`);
    };
    const first = await waitFor(/on (http:\/\/127\.0\.0\.1:\d+)/);
    // The route table may arrive in a later chunk than the banner line.
    await waitFor(/echoHttp\s+http\s+ANY\s+http:\/\/127\.0\.0\.1:\d+\/echo\/\*/);
    const res = await fetch(`${first[1]}/echo/x`);
    expect(res.status).toBe(200);
    const mark = out.length;
    const file = join(app, 'src/app.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("name: 'echo'", "name: 'echo-changed'"));
    await waitFor(/src\/app\.ts changed, restarting/, mark);
    await waitFor(/polycloud dev: echo-changed on/, mark);
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  });
});
