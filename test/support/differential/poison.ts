/**
 * One message that always fails, delivered to a queue function the way each provider delivers it,
 * with that provider's redelivery rules played from the deployment the build wrote: SQS events to
 * the Lambda (ReportBatchItemFailures; redrive after the template's maxReceiveCount), Storage
 * queue invocations through the Azure host (maxDequeueCount, then `<queue>-poison`), Pub/Sub
 * CloudEvents pushed to the function's framework server (deliveryAttempt; dead-lettering only as
 * deploy.sh configures it), and node's own broker.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsDeployment } from './aws-front.ts';
import type { AzureDeployment } from './azure-front.ts';
import type { Front } from './front.ts';
import type { GcpDeployment } from './gcp-front.ts';

export interface PoisonOutcome {
  /** Deliveries the function refused (none acknowledged). */
  refused: number;
  acknowledged: boolean;
  /** Where the message ended: a dead-letter destination, or why it would vanish. */
  endedIn: string;
  /** The body found there, when it could be read back. */
  body?: string;
}

export async function poisonAws(aws: AwsDeployment, queue: string, body: string): Promise<PoisonOutcome> {
  const resources = aws.template.Resources as Record<string, { Type: string; Properties: any }>;
  const [queueId, queueResource] = Object.entries(resources).find(
    ([, r]) => r.Type === 'AWS::SQS::Queue' && r.Properties.QueueName === queue,
  )!;
  const consumer = Object.values(resources).find(
    (r) =>
      r.Type === 'AWS::Serverless::Function' &&
      Object.values(r.Properties.Events ?? {}).some(
        (e: any) => e.Type === 'SQS' && e.Properties.Queue?.['Fn::GetAtt']?.[0] === queueId,
      ),
  )!;
  const redrive = queueResource.Properties.RedrivePolicy as
    | { maxReceiveCount: number; deadLetterTargetArn: { 'Fn::GetAtt': [string, string] } }
    | undefined;
  const messageId = randomUUID();
  const sent = Date.now();
  // Without a redrive policy SQS redelivers until the retention period ends: five tries show that.
  const max = redrive?.maxReceiveCount ?? 5;
  let refused = 0;
  for (let receive = 1; receive <= max; receive++) {
    const outcome = await aws.invoke(consumer.Properties.FunctionName, {
      Records: [
        {
          messageId,
          receiptHandle: `handle-${receive}`,
          body,
          attributes: {
            ApproximateReceiveCount: String(receive),
            SentTimestamp: String(sent),
            SenderId: 'AROAEXAMPLE:sender',
            ApproximateFirstReceiveTimestamp: String(sent + 5),
          },
          messageAttributes: {},
          md5OfBody: 'not-checked',
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${queue}`,
          awsRegion: 'us-east-1',
        },
      ],
    });
    const failures =
      outcome.kind === 'error'
        ? [messageId]
        : (
            (JSON.parse(outcome.body) as { batchItemFailures?: { itemIdentifier: string }[] })
              .batchItemFailures ?? []
          ).map((f) => f.itemIdentifier);
    if (!failures.includes(messageId))
      return { refused, acknowledged: true, endedIn: 'deleted (acknowledged)' };
    refused++;
  }
  if (!redrive)
    return { refused, acknowledged: false, endedIn: 'no redrive policy: deleted when retention ends' };
  const dlq = resources[redrive.deadLetterTargetArn['Fn::GetAtt'][0]]!;
  return { refused, acknowledged: false, endedIn: `SQS queue ${dlq.Properties.QueueName}`, body };
}

export async function poisonAzure(
  azure: AzureDeployment,
  queue: string,
  body: string,
): Promise<PoisonOutcome> {
  const result = await azure.enqueue(queue, body);
  if (!result.poisoned) return { refused: result.deliveries - 1, acknowledged: true, endedIn: 'completed' };
  const poison = await azure.poison(`${queue}-poison`);
  return {
    refused: result.deliveries,
    acknowledged: false,
    endedIn: `Storage queue ${queue}-poison`,
    body: poison.at(-1),
  };
}

export async function poisonGcp(
  gcp: GcpDeployment,
  distDir: string,
  functionName: string,
  topic: string,
  body: string,
): Promise<PoisonOutcome> {
  const deploy = readFileSync(join(distDir, 'deploy.sh'), 'utf8');
  const attempts = /--max-delivery-attempts=(\d+)/.exec(deploy);
  const deadLetter = new RegExp(`^dead_letter ${functionName} (\\S+)$`, 'm').exec(deploy);
  const max = attempts ? Number(attempts[1]) : 5;
  const messageId = String(Date.now());
  let refused = 0;
  for (let attempt = 1; attempt <= max; attempt++) {
    const res = await fetch(gcp.functionUrls[functionName]!, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0',
        id: messageId,
        source: `//pubsub.googleapis.com/projects/diff-project/topics/${topic}`,
        type: 'google.cloud.pubsub.topic.v1.messagePublished',
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        data: {
          subscription: `projects/diff-project/subscriptions/eventarc-${functionName}`,
          message: {
            data: Buffer.from(body).toString('base64'),
            messageId,
            publishTime: new Date().toISOString(),
            attributes: {},
          },
          deliveryAttempt: attempt,
        },
      }),
    });
    await res.arrayBuffer();
    // Pub/Sub push: any 2xx acknowledges.
    if (res.status >= 200 && res.status < 300)
      return { refused, acknowledged: true, endedIn: 'acknowledged' };
    refused++;
  }
  if (!deadLetter)
    return { refused, acknowledged: false, endedIn: 'no dead-letter policy: dropped when retention ends' };
  return { refused, acknowledged: false, endedIn: `Pub/Sub topic ${deadLetter[1]}`, body };
}

export async function poisonNode(node: Front, queue: string, body: string): Promise<PoisonOutcome> {
  const sent = await fetch(`${node.url}/_polycloud/queues/${queue}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await sent.arrayBuffer();
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const letters = (await (await fetch(`${node.url}/_polycloud/dead-letters`)).json()) as {
      deliveries: number;
      source: string;
      body: string;
      bodyEncoding: 'utf8' | 'base64';
    }[];
    const letter = letters.find((l) => l.source === queue);
    if (letter)
      return {
        refused: letter.deliveries,
        acknowledged: false,
        endedIn: 'node broker dead letters',
        body: Buffer.from(letter.body, letter.bodyEncoding).toString(),
      };
    await new Promise((r) => setTimeout(r, 200));
  }
  return { refused: 0, acknowledged: true, endedIn: 'not dead-lettered within 30 s' };
}
