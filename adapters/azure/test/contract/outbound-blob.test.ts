import { BlobServiceClient } from '@azure/storage-blob';
import { resolveConfig } from '@polycloud/core/adapter';
import { runOutboundContract } from '@polycloud/testing';
import { createBlobStorage } from '../../src/clients/blob-storage.ts';
import { type AzuriteBlob, startAzuriteBlob } from '../support/azurite-blob.ts';

let azurite: AzuriteBlob | undefined;

runOutboundContract(
  async () => {
    azurite = await startAzuriteBlob();
    await BlobServiceClient.fromConnectionString(azurite.connection).createContainer('acme-probe');
    // The logical bucket "probe" maps to the container, as a deployment configures it.
    const config = resolveConfig(
      { provider: 'azure', providers: { azure: { buckets: { probe: 'acme-probe' } } } },
      {},
    );
    return {
      name: 'azure:blob client',
      backend: 'azurite 3.35.0 blob service (started by the test on 127.0.0.1; checks SAS signatures)',
      mode: 'live',
      storage: {
        client: createBlobStorage(config, 'AzureWebJobsStorage', { AzureWebJobsStorage: azurite.connection }),
        bucket: 'probe',
      },
    };
  },
  'azure:blob client',
  { close: async () => azurite?.stop() },
);
