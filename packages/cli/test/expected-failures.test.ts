/**
 * Every expected failure is one line on stderr and a non-zero exit code, never a stack; an
 * unexpected one shows its stack only with --debug or POLYCLOUD_DEBUG=1.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAdapter } from '../src/adapter-import.ts';
import { CliError } from '../src/cli-errors.ts';
import { cli, DevProcess, STACK_FRAME, tempApp } from './support/cli-process.ts';

const source = `import { defineApp, http } from '@polycloud/core';
export default defineApp({ name: 'fails', functions: { getItem: http('GET /items/:id', (req) => ({ id: req.params.id })) } });
`;
const app = tempApp({ 'package.json': '{ "type": "module" }', 'src/app.ts': source });
afterAll(() => app.remove());

function expectOneLine(
  out: { status: number | null; stderr: string; stdout: string },
  line: string | RegExp,
) {
  expect(out.status).toBe(1);
  expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
  if (typeof line === 'string') expect(out.stderr).toBe(`${line}\n`);
  else expect(out.stderr).toMatch(line);
  expect(out.stderr).not.toMatch(STACK_FRAME);
}

describe('expected failures: one line, exit code 1', () => {
  it('a mistyped key in polycloud.config.json, with the key it should be', () => {
    app.write('polycloud.config.json', '{ "provder": "aws" }');
    expectOneLine(
      cli(['check', app.dir]),
      `polycloud check: ${app.dir}/polycloud.config.json: unknown key "provder" (did you mean "provider"?); allowed at the top level: $schema, app, provider, providers`,
    );
    app.write('polycloud.config.json', '{ "provider": "azur" }');
    expectOneLine(
      cli(['build', app.dir]),
      `polycloud build: ${app.dir}/polycloud.config.json: "provider" is "azur" (did you mean "azure"?); valid: aws, azure, gcp, node`,
    );
    app.write('polycloud.config.json', '{ "provider": "node" }');
  }, 120_000);

  it('polycloud dev with a broken config says so in one line, waits, and starts once it is fixed', async () => {
    const broken = tempApp({
      'package.json': '{ "type": "module" }',
      'src/app.ts': source,
      'polycloud.config.json': '{ "provider": "node", ',
    });
    const dev = new DevProcess([broken.dir, '--port', '0']);
    try {
      await dev.waitFor(/waiting for changes/);
      expect(dev.output).toMatch(
        /^polycloud dev: .*polycloud\.config\.json: not valid JSON \(.*\)\npolycloud dev: the server exited with code 1; waiting for changes\n$/,
      );
      broken.write('polycloud.config.json', '{ "provider": "node" }');
      await dev.waitFor(/polycloud dev: fails on http/);
    } finally {
      await dev.stop();
      broken.remove();
    }
  }, 120_000);

  it('POLYCLOUD_PROVIDER is blamed only when it is the one that is wrong', () => {
    expectOneLine(
      cli(['check', app.dir], { env: { POLYCLOUD_PROVIDER: 'gpc' } }),
      'polycloud check: POLYCLOUD_PROVIDER is "gpc" (did you mean "gcp"?); valid providers are: aws, azure, gcp, node',
    );
  }, 60_000);

  it('a missing directory, app entry, event file or function', () => {
    expectOneLine(cli(['check', 'no/such/dir']), 'polycloud check: no/such/dir: no such directory');
    const empty = tempApp({ 'package.json': '{}' });
    try {
      expectOneLine(
        cli(['dev', empty.dir]),
        /^polycloud dev: .*: no src\/app\.ts \(nor \.mts, \.cts, \.js, \.mjs, \.cjs\)/,
      );
    } finally {
      empty.remove();
    }
    expectOneLine(
      cli(['invoke', 'getItem', app.dir, '--event', 'missing.json']),
      'polycloud invoke: --event missing.json: no such file',
    );
    expectOneLine(
      cli(['invoke', 'getitem', app.dir]),
      'polycloud invoke: no function "getitem" in fails (did you mean "getItem"?); its functions: getItem',
    );
  }, 120_000);

  it('two functions on one route, naming both', () => {
    const clash = tempApp({
      'package.json': '{ "type": "module" }',
      'src/app.ts': `import { defineApp, http } from '@polycloud/core';
export default defineApp({ functions: { a: http('GET /items/:id', () => 1), b: http('GET /items/:key', () => 2) } });
`,
    });
    try {
      expectOneLine(
        cli(['check', clash.dir]),
        `polycloud check: ${clash.dir}/src/app.ts: functions "a" (GET /items/:id) and "b" (GET /items/:key) answer the same requests: give them different routes or methods`,
      );
    } finally {
      clash.remove();
    }
  }, 60_000);
});

describe('a port in use', () => {
  let blocker: Server;
  let port = 0;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => blocker.close(() => r())));

  it('stops polycloud dev with one line and exit code 1', async () => {
    const served = tempApp({ 'package.json': '{ "type": "module" }', 'src/app.ts': source });
    const dev = new DevProcess([served.dir, '--port', String(port)]);
    try {
      expect(await dev.exit()).toBe(1);
      expect(dev.output).toBe(
        `polycloud dev: port ${port} is in use (another polycloud dev?); choose another with --port or POLYCLOUD_PORT\n`,
      );
    } finally {
      await dev.stop();
      served.remove();
    }
  }, 60_000);
});

describe('a missing adapter package', () => {
  it('is an install hint, found through Node resolution', async () => {
    const error = await importAdapter('oracle' as never, '/build').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toBe(
      'the oracle provider needs @polycloud/oracle, which is not installed: npm install @polycloud/oracle',
    );
  });

  it('keeps other failures as they are', async () => {
    const broken = new Error("Cannot find module '/x/dist/missing.js' imported from /x/dist/index.js");
    Object.assign(broken, { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(importAdapter('aws', '', () => Promise.reject(broken))).rejects.toBe(broken);
  });
});

describe('an unexpected error', () => {
  const thrower = tempApp({
    'package.json': '{ "type": "module" }',
    'src/app.ts':
      "import { defineApp } from '@polycloud/core';\nconst value = (undefined as unknown as { x: number }).x;\nexport default defineApp({ functions: {} });\n",
  });
  afterAll(() => thrower.remove());

  it('is one line with where it happened; the stack only with --debug or POLYCLOUD_DEBUG=1', () => {
    const plain = cli(['check', thrower.dir]);
    expectOneLine(
      plain,
      new RegExp(
        `^polycloud check: ${thrower.dir}/src/app\\.ts failed to load: TypeError: Cannot read properties of undefined \\(reading 'x'\\) \\(at ${thrower.dir}/src/app\\.ts:2:\\d+\\)\\n$`,
      ),
    );
    for (const out of [
      cli(['check', thrower.dir, '--debug']),
      cli(['check', thrower.dir], { env: { POLYCLOUD_DEBUG: '1' } }),
    ]) {
      expect(out.status).toBe(1);
      expect(out.stderr).toMatch(/failed to load: TypeError/);
      expect(out.stderr).toMatch(STACK_FRAME);
    }
  }, 120_000);
});
