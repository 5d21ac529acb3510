/**
 * Carries an app's messages from where its functions put them to the functions that consume them,
 * the way each provider's delivery does, until nothing is left in flight:
 *
 * - AWS: what the Lambda event source mapping does for an SQS queue (ReceiveMessage, the documented
 *   SQS event, DeleteMessage unless the batch response lists it as failed); what SNS pushes to a
 *   subscribed Lambda (the notification fanned out to the topic's tap queue, as the documented SNS
 *   event); and an S3 `ObjectCreated:Put` notification for each new object in a bucket a function
 *   watches (fauxqs has no bucket notifications, so it is built from HeadObject of the real object).
 * - Azure: what the Functions host does for a Storage queue trigger (GetMessages, one invocation
 *   with the documented trigger metadata, DeleteMessage on success), a Service Bus topic trigger
 *   (the message the SDK sent to the AMQP fake, with its properties as trigger metadata) and a blob
 *   trigger (the new blob's properties read back from azurite), each through @azure/functions'
 *   invocation model.
 * - GCP: what an Eventarc Pub/Sub trigger does (a pull from the trigger's subscription on the
 *   emulator, the `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent in binary mode POSTed
 *   to the function's server, acknowledged on 2xx), and the `google.cloud.storage.object.v1.finalized`
 *   CloudEvent for each new object, with the object resource as the JSON API reports it.
 * - node: its own broker and folder storage deliver; this only waits until the broker is idle.
 *
 * Every loop is bounded: a round that moves nothing ends the carrying, and at most `MAX_ROUNDS` run.
 */
import { randomUUID } from 'node:crypto';
import type { App } from '@polycloud/core';
import type { QueueFunction, StorageFunction, TopicFunction } from '@polycloud/core/adapter';
import type { AwsDeployment } from './aws-front.ts';
import type { AzureDeployment } from './azure-front.ts';
import type { GcpDeployment } from './gcp-front.ts';
import type { NodeDeployment } from './node-front.ts';
import { awsClients, type StandInServices } from './stand-in-services.ts';

const MAX_ROUNDS = 10;

/** One delivery: which carrier took which message to which function, and how it ended. */
export interface Delivery {
  carrier: string;
  function: string;
  ok: boolean;
  /** The message body or object key delivered. */
  body: string;
  /** Why a delivery failed, as far as the runtime tells. */
  error?: string;
  /** What the function logged during the invocation, where the runtime hands logs back (Azure). */
  logs?: string[];
}

interface Triggers {
  queues: Map<string, string>;
  topics: Map<string, string>;
  buckets: Map<string, string>;
}

function triggers(app: App): Triggers {
  const t: Triggers = { queues: new Map(), topics: new Map(), buckets: new Map() };
  for (const [name, def] of app.functions) {
    if (def.kind === 'queue') t.queues.set((def as QueueFunction).queue, name);
    if (def.kind === 'topic') t.topics.set((def as TopicFunction).topic, name);
    if (def.kind === 'storage') t.buckets.set((def as StorageFunction).bucket, name);
  }
  return t;
}

/** Runs `round` until a round delivers nothing (at most MAX_ROUNDS rounds). */
async function untilQuiet(round: () => Promise<Delivery[]>): Promise<Delivery[]> {
  const all: Delivery[] = [];
  for (let i = 0; i < MAX_ROUNDS; i++) {
    const moved = await round();
    all.push(...moved);
    if (moved.length === 0) return all;
  }
  throw new Error(`messages still moving after ${MAX_ROUNDS} rounds: ${JSON.stringify(all)}`);
}

// ---------------------------------------------------------------------------------------------- AWS

export async function carryAws(app: App, aws: AwsDeployment, services: StandInServices): Promise<Delivery[]> {
  const { sqs, s3 } = await awsClients(services.aws);
  const sqsApi = await import('@aws-sdk/client-sqs');
  const s3Api = await import('@aws-sdk/client-s3');
  const t = triggers(app);
  const resources = aws.template.Resources as Record<string, { Type: string; Properties: any }>;
  const lambdaOf = (type: string, matches: (p: any) => boolean) =>
    Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Serverless::Function' &&
        Object.values(r.Properties.Events ?? {}).some((e: any) => e.Type === type && matches(e.Properties)),
    )?.Properties.FunctionName as string;
  const idOf = (type: string, key: string, name: string) =>
    Object.entries(resources).find(([, r]) => r.Type === type && r.Properties[key] === name)?.[0];
  const seen = new Set<string>();

  const receive = async (queueUrl: string) =>
    (
      await sqs.send(
        new sqsApi.ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      )
    ).Messages ?? [];
  const queueUrl = async (name: string) =>
    (await sqs.send(new sqsApi.GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;

  try {
    return await untilQuiet(async () => {
      const moved: Delivery[] = [];
      // SQS → Lambda (event source mapping with ReportBatchItemFailures).
      for (const [queue] of t.queues) {
        const id = idOf('AWS::SQS::Queue', 'QueueName', queue)!;
        const fn = lambdaOf('SQS', (p) => p.Queue?.['Fn::GetAtt']?.[0] === id);
        const url = await queueUrl(queue);
        const arn = `arn:aws:sqs:us-east-1:000000000000:${queue}`;
        for (const m of await receive(url)) {
          const outcome = await aws.invoke(fn, {
            Records: [
              {
                messageId: m.MessageId,
                receiptHandle: m.ReceiptHandle,
                body: m.Body,
                attributes: m.Attributes ?? {},
                messageAttributes: Object.fromEntries(
                  Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
                    k,
                    {
                      stringValue: v.StringValue,
                      stringListValues: [],
                      binaryListValues: [],
                      dataType: v.DataType,
                    },
                  ]),
                ),
                md5OfBody: m.MD5OfBody,
                eventSource: 'aws:sqs',
                eventSourceARN: arn,
                awsRegion: 'us-east-1',
              },
            ],
          });
          const failed =
            outcome.kind === 'error' ||
            (
              (JSON.parse(outcome.body) as { batchItemFailures?: { itemIdentifier: string }[] } | null)
                ?.batchItemFailures ?? []
            ).some((f) => f.itemIdentifier === m.MessageId);
          if (!failed)
            await sqs.send(
              new sqsApi.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }),
            );
          moved.push({ carrier: `SQS ${queue}`, function: fn, ok: !failed, body: m.Body ?? '' });
        }
      }
      // SNS → Lambda: the notification SNS fanned out to the topic's tap queue, as the SNS event.
      for (const [topic] of t.topics) {
        const id = idOf('AWS::SNS::Topic', 'TopicName', topic)!;
        const fn = lambdaOf('SNS', (p) => p.Topic?.Ref === id);
        const tap = services.awsTaps.get(topic)!;
        for (const m of await receive(tap)) {
          const n = JSON.parse(m.Body!) as Record<string, any>;
          const outcome = await aws.invoke(fn, {
            Records: [
              {
                EventSource: 'aws:sns',
                EventVersion: '1.0',
                EventSubscriptionArn: `${n.TopicArn}:${randomUUID()}`,
                Sns: {
                  Type: n.Type,
                  MessageId: n.MessageId,
                  TopicArn: n.TopicArn,
                  Subject: n.Subject ?? null,
                  Message: n.Message,
                  Timestamp: n.Timestamp,
                  SignatureVersion: n.SignatureVersion ?? '1',
                  Signature: n.Signature ?? 'EXAMPLE',
                  SigningCertUrl: n.SigningCertURL ?? 'https://sns.us-east-1.amazonaws.com/cert.pem',
                  UnsubscribeUrl:
                    n.UnsubscribeURL ?? 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
                  MessageAttributes: n.MessageAttributes ?? {},
                },
              },
            ],
          });
          // SNS retries a failed asynchronous invocation; the tap keeps the message until it succeeded.
          if (outcome.kind === 'response')
            await sqs.send(
              new sqsApi.DeleteMessageCommand({ QueueUrl: tap, ReceiptHandle: m.ReceiptHandle }),
            );
          moved.push({
            carrier: `SNS ${topic}`,
            function: fn,
            ok: outcome.kind === 'response',
            body: n.Message,
          });
        }
      }
      // S3 ObjectCreated:Put → Lambda, once per new object.
      for (const [bucket] of t.buckets) {
        const id = idOf('AWS::S3::Bucket', 'BucketName', bucket)!;
        const fn = lambdaOf('S3', (p) => p.Bucket?.Ref === id);
        const listed = await s3.send(new s3Api.ListObjectsV2Command({ Bucket: bucket }));
        for (const o of listed.Contents ?? []) {
          if (seen.has(`${bucket}/${o.Key}`)) continue;
          seen.add(`${bucket}/${o.Key}`);
          const head = await s3.send(new s3Api.HeadObjectCommand({ Bucket: bucket, Key: o.Key }));
          const outcome = await aws.invoke(fn, {
            Records: [
              {
                eventVersion: '2.1',
                eventSource: 'aws:s3',
                awsRegion: 'us-east-1',
                eventTime: (head.LastModified ?? new Date()).toISOString(),
                eventName: 'ObjectCreated:Put',
                userIdentity: { principalId: 'AWS:EXAMPLE' },
                requestParameters: { sourceIPAddress: '127.0.0.1' },
                responseElements: { 'x-amz-request-id': randomUUID(), 'x-amz-id-2': randomUUID() },
                s3: {
                  s3SchemaVersion: '1.0',
                  configurationId: 'StorageCreated',
                  bucket: {
                    name: bucket,
                    ownerIdentity: { principalId: 'EXAMPLE' },
                    arn: `arn:aws:s3:::${bucket}`,
                  },
                  object: {
                    // Notification keys are URL-encoded, spaces as '+'.
                    key: encodeURIComponent(o.Key!).replace(/%20/g, '+'),
                    size: head.ContentLength,
                    eTag: head.ETag?.replace(/"/g, ''),
                    sequencer: Date.now().toString(16).toUpperCase(),
                  },
                },
              },
            ],
          });
          moved.push({
            carrier: `S3 ${bucket}`,
            function: fn,
            ok: outcome.kind === 'response',
            body: o.Key!,
          });
        }
      }
      return moved;
    });
  } finally {
    sqs.destroy();
    s3.destroy();
  }
}

// -------------------------------------------------------------------------------------------- Azure

export async function carryAzure(
  app: App,
  azure: AzureDeployment,
  services: StandInServices,
): Promise<Delivery[]> {
  const { QueueServiceClient } = await import('@azure/storage-queue');
  const { BlobServiceClient } = await import('@azure/storage-blob');
  const queues = QueueServiceClient.fromConnectionString(services.azureStorage);
  const blobs = BlobServiceClient.fromConnectionString(services.azureStorage);
  const t = triggers(app);
  const registered = await azure.functions();
  const fnOf = (type: string, matches: (b: Record<string, unknown>) => boolean) =>
    registered.find((f) => Object.values(f.bindings).some((b) => b.type === type && matches(b)))?.name;
  const seen = new Set<string>();
  const typed = (value: string) => ({ string: value });
  return untilQuiet(async () => {
    const moved: Delivery[] = [];
    // Storage queue trigger: host.json's messageEncoding (base64) is how the host reads the text.
    for (const [queue] of t.queues) {
      const fn = fnOf('queueTrigger', (b) => b.queueName === queue)!;
      const client = queues.getQueueClient(queue);
      const got = await client.receiveMessages({ numberOfMessages: 16, visibilityTimeout: 60 });
      for (const m of got.receivedMessageItems) {
        const text = Buffer.from(m.messageText, 'base64').toString('utf8');
        const outcome = await azure.invoke(fn, {
          data: typed(text),
          triggerMetadata: {
            Id: typed(m.messageId),
            DequeueCount: { json: String(m.dequeueCount) },
            InsertionTime: typed(m.insertedOn.toISOString()),
            ExpirationTime: typed(m.expiresOn.toISOString()),
            NextVisibleTime: typed(m.nextVisibleOn.toISOString()),
            PopReceipt: typed(m.popReceipt),
            QueueTrigger: typed(text),
          },
        });
        if (outcome.ok) await client.deleteMessage(m.messageId, m.popReceipt);
        moved.push({ carrier: `Storage queue ${queue}`, function: fn, ok: outcome.ok, body: text });
      }
    }
    // Service Bus topic trigger: each message the SDK sent to the topic (one subscription: the app's).
    for (const [topic] of t.topics) {
      const fn = fnOf('serviceBusTrigger', (b) => b.topicName === topic)!;
      for (let i = services.serviceBus.received.length - 1; i >= 0; i--) {
        const r = services.serviceBus.received[i]!;
        if (r.address !== topic) continue;
        services.serviceBus.received.splice(i, 1);
        const body = r.message.body as { content?: Buffer } | Buffer | string;
        const bytes = Buffer.isBuffer(body)
          ? body
          : typeof body === 'string'
            ? Buffer.from(body)
            : (body.content ?? Buffer.alloc(0));
        const text = bytes.toString('utf8');
        const outcome = await azure.invoke(fn, {
          data: typed(text),
          triggerMetadata: {
            MessageId: typed(String(r.message.message_id ?? randomUUID())),
            DeliveryCount: { json: '1' },
            EnqueuedTimeUtc: typed(new Date().toISOString()),
            ApplicationProperties: { json: JSON.stringify(r.message.application_properties ?? {}) },
            ...(r.message.content_type ? { ContentType: typed(String(r.message.content_type)) } : {}),
            ...(r.message.group_id ? { SessionId: typed(String(r.message.group_id)) } : {}),
          },
        });
        moved.push({
          carrier: `Service Bus topic ${topic}`,
          function: fn,
          ok: outcome.ok,
          body: text,
          logs: outcome.logs.map((l) => l.message),
        });
      }
    }
    // Blob trigger: each new blob in a watched container, its properties as the host reports them.
    for (const [bucket] of t.buckets) {
      const fn = fnOf('blobTrigger', (b) => String(b.path).startsWith(`${bucket}/`))!;
      const container = blobs.getContainerClient(bucket);
      for await (const item of container.listBlobsFlat()) {
        if (seen.has(`${bucket}/${item.name}`)) continue;
        seen.add(`${bucket}/${item.name}`);
        const blob = container.getBlobClient(item.name);
        const content = await blob.downloadToBuffer();
        const outcome = await azure.invoke(fn, {
          data: { bytes: content.toString('base64') },
          triggerMetadata: {
            BlobTrigger: typed(`${bucket}/${item.name}`),
            Uri: typed(blob.url),
            Name: typed(item.name),
            Properties: {
              json: JSON.stringify({
                ContentLength: item.properties.contentLength,
                ContentType: item.properties.contentType,
                ETag: item.properties.etag,
                LastModified: item.properties.lastModified.toISOString(),
              }),
            },
            Metadata: { json: JSON.stringify(item.metadata ?? {}) },
          },
        });
        moved.push({ carrier: `Blob container ${bucket}`, function: fn, ok: outcome.ok, body: item.name });
      }
    }
    return moved;
  });
}

// ---------------------------------------------------------------------------------------------- GCP

export async function carryGcp(app: App, gcp: GcpDeployment, services: StandInServices): Promise<Delivery[]> {
  const pubsub = services.pubsub;
  if (!pubsub) throw new Error(`GCP messages cannot be carried: ${services.gcpSkipped}`);
  const t = triggers(app);
  const seen = new Set<string>();
  // Why each refused delivery was refused: the function's answer and its last log lines.
  const failures: string[] = [];
  const post = async (fn: string, headers: Record<string, string>, body: string) => {
    const res = await fetch(gcp.functionUrls[fn]!, { method: 'POST', headers, body });
    const answer = await res.text();
    const ok = res.status >= 200 && res.status < 300;
    if (!ok)
      failures.push(
        `${fn} ${res.status} ${answer.slice(0, 200)}\n${gcp.servers.get(fn)!.lines.slice(-5).join('\n')}`,
      );
    return ok;
  };
  return untilQuiet(async () => {
    const moved: Delivery[] = [];
    // Eventarc Pub/Sub triggers: queue functions and topic functions alike are fed by a topic.
    for (const [fn, subscription] of services.gcpSubscriptions) {
      const pulled = (await pubsub.call('POST', `${subscription}:pull`, {
        maxMessages: 10,
        returnImmediately: true,
      })) as {
        receivedMessages?: { ackId: string; message: Record<string, any>; deliveryAttempt?: number }[];
      };
      for (const r of pulled.receivedMessages ?? []) {
        const topic = /topics\/(.+)$/.exec(
          ((await pubsub.call('GET', subscription)) as { topic: string }).topic,
        )![1]!;
        const ok = await post(
          fn,
          {
            'content-type': 'application/json',
            'ce-specversion': '1.0',
            'ce-id': r.message.messageId,
            'ce-source': `//pubsub.googleapis.com/projects/${pubsub.project}/topics/${topic}`,
            'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
            'ce-time': r.message.publishTime,
          },
          JSON.stringify({ message: r.message, subscription }),
        );
        await pubsub.call(
          'POST',
          ok ? `${subscription}:acknowledge` : `${subscription}:modifyAckDeadline`,
          ok ? { ackIds: [r.ackId] } : { ackIds: [r.ackId], ackDeadlineSeconds: 0 },
        );
        moved.push({
          carrier: `Pub/Sub topic ${topic}`,
          function: fn,
          ok,
          ...(ok ? {} : { error: failures.at(-1) }),
          body: Buffer.from(r.message.data ?? '', 'base64').toString('utf8'),
        });
      }
    }
    // Cloud Storage object finalized → Eventarc CloudEvent with the object resource as data.
    for (const [bucket, fn] of t.buckets) {
      const listed = (await (await fetch(`${services.gcs.endpoint}/storage/v1/b/${bucket}/o`)).json()) as {
        items?: Record<string, any>[];
      };
      for (const object of listed.items ?? []) {
        if (seen.has(`${bucket}/${object.name}`)) continue;
        seen.add(`${bucket}/${object.name}`);
        const ok = await post(
          fn,
          {
            'content-type': 'application/json',
            'ce-specversion': '1.0',
            'ce-id': randomUUID(),
            'ce-source': `//storage.googleapis.com/projects/_/buckets/${bucket}`,
            'ce-type': 'google.cloud.storage.object.v1.finalized',
            'ce-subject': `objects/${object.name}`,
            'ce-time': object.updated ?? new Date().toISOString(),
          },
          JSON.stringify(object),
        );
        moved.push({ carrier: `Cloud Storage ${bucket}`, function: fn, ok, body: object.name });
      }
    }
    return moved;
  });
}

// --------------------------------------------------------------------------------------------- node

/** node delivers itself; this waits (bounded) until the function log shows `until` happened. */
export async function waitForNode(
  node: NodeDeployment,
  until: (lines: Record<string, unknown>[]) => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await until(jsonLines(node.output()))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`node: not done within ${timeoutMs} ms:\n${node.output().slice(-3000)}`);
}

/** The JSON lines in a process's output. */
export function jsonLines(output: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    try {
      const v = JSON.parse(line) as unknown;
      return typeof v === 'object' && v !== null ? [v as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}
