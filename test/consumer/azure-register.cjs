// Preloaded (node --require) before dist/azure/index.js: @azure/functions requires the worker's
// `@azure/functions-core` when a function registers; this stands in for the worker and prints what
// the real library registered (name and trigger type) as one JSON line at exit.
const Module = require('node:module');

const registered = [];
const core = {
  version: '3.10.1',
  hostVersion: '4.1037.0',
  setProgrammingModel() {},
  getProgrammingModel() {},
  registerFunction(metadata) {
    const trigger = Object.values(metadata.bindings).find((b) => /Trigger$/.test(String(b.type)));
    registered.push({ name: metadata.name, trigger: trigger?.type });
    return { dispose() {} };
  },
  registerHook: () => ({ dispose() {} }),
  log() {},
};
const load = Module._load;
Module._load = function patched(request, ...rest) {
  return request === '@azure/functions-core' ? core : load.call(this, request, ...rest);
};
process.on('exit', () => process.stdout.write(`${JSON.stringify({ registered })}\n`));
