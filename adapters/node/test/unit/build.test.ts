import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCommand } from '../../../../packages/cli/src/build-command.ts';

const root = resolve(import.meta.dirname, '../../../..');
const echoDir = join(root, 'examples/echo');

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

describe('polycloud build --provider node', () => {
  it('writes a self-contained server bundle and Dockerfile that serve the app', async () => {
    const lines: string[] = [];
    const files = await buildCommand(echoDir, 'node', (l) => lines.push(l));
    // The server, its chunks (what a cold start does not run loads from them on first use), the rest.
    const chunks = files.filter((f) => /^chunk-[A-Z0-9]+\.mjs$/.test(f));
    expect(chunks.length).toBeGreaterThan(0);
    expect(files).toEqual(['server.mjs', ...chunks, 'inversify.cjs', 'package.json', 'Dockerfile']);
    const out = join(echoDir, 'dist/node');
    expect(lines.join('\n')).toMatch(/server\.mjs\s+[\d.]+ KiB/);
    expect(readFileSync(join(out, 'Dockerfile'), 'utf8')).toContain('CMD ["node", "server.mjs"]');
    const bundle = ['server.mjs', ...chunks].map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(bundle).not.toMatch(/@azure\/functions|functions-framework|client-lambda/);
    // inversify is not in the bundle: a shim loads inversify.cjs on first container use.
    expect(bundle).not.toContain('No bindings found');
    expect(readFileSync(join(out, 'inversify.cjs'), 'utf8')).toContain('No bindings found');
    expect(bundle).toContain('./inversify.cjs');
    expect(existsSync(join(out, 'node_modules'))).toBe(false);

    const port = await freePort();
    child = spawn(process.execPath, ['server.mjs'], {
      cwd: out,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let ready = false;
    for (let i = 0; i < 100 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    }
    expect(ready).toBe(true);
    const res = await fetch(`http://127.0.0.1:${port}/echo/built?x=1`);
    expect(await res.json()).toMatchObject({ path: '/echo/built', query: { x: ['1'] } });
    child.kill('SIGTERM');
    const code = await new Promise((r) => child!.once('exit', r));
    expect(code).toBe(0);
  });
});
