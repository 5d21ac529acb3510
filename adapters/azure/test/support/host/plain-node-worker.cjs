// Preloaded with `node --require` to load a built entry under plain Node ESM (no vitest, no tsx):
// stands in for @azure/functions-core and prints what was registered as one JSON line on exit.
const Module = require('node:module');
const registered = [];
const coreApi = {
  setProgrammingModel() {},
  registerFunction(metadata) {
    registered.push(metadata);
    return { dispose() {} };
  },
  registerHook() {
    return { dispose() {} };
  },
  log() {},
};
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === '@azure/functions-core') return coreApi;
  return load.call(this, request, ...rest);
};
process.on('exit', () => {
  process.stdout.write(`${JSON.stringify(registered.map((m) => m.name))}\n`);
});
