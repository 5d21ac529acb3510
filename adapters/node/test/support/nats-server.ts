import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Debian's `nats-server` (installed by .ci/run) with JetStream on 127.0.0.1, a random port and a
 * temporary file store; `restart()` stops it by PID and starts it again on the same port and store.
 */
export class NatsServer {
  readonly storeDir: string;
  port = 0;
  #child?: ChildProcess;

  private constructor() {
    this.storeDir = mkdtempSync(join(tmpdir(), 'polycloud-nats-'));
  }

  static async start(): Promise<NatsServer> {
    const server = new NatsServer();
    server.port = await freePort();
    await server.#spawn();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  #spawn(): Promise<void> {
    const child = spawn(
      'nats-server',
      ['-js', '-sd', this.storeDir, '-a', '127.0.0.1', '-p', String(this.port)],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    this.#child = child;
    return new Promise((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`nats-server did not start in 15 s:\n${log}`)), 15_000);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`cannot run nats-server (is it installed? .ci/run installs it): ${error.message}`));
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** Stops by PID and waits for the exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || !child.pid) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(child.pid, 'SIGTERM');
    await exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.#spawn();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
