import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** What probe.mjs loads and how it invokes it (see the kinds there). */
export type ProbeSpec =
  | { kind: 'aws'; module: string; event: unknown; export?: string }
  | { kind: 'azure'; module: string; target: string; rpcHttp: unknown }
  | { kind: 'gcp'; module: string; target: string; request: ProbeRequest; warmup: string }
  | { kind: 'node'; module: string; request: ProbeRequest }
  | { kind: 'empty'; module: string };

export interface ProbeRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ProbeResult {
  importMs: number;
  firstMs: number;
  secondMs: number;
  /** The provider library's own load and first use, before the clock (Azure, GCP; see probe.mjs). */
  libraryMs: number;
  libraryCpuMs: number;
  /** CPU time the process spent (all its threads) in the import and the first invocation. */
  importCpuMs: number;
  firstCpuMs: number;
  /** Node built-in modules loaded by the import and the two invocations. */
  builtins: string[];
  /** CommonJS files required by them (inversify.cjs, a provider library's files...). */
  files: string[];
  first: unknown;
  second: unknown;
}

const PROBE = join(import.meta.dirname, 'probe.mjs');
const MARK = 'polycloud-probe ';

/**
 * One cold start in a fresh Node process (no loader, and no flags but `nodeFlags`: as the provider
 * runs it).
 */
export function runProbe(spec: ProbeSpec, nodeFlags: readonly string[] = []): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...nodeFlags, PROBE, JSON.stringify(spec)],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith(MARK));
        if (error || !line) {
          reject(new Error(`probe of ${spec.module} failed: ${error?.message ?? 'no result'}\n${stderr}`));
          return;
        }
        resolve(JSON.parse(line.slice(MARK.length)) as ProbeResult);
      },
    );
  });
}
