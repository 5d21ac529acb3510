/**
 * Stands in for the Azure Functions Node worker: `@azure/functions` looks for the worker's
 * `@azure/functions-core` module with require() the first time a function is registered. Patching
 * Module._load before that hands the library this object, so the real `registerFunction` metadata and
 * the real programming model are captured. Import this module first in every test file that registers.
 */
import Module from 'node:module';
import type { RpcBindingInfo } from './rpc.ts';

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: Record<string, unknown>;
}
export interface RegisteredFunction {
  metadata: FunctionMetadata;
  callback: (...args: unknown[]) => unknown;
}
export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: unknown): InvocationModel;
}
export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(
    context: unknown,
    inputs: unknown[],
    handler: (...args: unknown[]) => unknown,
  ): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<unknown>;
}
export interface SystemLog {
  level: string;
  category: string;
  message: string;
}

interface FakeWorker {
  functions: Map<string, RegisteredFunction>;
  model?: ProgrammingModel;
  systemLogs: SystemLog[];
}

const KEY = Symbol.for('polycloud.test.azure-functions-core');
const holder = globalThis as unknown as Record<symbol, FakeWorker | undefined>;

holder[KEY] ??= install();
export const worker: FakeWorker = holder[KEY];

function install(): FakeWorker {
  const state: FakeWorker = { functions: new Map(), systemLogs: [] };
  const coreApi = {
    version: '3.10.1',
    hostVersion: '4.1037.0',
    setProgrammingModel(model: ProgrammingModel) {
      state.model = model;
    },
    getProgrammingModel() {
      return state.model;
    },
    registerFunction(metadata: FunctionMetadata, callback: (...args: unknown[]) => unknown) {
      state.functions.set(metadata.name, { metadata, callback });
      return { dispose: () => state.functions.delete(metadata.name) };
    },
    registerHook() {
      return { dispose() {} };
    },
    log(level: string, category: string, message: string) {
      state.systemLogs.push({ level, category, message });
    },
  };
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = mod._load;
  mod._load = function load(request: string, ...rest: unknown[]) {
    if (request === '@azure/functions-core') return coreApi;
    return original.call(this, request, ...rest);
  };
  return state;
}

export function registered(name: string): RegisteredFunction {
  const fn = worker.functions.get(name);
  if (!fn)
    throw new Error(`no function "${name}" registered (have: ${[...worker.functions.keys()].join(', ')})`);
  return fn;
}
