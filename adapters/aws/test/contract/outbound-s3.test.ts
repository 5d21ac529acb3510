import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { resolveConfig } from '@polycloud/core/adapter';
import { runOutboundContract } from '@polycloud/testing';
import { createS3Storage } from '../../src/clients/s3-storage.ts';
import { type Fauxqs, startFauxqs } from '../support/fauxqs.ts';

// fauxqs rather than s3rver: s3rver 3.7.1 does not check SigV4 at all ("Signature version 4
// calculation is unimplemented" in its authentication middleware) and answers ListObjectsV2 with
// max-keys a 500; fauxqs is maintained, implements ListObjectsV2 continuation tokens and multipart
// uploads, already runs for the SQS/SNS tests, and keeps objects in its own process.
let server: Fauxqs | undefined;

runOutboundContract(
  async () => {
    server = await startFauxqs();
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    const admin = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await admin.send(new CreateBucketCommand({ Bucket: 'acme-probe' }));
    admin.destroy();
    // The SDK's default credential chain (as in Lambda), with the emulator's throwaway credentials.
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    const config = resolveConfig(
      // The logical bucket "probe" maps to the real bucket, as a deployment configures it.
      {
        provider: 'aws',
        providers: {
          aws: { endpoint: server.endpoint, region: 'us-east-1', buckets: { probe: 'acme-probe' } },
        },
      },
      {},
    );
    return {
      name: 'aws:s3 client',
      backend: 'fauxqs 1.9.2 S3 (started by the test on 127.0.0.1)',
      mode: 'live',
      storage: { client: createS3Storage(config, env), bucket: 'probe' },
      unsupported: {
        'outbound.storage.signed-url-tampered':
          'fauxqs accepts any SigV4 signature, so no local S3 server here can refuse a tampered URL (real S3 answers 403 SignatureDoesNotMatch)',
      },
    };
  },
  'aws:s3 client',
  { close: async () => server?.stop() },
);
