import type { App, PolycloudConfig, StorageEventType } from '@polycloud/core';
import {
  DEPLOY_NODE_MAJOR,
  type EventFunction,
  type HttpFunction,
  type ScheduleFunction,
  type StorageFunction,
} from '@polycloud/core/adapter';
import { APP_NAME_ENV, FUNCTION_NAMES_ENV, lambdaFunctionName } from '../clients/function-client.ts';
import { QUEUE_URLS_ENV } from '../clients/queue-client.ts';
import { TOPIC_ARNS_ENV } from '../clients/topic-client.ts';
import { toEventBridgeCron } from './sam-cron.ts';

export const LAMBDA_RUNTIME = `nodejs${DEPLOY_NODE_MAJOR}.x`;
export const LAMBDA_HANDLER = 'index.handler';
/** Lambda's own default is 3 s; polycloud's runtime assumes 30 s when a function sets none. */
export const DEFAULT_TIMEOUT_S = 30;
export const DEFAULT_MEMORY_MB = 128;

type Json = Record<string, unknown>;

export interface SamTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Transform: 'AWS::Serverless-2016-10-31';
  Description: string;
  Globals: Json;
  Resources: Record<string, Json>;
  Outputs?: Record<string, Json>;
}

/** S3 notification types per neutral storage event type. */
export const S3_EVENTS: Record<StorageEventType, string[]> = {
  created: ['s3:ObjectCreated:*'],
  deleted: ['s3:ObjectRemoved:*'],
  // A lifecycle transition moves the object to an archive storage class (Glacier, Deep Archive).
  archived: ['s3:LifecycleTransition'],
  metadataUpdated: ['s3:ObjectTagging:*', 's3:ObjectAcl:Put'],
};

/**
 * The AWS SAM template for an app: one `AWS::Serverless::Function` per function (code in
 * `functions/<name>`), its trigger as a SAM event, and the queues, topics and buckets those
 * triggers name, declared once each.
 */
export function samTemplate(app: App, config: PolycloudConfig): SamTemplate {
  const ids = new LogicalIds();
  const resources: Record<string, Json> = {};
  const shared = new Map<string, string>(); // "queue:orders" → logical id
  const deployedNames: Record<string, string> = {};
  for (const name of app.functions.keys()) deployedNames[name] = lambdaFunctionName(app.name, name, config);

  const declare = (kind: string, name: string, make: (id: string) => Json): string => {
    const key = `${kind}:${name}`;
    let id = shared.get(key);
    if (!id) {
      const suffix = { queue: 'Queue', dlq: 'DeadLetterQueue', topic: 'Topic' }[kind] ?? 'Bucket';
      id = ids.take(name, suffix);
      resources[id] = make(id);
      shared.set(key, id);
    }
    return id;
  };

  let hasHttp = false;
  for (const [name, def] of app.functions) {
    const id = ids.take(name, 'Function');
    const timeout = Math.ceil((def.options.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000) / 1000);
    let events: Record<string, Json>;
    switch (def.kind) {
      case 'http':
        hasHttp = true;
        events = httpEvents(def);
        break;
      case 'queue':
        events = queueEvents(
          declare('queue', def.queue, () =>
            queueResource(
              def.queue,
              timeout,
              declare('dlq', def.queue, () => deadLetterResource(def.queue)),
            ),
          ),
        );
        break;
      case 'topic':
        events = topicEvents(declare('topic', def.topic, () => topicResource(def.topic)));
        break;
      case 'storage':
        events = storageEvents(
          def,
          declare('bucket', def.bucket, () => bucketResource(def.bucket)),
        );
        break;
      case 'schedule':
        events = scheduleEvents(def, name);
        break;
      case 'event':
        events = eventBridgeEvents(def);
        break;
    }
    resources[id] = {
      Type: 'AWS::Serverless::Function',
      Properties: {
        FunctionName: deployedNames[name],
        CodeUri: `functions/${name}`,
        Handler: LAMBDA_HANDLER,
        Runtime: LAMBDA_RUNTIME,
        Timeout: timeout,
        MemorySize: def.options.memoryMb ?? DEFAULT_MEMORY_MB,
        // FunctionClient may call any function of the app (Lambda Invoke needs this permission).
        Policies: [
          {
            Statement: [
              {
                Effect: 'Allow',
                Action: 'lambda:InvokeFunction',
                Resource: Object.values(deployedNames).map((n) => ({
                  'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${n}`,
                })),
              },
            ],
          },
        ],
        Events: events,
      },
    };
  }

  // Queue and Topic find this app's queues and topics without lookups (and without the
  // GetQueueUrl/CreateTopic permissions): Ref gives a queue's URL and a topic's ARN.
  const queues: [string, string][] = [];
  const topics: [string, string][] = [];
  for (const [key, id] of shared) {
    const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (kind === 'queue') queues.push([name, id]);
    if (kind === 'topic') topics.push([name, id]);
  }
  const statements: Json[] = [];
  if (queues.length > 0) {
    statements.push({
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:GetQueueUrl'],
      Resource: queues.map(([, id]) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
    });
  }
  if (topics.length > 0) {
    statements.push({
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: topics.map(([, id]) => ({ Ref: id })),
    });
  }
  for (const resource of Object.values(resources) as {
    Type: string;
    Properties: { Policies?: { Statement: Json[] }[] };
  }[]) {
    if (resource.Type === 'AWS::Serverless::Function')
      resource.Properties.Policies![0]!.Statement.push(...statements);
  }
  // After the policies: the fallback never runs the app's code, so it calls and sends nothing.
  const fallback = routesFallback(app, config);
  if (fallback) resources[ids.take('polycloudRoutes', 'Function')] = fallback;
  const variables: Record<string, unknown> = {
    [APP_NAME_ENV]: app.name,
    [FUNCTION_NAMES_ENV]: JSON.stringify(deployedNames),
  };
  if (queues.length > 0) variables[QUEUE_URLS_ENV] = subJson(queues);
  if (topics.length > 0) variables[TOPIC_ARNS_ENV] = subJson(topics);

  const template: SamTemplate = {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Description: `polycloud app ${app.name}`,
    Globals: {
      Function: {
        Architectures: ['arm64'],
        Environment: {
          Variables: variables,
        },
      },
    },
    Resources: resources,
  };
  if (hasHttp) {
    template.Outputs = {
      HttpApiUrl: {
        Description: 'Base URL of the HTTP API',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
        Value: { 'Fn::Sub': 'https://${ServerlessHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}' },
      },
    };
  }
  return template;
}

/** A JSON object `{ name: <Ref of id> }` as an Fn::Sub string, resolved by CloudFormation at deploy time. */
function subJson(entries: [string, string][]): Json {
  const body = entries.map(([name, id]) => `${JSON.stringify(name)}:"\${${id}}"`).join(',');
  return { 'Fn::Sub': `{${body}}` };
}

/** `:id` → `{id}`; a trailing `*` → `{proxy+}` plus the bare prefix, since `*` also matches nothing. */
export function httpApiPaths(path: string): string[] {
  const segments = path.split('/').slice(1);
  const converted = segments.map((s) => (s.startsWith(':') ? `{${s.slice(1)}}` : s));
  if (segments.at(-1) !== '*') return [`/${converted.join('/')}`];
  const prefix = converted.slice(0, -1);
  return [`/${prefix.join('/')}`, `/${[...prefix, '{proxy+}'].join('/')}`];
}

function httpEvents(def: HttpFunction): Record<string, Json> {
  const methods = def.route.methods.length === 0 ? ['ANY'] : [...def.route.methods];
  // polycloud's router answers HEAD with the GET handler; an HTTP API routes HEAD only when declared.
  if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
  const events: Record<string, Json> = {};
  const ids = new LogicalIds();
  for (const path of httpApiPaths(def.route.path)) {
    for (const method of methods) {
      events[ids.take(`${method} ${path === '/' ? 'root' : path}`, 'Http')] = {
        Type: 'HttpApi',
        Properties: { Path: path, Method: method },
      };
    }
  }
  return events;
}

/**
 * An HTTP API answers a request no route matches with its own `404 {"message":"Not Found"}` and
 * has no 405: a wrong method on a declared path would differ from node (`405` with `Allow`). So
 * the catch-all routes (`ANY /`, `ANY /{proxy+}`, each unless the app declares it) go to one more
 * function running the first http function's bundle: every request reaching it is outside that
 * function's route, which core answers the way the node router does (405 with `Allow` from the
 * whole app's routes, else 404). Its invocations are what unrouted traffic costs.
 */
function routesFallback(app: App, config: PolycloudConfig): Json | undefined {
  const http = [...app.functions].filter(
    (entry): entry is [string, HttpFunction] => entry[1].kind === 'http',
  );
  const first = http[0];
  if (!first) return undefined;
  const declared = new Set(
    http.flatMap(([, def]) => (def.route.methods.length === 0 ? httpApiPaths(def.route.path) : [])),
  );
  const events: Record<string, Json> = {};
  for (const [id, path] of [
    ['ANYRootHttp', '/'],
    ['ANYProxyHttp', '/{proxy+}'],
  ] as const)
    if (!declared.has(path)) events[id] = { Type: 'HttpApi', Properties: { Path: path, Method: 'ANY' } };
  if (Object.keys(events).length === 0) return undefined;
  return {
    Type: 'AWS::Serverless::Function',
    Properties: {
      FunctionName: lambdaFunctionName(app.name, 'polycloud-routes', config),
      CodeUri: `functions/${first[0]}`,
      Handler: LAMBDA_HANDLER,
      Runtime: LAMBDA_RUNTIME,
      Timeout: 10,
      MemorySize: DEFAULT_MEMORY_MB,
      Events: events,
    },
  };
}

/**
 * Deliveries of a message before SQS moves it to the queue's dead-letter queue: the node broker's
 * default, and the Azure host's maxDequeueCount before its poison queue.
 */
export const MAX_RECEIVE_COUNT = 5;

function queueResource(queue: string, functionTimeoutS: number, deadLetterId: string): Json {
  // SQS rejects the mapping when the visibility timeout is below the function timeout; AWS advises 6×.
  const visibility = Math.min(43_200, Math.max(30, functionTimeoutS * 6));
  return {
    Type: 'AWS::SQS::Queue',
    Properties: {
      QueueName: queue,
      VisibilityTimeout: visibility,
      ...(queue.endsWith('.fifo') ? { FifoQueue: true } : {}),
      // Without a redrive policy a message that always fails is redelivered until the retention
      // period (4 days) ends and then deleted: it would vanish where node and Azure dead-letter it.
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
        maxReceiveCount: MAX_RECEIVE_COUNT,
      },
    },
  };
}

/** `<queue>-dlq` (`<name>-dlq.fifo` for a FIFO queue: a FIFO queue's DLQ must be FIFO), kept 14 days. */
function deadLetterResource(queue: string): Json {
  const fifo = queue.endsWith('.fifo');
  return {
    Type: 'AWS::SQS::Queue',
    Properties: {
      QueueName: fifo ? `${queue.slice(0, -'.fifo'.length)}-dlq.fifo` : `${queue}-dlq`,
      MessageRetentionPeriod: 1_209_600,
      ...(fifo ? { FifoQueue: true } : {}),
    },
  };
}

function queueEvents(queueId: string): Record<string, Json> {
  return {
    Queue: {
      Type: 'SQS',
      Properties: {
        Queue: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: 10,
        // Failed messages are reported one by one; the rest of the batch is deleted.
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
    },
  };
}

function topicResource(topic: string): Json {
  return {
    Type: 'AWS::SNS::Topic',
    Properties: { TopicName: topic, ...(topic.endsWith('.fifo') ? { FifoTopic: true } : {}) },
  };
}

function topicEvents(topicId: string): Record<string, Json> {
  return { Topic: { Type: 'SNS', Properties: { Topic: { Ref: topicId } } } };
}

function bucketResource(bucket: string): Json {
  return { Type: 'AWS::S3::Bucket', Properties: { BucketName: bucket } };
}

function storageEvents(def: StorageFunction, bucketId: string): Record<string, Json> {
  const events: Record<string, Json> = {};
  for (const type of def.events) {
    events[`Storage${type[0]!.toUpperCase()}${type.slice(1)}`] = {
      Type: 'S3',
      Properties: { Bucket: { Ref: bucketId }, Events: S3_EVENTS[type] },
    };
  }
  return events;
}

function scheduleEvents(def: ScheduleFunction, functionName: string): Record<string, Json> {
  const expression = toEventBridgeCron(def.cron, `function ${functionName}: schedule "${def.name}"`);
  if (def.timezone) {
    // Only EventBridge Scheduler (SAM ScheduleV2) evaluates cron in a time zone; rules are UTC.
    return {
      Schedule: {
        Type: 'ScheduleV2',
        Properties: { ScheduleExpression: expression, ScheduleExpressionTimezone: def.timezone },
      },
    };
  }
  return { Schedule: { Type: 'Schedule', Properties: { Schedule: expression, Enabled: true } } };
}

function eventBridgeEvents(def: EventFunction): Record<string, Json> {
  const pattern: Json = {};
  if (def.types.length > 0) pattern['detail-type'] = [...def.types];
  if (def.source) pattern.source = [def.source];
  // A rule needs at least one field to match; a prefix of "" matches every event.
  if (Object.keys(pattern).length === 0) pattern.source = [{ prefix: '' }];
  return { Events: { Type: 'EventBridgeRule', Properties: { Pattern: pattern } } };
}

/** CloudFormation logical ids are alphanumeric and unique in the template. */
class LogicalIds {
  readonly #taken = new Set<string>();

  take(name: string, suffix: string): string {
    const base =
      name
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('') + suffix;
    let id = base;
    for (let n = 2; this.#taken.has(id); n++) id = `${base}${n}`;
    this.#taken.add(id);
    return id;
  }
}
