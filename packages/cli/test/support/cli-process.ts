import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../../../..');
export const bin = join(repoRoot, 'packages/cli/bin/polycloud.mjs');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user does: a real child process, bounded. */
export function cli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): CliResult {
  const out = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, POLYCLOUD_DEBUG: '', ...options.env },
    input: options.input,
  });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** A stack frame line, which no expected failure may print. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

/**
 * A temporary app folder outside the repo with the given files; `node_modules` links to the
 * workspace's, so `@polycloud/*` resolve as in an installed app. Removed by `remove()`.
 */
export function tempApp(files: Record<string, string>): {
  dir: string;
  write(path: string, text: string): void;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'polycloud-app-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  for (const [path, text] of Object.entries(files)) write(path, text);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `polycloud dev` as a child process whose output can be awaited line by line. */
export class DevProcess {
  readonly child: ChildProcess;
  output = '';

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [bin, 'dev', ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, POLYCLOUD_DEBUG: '', ...env },
    });
    const append = (chunk: Buffer) => {
      this.output += chunk.toString();
    };
    this.child.stdout!.on('data', append);
    this.child.stderr!.on('data', append);
  }

  /** A mark to wait for output after it. */
  get mark(): number {
    return this.output.length;
  }

  /** Waits (bounded) for output after `from` matching `re`. */
  async waitFor(re: RegExp, from = 0, timeoutMs = 45_000): Promise<RegExpMatchArray> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const m = this.output.slice(from).match(re);
      if (m) return m;
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${re}; output:\n${this.output}`);
  }

  /** The URL of the first server start after `from`. */
  async url(from = 0): Promise<string> {
    return (await this.waitFor(/ on (http:\/\/127\.0\.0\.1:\d+)/, from))[1]!;
  }

  /** The URL of the most recent server start. */
  get lastUrl(): string | undefined {
    return [...this.output.matchAll(/ on (http:\/\/127\.0\.0\.1:\d+)/g)].at(-1)?.[1];
  }

  async exit(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    return new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = this.exit();
    this.child.kill('SIGTERM');
    await exited;
  }
}
