import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineApp, Storage } from '@polycloud/core';
import { runOutboundContract } from '@polycloud/testing';
import { type NodeServer, serve } from '../src/index.ts';

// The node runtime's Storage is a folder; signed URLs are served by the node server itself.
let server: NodeServer | undefined;
let dir: string | undefined;

runOutboundContract(
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'polycloud-folder-storage-'));
    server = await serve(defineApp({ name: 'outbound', functions: {} }), {
      port: 0,
      schedules: false,
      handleSignals: false,
      storageDir: dir,
    });
    return {
      name: 'node:folder storage',
      backend: 'local folder + node server signed-URL route',
      mode: 'live',
      storage: { client: server.runtime.resolve(Storage), bucket: 'probe' },
      unsupported: {},
    };
  },
  'node:folder storage',
  {
    close: async () => {
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  },
);
