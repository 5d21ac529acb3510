import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../../..');
const CLI = resolve(repoRoot, 'node_modules/@google-cloud/functions-framework/build/src/main.js');
const PRELOAD = resolve(repoRoot, 'adapters/gcp/test/support/bind-loopback.mjs');

export interface CliServer {
  url: string;
  pid: number;
  /** Every stdout line so far (the function's Cloud Logging JSON lines among them). */
  lines: string[];
  /** Parsed JSON stdout lines. */
  logs(): Record<string, unknown>[];
  /** Waits (bounded) until a JSON log line satisfies `match`. */
  waitForLog(
    match: (entry: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * `functions-framework --source=DIR --target=NAME --port=0`, the real CLI, bound to 127.0.0.1 by a
 * preloaded module. NODE_ENV is left unset, as the deployed entry sees it before it defaults it.
 */
export async function startCli(
  source: string,
  target: string,
  env: Record<string, string> = {},
): Promise<CliServer> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, NODE_OPTIONS: `--import=${PRELOAD}` };
  delete childEnv.NODE_ENV;
  delete childEnv.VITEST;
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, `--source=${source}`, `--target=${target}`, '--port=0'],
    {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`${target} did not start in 15 s: ${stderr}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const m = /polycloud-test-listening (\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${target} exited with ${code}: ${stderr}`));
    });
  });
  const logs = () =>
    lines.flatMap((l) => {
      try {
        const v = JSON.parse(l) as unknown;
        return typeof v === 'object' && v !== null ? [v as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    lines,
    logs,
    async waitForLog(match, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const found = logs().find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no matching log line from ${target} in ${timeoutMs} ms; got:\n${lines.join('\n')}`);
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        process.kill(child.pid!, 'SIGTERM');
      }),
  };
}
