import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export const EMULATOR_DIR = '/usr/lib/google-cloud-sdk/platform/pubsub-emulator';
const BIN = `${EMULATOR_DIR}/bin/cloud-pubsub-emulator`;

export function emulatorInstalled(): boolean {
  return existsSync(BIN);
}

export interface Emulator {
  base: string;
  project: string;
  /** PUT/POST a REST resource of the emulator (v1 API). */
  call(method: string, path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The Cloud SDK's Pub/Sub emulator on 127.0.0.1 (its script execs java, so the PID is the JVM's). */
export async function startEmulator(project = 'polycloud-e2e'): Promise<Emulator> {
  const port = await freePort();
  const child: ChildProcess = spawn(BIN, [`--host=127.0.0.1`, `--port=${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pubsub emulator exited: ${output}`);
    try {
      const r = await fetch(base, { signal: AbortSignal.timeout(1_000) });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      process.kill(child.pid!, 'SIGTERM');
      throw new Error(`pubsub emulator did not answer in 60 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    project,
    async call(method, path, body) {
      const r = await fetch(`${base}/v1/${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`emulator ${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        process.kill(child.pid!, 'SIGTERM');
      }),
  };
}
