// One cold start, in a fresh Node process: loads a function's built module the way its provider
// does, invokes it twice, and prints one JSON line with the times and what the process loaded.
//
//   node probe.mjs '<case JSON>'   (see ProbeCase in cold-start.ts)
//
// Plain JavaScript, no loader: what runs here is what runs on the provider. Times come from
// process.hrtime (the `performance` global is itself lazily loaded by Node and would be measured).
// What each provider's host loads before the user's module (functions-framework, the Azure worker's
// core API) is loaded before the clock starts, as it is on the provider.
import { pathToFileURL } from 'node:url';

const spec = JSON.parse(process.argv[2]);
const PROBE_MARK = 'polycloud-probe ';
// node:module without an ES import: importing it builds the builtin's ES module facade, which a
// provider's host does not do for the function (and which the function's own import would pay).
const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const now = () => Number(process.hrtime.bigint()) / 1e6;
// CPU time of this process (all threads), in ms: on a loaded machine, wall time also counts the
// time spent waiting for a core; CPU time is what the process itself spent.
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
};

/** Each kind: `prepare` runs before the clock, `load` is the import, `invoke` one request. */
const kinds = {
  // Lambda's runtime imports the handler module, then calls `handler(event, context)`.
  async aws() {
    let handler;
    return {
      async load() {
        handler = (await import(pathToFileURL(spec.module).href))[spec.export ?? 'handler'];
      },
      async invoke(i) {
        return handler(structuredClone(spec.event), lambdaContext(i));
      },
    };
  },

  // The Azure Functions Node worker hands @azure/functions its core API (registerFunction, the
  // programming model), the app registers, and each invocation goes through the library's own
  // invocation model from host-shaped (RPC) input: getArguments → invokeFunction → getResponse.
  async azure() {
    const functions = new Map();
    let model;
    const coreApi = {
      version: '3.10.1',
      hostVersion: '4.1037.0',
      setProgrammingModel: (m) => {
        model = m;
      },
      getProgrammingModel: () => model,
      registerFunction(metadata, callback) {
        functions.set(metadata.name, { metadata, callback });
        return { dispose() {} };
      },
      registerHook: () => ({ dispose() {} }),
      log() {},
    };
    const Module = require('node:module');
    const load = Module._load;
    Module._load = function (request, ...rest) {
      if (request === '@azure/functions-core') return coreApi;
      return load.call(this, request, ...rest);
    };
    // The library's own load and first invocation (it loads undici, crypto, http2... for every app)
    // happen before the clock, with a warm-up function: the clock then sees what the app adds.
    // Imported as the app imports it (ESM): Node lexes the CommonJS library for its export names
    // (cjs-module-lexer, ~45 ms for this one) once per process.
    const library = pathToFileURL(require.resolve('@azure/functions', { paths: [spec.module] })).href;
    const azure = (await import(library)).default;
    azure.app.http('polycloudProbeWarmup', { handler: async () => ({ body: 'warm' }) });
    const invoke = async (name, http, i) => {
      const fn = functions.get(name);
      const trigger = Object.entries(fn.metadata.bindings).find(
        ([, b]) => b.direction === 'in' && /trigger$/i.test(b.type),
      )[0];
      const invocationId = `00000000-0000-4000-8000-00000000000${i}`;
      const coreCtx = {
        invocationId,
        state: 'invocation',
        metadata: fn.metadata,
        request: {
          invocationId,
          functionId: name,
          inputData: [{ name: trigger, data: { http: structuredClone(http) } }],
          triggerMetadata: {},
        },
        log() {},
      };
      const invocation = model.getInvocationModel(coreCtx);
      const { context, inputs } = await invocation.getArguments();
      const result = await invocation.invokeFunction(context, inputs, fn.callback);
      return invocation.getResponse(context, result);
    };
    await invoke('polycloudProbeWarmup', spec.rpcHttp, 0);
    return {
      async load() {
        await import(pathToFileURL(spec.module).href);
      },
      invoke: (i) => invoke(spec.target, spec.rpcHttp, i),
    };
  },

  // functions-framework's own loader imports the source folder's `main`, then its Express server
  // serves the function; the request goes over 127.0.0.1.
  async gcp() {
    const framework = require.resolve('@google-cloud/functions-framework');
    const dir = framework.replace(/index\.js$/, '');
    const { getUserFunction } = require(`${dir}loader.js`);
    const { getServer } = require(`${dir}server.js`);
    const { parseOptions } = require(`${dir}options.js`);
    const options = parseOptions([
      'node',
      'functions-framework',
      `--target=${spec.target}`,
      '--signature-type=http',
      `--source=${spec.module}`,
    ]);
    await warmHttp();
    // The framework's loader and its Express stack serve a warm-up function before the clock
    // (their first use is the same for every function): the clock then sees what the app adds.
    const warm = await getUserFunction(spec.warmup, 'warmup', 'http');
    const warmServer = getServer(warm.userFunction, options);
    await new Promise((resolve) => warmServer.listen(0, '127.0.0.1', resolve));
    await request(warmServer.address().port, spec.request);
    await new Promise((resolve) => warmServer.close(resolve));
    let port;
    return {
      async load() {
        const loaded = await getUserFunction(options.sourceLocation, options.target, options.signatureType);
        const server = getServer(loaded.userFunction, options);
        await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
        port = server.address().port;
        server.unref();
      },
      invoke: () => request(port, spec.request),
    };
  },

  // A self-hosted server: the module listens on PORT when imported (the built dist/node server
  // awaits `serve` at top level); the request goes over 127.0.0.1.
  async node() {
    await warmHttp();
    const port = await freePort();
    process.env.PORT = String(port);
    process.env.HOST = '127.0.0.1';
    return {
      async load() {
        await import(pathToFileURL(spec.module).href);
      },
      invoke: () => request(port, spec.request),
    };
  },

  // The baseline: what importing any module costs.
  async empty() {
    return {
      async load() {
        await import(pathToFileURL(spec.module).href);
      },
      async invoke() {
        return undefined;
      },
    };
  },
};

function lambdaContext(i) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'getItem',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:getItem',
    memoryLimitInMB: '128',
    awsRequestId: `c0ffee00-0000-4000-8000-00000000000${i}`,
    logGroupName: '/aws/lambda/getItem',
    logStreamName: '2026/12/07/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 3000,
    done() {},
    fail() {},
    succeed() {},
  };
}

/** Node's own first http request and server (parser, agent) load before the clock: the same on both sides. */
async function warmHttp() {
  const http = require('node:http');
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  await request(server.address().port, { method: 'GET', path: '/', headers: {} });
  await new Promise((resolve) => server.close(resolve));
}

async function freePort() {
  const net = require('node:net');
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function request(port, { method, path, headers, body }) {
  const http = require('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          contentType: res.headers['content-type'],
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What the process holds: Node's built-in modules and the CommonJS files it required. */
function loaded() {
  return { builtins: process.moduleLoadList.slice(), files: Object.keys(require.cache) };
}

const p0 = cpu();
const w0 = now();
const kind = await kinds[spec.kind]();
const libraryMs = now() - w0;
const libraryCpuMs = cpu() - p0;
const before = loaded();
const c0 = cpu();
const t0 = now();
await kind.load();
const t1 = now();
const c1 = cpu();
const first = await kind.invoke(1);
const t2 = now();
const c2 = cpu();
const second = await kind.invoke(2);
const t3 = now();
const after = loaded();
const builtinsBefore = new Set(before.builtins);
const filesBefore = new Set(before.files);
// Marked: a server module may print its own lines.
process.stdout.write(
  `${PROBE_MARK}${JSON.stringify({
    importMs: t1 - t0,
    firstMs: t2 - t1,
    secondMs: t3 - t2,
    // The provider's own part, before the clock (see each kind).
    libraryMs,
    libraryCpuMs,
    importCpuMs: c1 - c0,
    firstCpuMs: c2 - c1,
    // Loaded by the import and the first two invocations (Node's own modules by name).
    builtins: after.builtins
      .filter((m) => !builtinsBefore.has(m) && m.startsWith('NativeModule '))
      .map((m) => m.slice(13)),
    files: after.files.filter((f) => !filesBefore.has(f)),
    first,
    second,
  })}\n`,
);
process.exit(0);
