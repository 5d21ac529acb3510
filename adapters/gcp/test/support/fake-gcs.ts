import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeGcs {
  readonly endpoint: string;
  readonly pid: number;
  /** A throwaway service account whose public key the server checks signed URLs with. */
  readonly credentials: { client_email: string; private_key: string };
  stop(): Promise<void>;
}

/** Starts support/fake-gcs-server.mjs as a child process on a free 127.0.0.1 port. */
export async function startFakeGcs(buckets: string[]): Promise<FakeGcs> {
  const dir = mkdtempSync(join(tmpdir(), 'polycloud-fake-gcs-'));
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(dir, 'public.pem');
  writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  const data = join(dir, 'data');
  const child: ChildProcess = spawn(
    process.execPath,
    [join(import.meta.dirname, 'fake-gcs-server.mjs'), data, keyFile, ...buckets],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('fake GCS server did not start');
  let output = '';
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`fake GCS server silent for 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        done(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`fake GCS server exited with ${code}:\n${output}`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid,
    credentials: {
      client_email: 'polycloud-test@probe-project.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        process.kill(pid, 'SIGTERM');
        const timer = setTimeout(() => process.kill(pid, 'SIGKILL'), 2_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
