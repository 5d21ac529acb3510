#!/usr/bin/env node
/**
 * The consumer test: polycloud as a user gets it. Packs every package, checks each tarball with
 * publint, attw and `npm publish --dry-run`, scaffolds an app with create-polycloud in a temporary
 * folder outside the repository, installs the tarballs there (offline, from npm's cache), typechecks
 * it with plain tsc, runs its generated test, builds it for aws, azure, gcp and node, and runs each
 * output. Run after `npm ci`: `node test/consumer/run.mjs` (CI does, from .ci/run).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
const PACKAGES = [
  'packages/core',
  'packages/testing',
  'adapters/node',
  'adapters/aws',
  'adapters/azure',
  'adapters/gcp',
  'packages/cli',
  'packages/create-polycloud',
];
const bin = (name) => join(repo, 'node_modules/.bin', name);
const started = Date.now();
const step = (what) => console.log(`\n[consumer ${((Date.now() - started) / 1000).toFixed(0)}s] ${what}`);
// No repo-specific resolution leaks into the app: it runs as a user's would.
const env = { ...process.env, NODE_OPTIONS: '' };
const run = (cmd, args, cwd, extra = {}) =>
  execFileSync(cmd, args, {
    cwd,
    env: { ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
const show = (cmd, args, cwd, extra = {}) => {
  try {
    const out = run(cmd, args, cwd, extra);
    if (out.trim()) console.log(out.trimEnd());
  } catch (error) {
    console.error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  }
};
function assert(ok, message) {
  if (!ok) throw new Error(`consumer test: ${message}`);
  console.log(`  ok: ${message}`);
}

const root = mkdtempSync(join(tmpdir(), 'polycloud-consumer-'));
const children = [];
try {
  step('npm run build');
  show('npm', ['run', 'build', '--silent'], repo);

  step('npm pack');
  const tarballs = join(root, 'tarballs');
  mkdirSync(tarballs);
  const packed = {};
  for (const dir of PACKAGES) {
    const [info] = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', tarballs], join(repo, dir)),
    );
    packed[info.name] = join(tarballs, info.filename);
    const leaked = info.files.map((f) => f.path).filter((p) => /^(test|golden)\/|\.tsbuildinfo$/.test(p));
    assert(
      leaked.length === 0,
      `${info.name}@${info.version}: ${info.entryCount} files, ${info.size} bytes packed, no tests`,
    );
  }

  step('publint, attw and npm publish --dry-run on every tarball (in parallel)');
  const checks = Object.entries(packed).map(async ([name, tgz]) => {
    const outputs = [await runAsync(bin('publint'), ['run', '--strict', tgz], repo)];
    // create-polycloud is a bin only: no entry point for attw to check.
    if (name !== 'create-polycloud')
      outputs.push(
        await runAsync(bin('attw'), [tgz, '--profile', 'esm-only', '--format', 'table-flipped'], repo),
      );
    outputs.push(await runAsync('npm', ['publish', '--dry-run', tgz], root));
    return { name, outputs };
  });
  for (const { name, outputs } of await Promise.all(checks)) {
    for (const { code, out, what } of outputs) {
      if (!what.startsWith('npm')) console.log(out.trimEnd());
      assert(code === 0, `${name}: ${what} exit ${code}${code === 0 ? '' : `\n${out}`}`);
    }
  }

  step('npm create polycloud my-app (from the create-polycloud tarball)');
  show(
    'npm',
    [
      'exec',
      '--yes',
      '--prefer-offline',
      `--package=${packed['create-polycloud']}`,
      '--',
      'create-polycloud',
      'my-app',
    ],
    root,
  );
  const app = join(root, 'my-app');
  // The tarballs stand in for the registry: the app's own ranges point at them, and overrides make
  // every package's dependency on a sibling resolve to the same tarball.
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  for (const deps of [pkg.dependencies, pkg.devDependencies])
    for (const name of Object.keys(deps)) if (packed[name]) deps[name] = `file:${packed[name]}`;
  pkg.overrides = Object.fromEntries(
    Object.entries(packed)
      .filter(([n]) => n !== 'create-polycloud')
      .map(([n, t]) => [n, `file:${t}`]),
  );
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);

  step("npm install (--prefer-offline: from npm's cache, which npm ci filled)");
  show('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);

  step('tsc (the generated tsconfig: strict, exactOptionalPropertyTypes, skipLibCheck false)');
  show(join(app, 'node_modules/.bin/tsc'), ['-p', '.'], app);
  assert(true, 'the app and every declaration it reaches typecheck');

  step('npm test (the generated test, through @polycloud/testing)');
  show('npm', ['test', '--silent'], app);

  step('polycloud build without the adapter installed');
  const gcpDir = join(app, 'node_modules/@polycloud/gcp');
  renameSync(gcpDir, `${gcpDir}.away`);
  try {
    run(join(app, 'node_modules/.bin/polycloud'), ['build', '--provider', 'gcp'], app);
    assert(false, 'build without @polycloud/gcp fails');
  } catch (error) {
    const lines = String(error.stderr).trim().split('\n');
    assert(
      error.status === 1 &&
        lines.length === 1 &&
        lines[0].includes('needs @polycloud/gcp') &&
        lines[0].includes('npm install @polycloud/gcp'),
      `one line, exit 1: ${lines[0]}`,
    );
  } finally {
    renameSync(`${gcpDir}.away`, gcpDir);
  }

  for (const provider of ['aws', 'azure', 'gcp', 'node']) {
    step(`polycloud build --provider ${provider}`);
    show(join(app, 'node_modules/.bin/polycloud'), ['build', '--provider', provider], app);
  }

  step('dist/node answers over HTTP');
  {
    const port = await freePort();
    const server = await startServer(
      'node',
      ['server.mjs'],
      join(app, 'dist/node'),
      { PORT: String(port), HOST: '127.0.0.1' },
      /listening/,
    );
    const placed = await fetch(`http://127.0.0.1:${port}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"sku":"book"}',
    });
    assert(placed.status === 202, `POST /orders → ${placed.status}`);
    const { id } = await placed.json();
    const order = await (await fetch(`http://127.0.0.1:${port}/orders/${id}`)).json();
    assert(order.sku === 'book', `GET /orders/${id} → ${JSON.stringify(order)}`);
    stop(server);
  }

  step('dist/gcp answers under the functions-framework CLI');
  {
    const framework = join(app, 'node_modules/.bin/functions-framework');
    const preload = join(repo, 'adapters/gcp/test/support/bind-loopback.mjs');
    const server = await startServer(
      framework,
      ['--target=placeOrder', '--port=0', '--source=.'],
      join(app, 'dist/gcp'),
      { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` },
      /polycloud-test-listening (\d+)/,
    );
    // Without a body the function answers before it would publish to Pub/Sub (no emulator here).
    const placed = await fetch(`http://127.0.0.1:${server.port}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const body = await placed.text();
    assert(
      placed.status === 400 && body.includes('sku is required'),
      `POST /orders {} → ${placed.status} ${body}`,
    );
    stop(server);
  }

  step('the dist/aws handler answers an API Gateway v2 event');
  {
    const { handler } = await import(pathToFileURL(join(app, 'dist/aws/functions/getOrder/index.mjs')).href);
    const event = {
      version: '2.0',
      routeKey: 'GET /orders/{id}',
      rawPath: '/orders/42',
      rawQueryString: '',
      headers: { accept: 'application/json' },
      requestContext: {
        accountId: '123456789012',
        apiId: 'api',
        domainName: 'api.example.com',
        domainPrefix: 'api',
        http: {
          method: 'GET',
          path: '/orders/42',
          protocol: 'HTTP/1.1',
          sourceIp: '203.0.113.1',
          userAgent: 'consumer-test',
        },
        requestId: 'req-1',
        routeKey: 'GET /orders/{id}',
        stage: '$default',
        time: '07/Dec/2026:03:00:00 +0000',
        timeEpoch: 1796612400000,
      },
      pathParameters: { id: '42' },
      isBase64Encoded: false,
    };
    const context = {
      awsRequestId: 'req-1',
      functionName: 'getOrder',
      getRemainingTimeInMillis: () => 30_000,
    };
    const result = await handler(event, context);
    assert(
      result.statusCode === 404 && String(result.body).includes('no order 42'),
      `GET /orders/42 → ${result.statusCode} ${result.body}`,
    );
  }

  step('dist/azure registers its functions through @azure/functions');
  {
    const out = run(
      'node',
      ['--require', join(repo, 'test/consumer/azure-register.cjs'), join(app, 'dist/azure/index.js')],
      join(app, 'dist/azure'),
    );
    const { registered } = JSON.parse(out.trim().split('\n').at(-1));
    const got = registered
      .map((f) => `${f.name}:${f.trigger}`)
      .sort()
      .join(' ');
    assert(
      got ===
        'getOrder:httpTrigger nightlyReport:timerTrigger placeOrder:httpTrigger polycloud-routes:httpTrigger processOrder:queueTrigger',
      `registered ${got}`,
    );
  }
  step(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
}

/** Runs a command to its end without blocking the others; never rejects. */
function runAsync(cmd, args, cwd) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    const what = `${cmd.split('/').at(-1)} ${args[0]}`;
    child.once('error', (error) => done({ code: -1, out: String(error), what }));
    child.once('close', (code) => done({ code, out, what }));
  });
}

function freePort() {
  return new Promise((done, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

/** Starts a server and resolves once `ready` matches its output (the first group is the port). */
function startServer(cmd, args, cwd, extra, ready) {
  const child = spawn(cmd, args, { cwd, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((done, fail) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`${cmd} did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        done({ child, port: m[1] ? Number(m[1]) : undefined });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${cmd} exited ${code}:\n${output}`)));
  });
}

function stop(server) {
  server.child.kill('SIGTERM');
}
