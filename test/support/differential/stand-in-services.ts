/**
 * The provider services an app's messages and objects travel through, as they run here, and the
 * provisioning a deployment does on them before its functions start:
 *
 * - AWS: fauxqs (SQS, SNS, S3 on one port). The SAM template's queues (with their redrive policy),
 *   topics and buckets are created, and their `Ref` values handed to the template's `Fn::Sub`
 *   environment. Every topic also gets a `<topic>-tap` SQS subscription: SNS fans the notification
 *   out to it, and the test reads what SNS would push to the subscribed Lambda from there.
 * - Azure: azurite (Storage queues and blobs) and, for Service Bus topics (no emulator installs
 *   here), the AMQP 1.0 protocol fake from adapters/azure/test/support, which accepts what the SDK
 *   sends and keeps it.
 * - GCP: the Cloud SDK's Pub/Sub emulator (when this machine has it), one pull subscription per
 *   `--trigger-topic` in deploy.sh standing in for the Eventarc trigger's own subscription; and for
 *   Cloud Storage the JSON API + v4 signed URL test server from adapters/gcp/test/support: no
 *   Cloud Storage emulator installs from npm or Debian, and PyPI/Go downloads are unreachable.
 * - node: nothing (its broker and folder storage are part of the build).
 *
 * Buckets the app only reads and writes (`extraBuckets`, like order-pipeline's `orders`) are not in
 * any template: the user creates them, so this does too, on every provider.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '@polycloud/core';
import type { QueueFunction, StorageFunction } from '@polycloud/core/adapter';
import { freePort, start } from '../../../adapters/aws/test/support/child-process.ts';
import {
  type ServiceBusAmqpFake,
  startServiceBusFake,
} from '../../../adapters/azure/test/support/service-bus-amqp-fake.ts';
import { type FakeGcs, startFakeGcs } from '../../../adapters/gcp/test/support/fake-gcs.ts';
import {
  EMULATOR_DIR,
  type Emulator,
  emulatorInstalled,
  startEmulator,
} from '../../../adapters/gcp/test/support/pubsub-emulator.ts';
import { readTemplate } from './aws-front.ts';
import { type Provider, repoRoot } from './build.ts';
import type { Provision } from './deploy.ts';

const ACCOUNT = 'devstoreaccount1';
// The well-known development storage key, public in Microsoft's azurite documentation.
const ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
export const GCP_PROJECT = 'diff-project';

export interface StandInServices {
  /** fauxqs's endpoint (SQS, SNS and S3). */
  readonly aws: string;
  /** A storage connection string for azurite's queue and blob endpoints. */
  readonly azureStorage: string;
  readonly serviceBus: ServiceBusAmqpFake;
  /** Undefined when this machine has no Pub/Sub emulator (`gcpSkipped` says why). */
  readonly pubsub: Emulator | undefined;
  readonly gcpSkipped: string | undefined;
  readonly gcs: FakeGcs;
  /** Creates what a build declares; pass to `deployEverywhere`. */
  readonly provision: Provision;
  /** Each AWS topic's tap queue URL, by topic name (filled by `provision`). */
  readonly awsTaps: Map<string, string>;
  /** Each GCP trigger subscription, by function name (filled by `provision`). */
  readonly gcpSubscriptions: Map<string, string>;
  stop(): Promise<void>;
}

export async function startStandInServices(app: App, extraBuckets: string[]): Promise<StandInServices> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const fauxqsPort = await freePort();
    // fauxqs names queues http://sqs.<region>.<FAUXQS_HOST>:<port>/..., and the SDK sends each call
    // to its queue URL's host (as on AWS, where that host is the SQS endpoint). With the host
    // `fauxqs@127.0.0.1` the name part becomes the URL's userinfo and its host 127.0.0.1, so every
    // process reaches the queue by its URL without DNS for sqs.<region>.localhost.
    const fauxqs = start(
      process.execPath,
      [
        '--import',
        join(repoRoot, 'adapters/aws/test/support/bind-loopback.mjs'),
        join(repoRoot, 'node_modules/fauxqs/dist/cli.js'),
      ],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, FAUXQS_PORT: String(fauxqsPort), FAUXQS_HOST: 'fauxqs@127.0.0.1' },
        name: 'fauxqs',
      },
    );
    stops.push(() => fauxqs.stop(2_000));
    await fauxqs.waitFor(/Server listening at http:\/\/127\.0\.0\.1:/, 15_000);
    const [blobPort, queuePort, tablePort] = [await freePort(), await freePort(), await freePort()];
    const azurite = start(
      process.execPath,
      [
        join(repoRoot, 'node_modules/azurite/dist/src/azurite.js'),
        ...['--blobHost', '127.0.0.1', '--blobPort', String(blobPort)],
        ...['--queueHost', '127.0.0.1', '--queuePort', String(queuePort)],
        ...['--tableHost', '127.0.0.1', '--tablePort', String(tablePort)],
        '--inMemoryPersistence',
        '--disableTelemetry',
        '--skipApiVersionCheck',
      ],
      { cwd: repoRoot, env: { PATH: process.env.PATH }, name: 'azurite' },
    );
    stops.push(() => azurite.stop(2_000));
    await azurite.waitFor(/Queue service is successfully listening/, 20_000);
    await azurite.waitFor(/Blob service is successfully listening/, 20_000);
    const serviceBus = await startServiceBusFake();
    stops.push(() => serviceBus.close());
    const pubsub = emulatorInstalled() ? await startEmulator(GCP_PROJECT) : undefined;
    if (pubsub) stops.push(() => pubsub.stop());
    const gcs = await startFakeGcs(['receipts', ...extraBuckets]);
    stops.push(() => gcs.stop());
    const keyDir = mkdtempSync(join(tmpdir(), 'polycloud-diff-gcp-key-'));
    stops.push(async () => rmSync(keyDir, { recursive: true, force: true }));
    // Off GCP, @google-cloud/storage signs URLs with a service account key found through
    // GOOGLE_APPLICATION_CREDENTIALS; the test server checks the signatures against its public key.
    const keyFile = join(keyDir, 'service-account.json');
    writeFileSync(
      keyFile,
      JSON.stringify({ type: 'service_account', project_id: GCP_PROJECT, ...gcs.credentials }),
    );

    const azureStorage = [
      'DefaultEndpointsProtocol=http',
      `AccountName=${ACCOUNT}`,
      `AccountKey=${ACCOUNT_KEY}`,
      `BlobEndpoint=http://127.0.0.1:${blobPort}/${ACCOUNT}`,
      `QueueEndpoint=http://127.0.0.1:${queuePort}/${ACCOUNT}`,
    ].join(';');
    const awsTaps = new Map<string, string>();
    const gcpSubscriptions = new Map<string, string>();
    const aws = `http://127.0.0.1:${fauxqsPort}`;

    const provision: Provision = async (provider: Provider, distDir: string) => {
      if (provider === 'aws')
        return { env: awsEnv(aws), refs: await provisionAws(aws, distDir, extraBuckets, awsTaps) };
      if (provider === 'azure') {
        await provisionAzure(azureStorage, app, extraBuckets);
        return { env: { AzureWebJobsStorage: azureStorage, ServiceBusConnection: serviceBus.connection } };
      }
      if (provider === 'gcp') {
        if (pubsub) await provisionGcp(pubsub, distDir, gcpSubscriptions);
        const env: Record<string, string> = {
          GOOGLE_CLOUD_PROJECT: GCP_PROJECT,
          STORAGE_EMULATOR_HOST: gcs.endpoint,
          GOOGLE_APPLICATION_CREDENTIALS: keyFile,
        };
        if (pubsub) env.PUBSUB_EMULATOR_HOST = new URL(pubsub.base).host;
        return { env };
      }
      return { env: {} };
    };
    return {
      aws,
      azureStorage,
      serviceBus,
      pubsub,
      gcpSkipped: pubsub ? undefined : `no Pub/Sub emulator at ${EMULATOR_DIR}`,
      gcs,
      provision,
      awsTaps,
      gcpSubscriptions,
      stop: async () => {
        for (const stop of stops.reverse()) await stop().catch(() => {});
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
}

/** What every Lambda's SDK clients read: the emulator endpoints and throwaway credentials. */
function awsEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SQS: endpoint,
    AWS_ENDPOINT_URL_SNS: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
}

export async function awsClients(endpoint: string) {
  const [{ SQSClient }, { SNSClient }, { S3Client }] = await Promise.all([
    import('@aws-sdk/client-sqs'),
    import('@aws-sdk/client-sns'),
    import('@aws-sdk/client-s3'),
  ]);
  const common = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  return {
    sqs: new SQSClient(common),
    sns: new SNSClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
  };
}

/** CloudFormation's part: the template's queues (dead-letter queues first), topics and buckets. */
async function provisionAws(
  endpoint: string,
  distDir: string,
  extraBuckets: string[],
  taps: Map<string, string>,
): Promise<Record<string, string>> {
  const sqsApi = await import('@aws-sdk/client-sqs');
  const snsApi = await import('@aws-sdk/client-sns');
  const s3Api = await import('@aws-sdk/client-s3');
  const { sqs, sns, s3 } = await awsClients(endpoint);
  const resources = readTemplate(distDir).Resources as Record<string, { Type: string; Properties: any }>;
  const refs: Record<string, string> = {};
  const arns: Record<string, string> = {};
  const queues = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
  // Queues without a redrive policy (the dead-letter queues) exist before the ones that name them.
  queues.sort(
    ([, a], [, b]) =>
      Number(Boolean(a.Properties.RedrivePolicy)) - Number(Boolean(b.Properties.RedrivePolicy)),
  );
  for (const [id, r] of queues) {
    const attributes: Record<string, string> = {};
    if (r.Properties.VisibilityTimeout) attributes.VisibilityTimeout = String(r.Properties.VisibilityTimeout);
    const redrive = r.Properties.RedrivePolicy;
    if (redrive)
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: arns[redrive.deadLetterTargetArn['Fn::GetAtt'][0]],
        maxReceiveCount: redrive.maxReceiveCount,
      });
    const { QueueUrl } = await sqs.send(
      new sqsApi.CreateQueueCommand({ QueueName: r.Properties.QueueName, Attributes: attributes }),
    );
    refs[id] = QueueUrl!;
    arns[id] = (
      await sqs.send(new sqsApi.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
  }
  for (const [id, r] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SNS::Topic')) {
    const { TopicArn } = await sns.send(new snsApi.CreateTopicCommand({ Name: r.Properties.TopicName }));
    refs[id] = TopicArn!;
    const tap = await sqs.send(new sqsApi.CreateQueueCommand({ QueueName: `${r.Properties.TopicName}-tap` }));
    const tapArn = (
      await sqs.send(
        new sqsApi.GetQueueAttributesCommand({ QueueUrl: tap.QueueUrl, AttributeNames: ['QueueArn'] }),
      )
    ).Attributes!.QueueArn!;
    await sns.send(new snsApi.SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: tapArn }));
    taps.set(r.Properties.TopicName, tap.QueueUrl!);
  }
  const buckets = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket');
  for (const [id, r] of buckets) refs[id] = r.Properties.BucketName;
  for (const bucket of [...buckets.map(([, r]) => r.Properties.BucketName as string), ...extraBuckets])
    await s3.send(new s3Api.CreateBucketCommand({ Bucket: bucket }));
  sqs.destroy();
  sns.destroy();
  s3.destroy();
  return refs;
}

/**
 * The Storage queues and blob containers the app's triggers name (an Azure build has no template:
 * its registrations come from the same definitions), plus the extra buckets.
 */
async function provisionAzure(connection: string, app: App, extraBuckets: string[]): Promise<void> {
  const { BlobServiceClient } = await import('@azure/storage-blob');
  const { QueueServiceClient } = await import('@azure/storage-queue');
  const blobs = BlobServiceClient.fromConnectionString(connection);
  const queues = QueueServiceClient.fromConnectionString(connection);
  const defs = [...app.functions.values()];
  const containers = defs.flatMap((d) => (d.kind === 'storage' ? [(d as StorageFunction).bucket] : []));
  for (const container of new Set([...containers, ...extraBuckets]))
    await blobs.getContainerClient(container).createIfNotExists();
  for (const d of defs)
    if (d.kind === 'queue') await queues.getQueueClient((d as QueueFunction).queue).createIfNotExists();
}

/** deploy.sh's `ensure_topic` lines, and each `--trigger-topic` function's Eventarc subscription. */
async function provisionGcp(
  pubsub: Emulator,
  distDir: string,
  subscriptions: Map<string, string>,
): Promise<void> {
  const script = readFileSync(join(distDir, 'deploy.sh'), 'utf8');
  const p = `projects/${pubsub.project}`;
  for (const [, topic] of script.matchAll(/^ensure_topic (\S+)$/gm))
    await pubsub.call('PUT', `${p}/topics/${topic}`, {});
  for (const [, fn, topic] of script.matchAll(/^gcloud functions deploy (\S+) .*--trigger-topic=(\S+)/gm)) {
    const name = `eventarc-${fn}`;
    await pubsub.call('PUT', `${p}/subscriptions/${name}`, {
      topic: `${p}/topics/${topic}`,
      ackDeadlineSeconds: 30,
    });
    subscriptions.set(fn!, `${p}/subscriptions/${name}`);
  }
}
