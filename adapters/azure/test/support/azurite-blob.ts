import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../../../..');
const AZURITE_BLOB = resolve(REPO, 'node_modules/azurite/dist/src/blob/main.js');
const ACCOUNT = 'devstoreaccount1';
// The well-known development storage key, public in Microsoft's azurite documentation.
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteBlob {
  /** A storage connection string pointing at this azurite's blob endpoint. */
  readonly connection: string;
  readonly pid: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * azurite 3.35.0's blob service (`azurite-blob`) on a free 127.0.0.1 port, in memory. It checks
 * shared-key and SAS signatures, so signed URLs are verified as Blob Storage verifies them.
 */
export async function startAzuriteBlob(): Promise<AzuriteBlob> {
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      AZURITE_BLOB,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--inMemoryPersistence',
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--silent',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('azurite-blob did not start');
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`azurite-blob did not listen within 15 s:\n${output}`)),
      15_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/successfully listens on/.test(output)) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`azurite-blob exited with ${code}:\n${output}`));
    });
  });
  return {
    connection:
      `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
      `BlobEndpoint=http://127.0.0.1:${port}/${ACCOUNT};`,
    pid,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(pid, 'SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
