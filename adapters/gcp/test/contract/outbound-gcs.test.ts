import { resolveConfig } from '@polycloud/core/adapter';
import { runOutboundContract } from '@polycloud/testing';
import { createGcsStorage } from '../../src/clients/gcs-storage.ts';
import { type FakeGcs, startFakeGcs } from '../support/fake-gcs.ts';

// No Cloud Storage emulator installs here (PyPI and Go downloads are unreachable; npm's mock-gcs
// mocks the SDK, not the wire): support/fake-gcs-server.mjs is a small server written for these tests
// from the documented JSON API and v4 signed-URL process, and it checks the v4 RSA signatures.
let server: FakeGcs | undefined;

runOutboundContract(
  async () => {
    server = await startFakeGcs(['acme-probe']);
    const config = resolveConfig(
      { provider: 'gcp', providers: { gcp: { buckets: { probe: 'acme-probe' } } } },
      {},
    );
    return {
      name: 'gcp:cloud storage client',
      backend:
        'polycloud test server for the Cloud Storage JSON API + v4 signed URLs (written for these tests; no emulator installs here)',
      mode: 'fake',
      storage: {
        client: createGcsStorage({
          config,
          env: {},
          apiEndpoint: server.endpoint,
          projectId: 'probe-project',
          credentials: server.credentials,
        }),
        bucket: 'probe',
      },
    };
  },
  'gcp:cloud storage client',
  { close: async () => server?.stop() },
);
