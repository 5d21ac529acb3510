import { defineApp, event, http, queue, schedule, storage, topic } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';
import echo from '@polycloud/example-echo';
import { describe, expect, it } from 'vitest';
import { httpApiPaths, samTemplate } from '../../src/build/sam-template.ts';
import { toYaml } from '../../src/build/sam-yaml.ts';
import { functionNameFromEnv, lambdaFunctionName } from '../../src/clients/function-client.ts';
import { parseYaml, samValidator } from '../support/sam-schema.ts';

const validate = samValidator();
const awsConfig = (providers: Record<string, unknown> = {}) =>
  resolveConfig({ provider: 'aws', providers: { aws: providers } }, {});

const shop = defineApp({
  name: 'shop',
  functions: {
    getTodo: http('GET /todos/:id', () => 'ok', { timeoutMs: 10_500, memoryMb: 512 }),
    files: http('PUT,DELETE /files/*', () => 'ok'),
    home: http('/', () => 'ok'),
    orders: queue('orders.fifo', () => {}, { timeoutMs: 60_000 }),
    ordersAudit: queue('orders.fifo', () => {}),
    notify: topic('order-events', () => {}),
    uploads: storage('shop-uploads', () => {}, { events: ['created', 'deleted'] }),
    nightly: schedule('nightly', '0 3 * * 1-5', () => {}),
    berlin: schedule('berlin', '0 8 * * *', () => {}, { timezone: 'Europe/Berlin' }),
    shipped: event({ type: ['order.shipped', 'order.lost'], source: 'shop.orders' }, () => {}),
    anything: event({}, () => {}),
  },
});

type Fn = { Type: string; Properties: Record<string, any> };
const fn = (t: { Resources: Record<string, unknown> }, id: string) => t.Resources[id] as Fn;

describe('SAM template', () => {
  it('for examples/echo: validates against the SAM schema and reads back as written', () => {
    const template = samTemplate(echo, awsConfig());
    expect(validate(template)).toEqual([]);
    expect(parseYaml(toYaml(template))).toEqual(JSON.parse(JSON.stringify(template)));
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Serverless::Function');
    // The app's six, and the fallback on the catch-all routes (API Gateway has no 405 of its own).
    expect(functions).toHaveLength(7);
    expect(fn(template, 'PolycloudRoutesFunction').Properties).toEqual({
      FunctionName: 'echo-polycloud-routes',
      CodeUri: 'functions/echoHttp',
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Timeout: 10,
      MemorySize: 128,
      Events: {
        ANYRootHttp: { Type: 'HttpApi', Properties: { Path: '/', Method: 'ANY' } },
        ANYProxyHttp: { Type: 'HttpApi', Properties: { Path: '/{proxy+}', Method: 'ANY' } },
      },
    });
    for (const f of (functions as Fn[]).filter((f) => f !== fn(template, 'PolycloudRoutesFunction'))) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler', Timeout: 30 });
      expect(f.Properties.CodeUri).toMatch(/^functions\/echo[A-Z][a-z]+$/);
    }
    expect(fn(template, 'EchoHttpFunction').Properties).toMatchObject({
      FunctionName: 'echo-echoHttp',
      Events: {
        ANYEchoHttp: { Type: 'HttpApi', Properties: { Path: '/echo', Method: 'ANY' } },
        ANYEchoProxyHttp: { Type: 'HttpApi', Properties: { Path: '/echo/{proxy+}', Method: 'ANY' } },
      },
    });
    expect(fn(template, 'EchoScheduleFunction').Properties.Events).toEqual({
      Schedule: { Type: 'Schedule', Properties: { Schedule: 'cron(0/5 * * * ? *)', Enabled: true } },
    });
    expect(fn(template, 'EchoStorageFunction').Properties.Events).toMatchObject({
      StorageCreated: { Properties: { Bucket: { Ref: 'EchoBucketBucket' }, Events: ['s3:ObjectCreated:*'] } },
      StorageDeleted: { Properties: { Events: ['s3:ObjectRemoved:*'] } },
      StorageArchived: { Properties: { Events: ['s3:LifecycleTransition'] } },
      StorageMetadataUpdated: { Properties: { Events: ['s3:ObjectTagging:*', 's3:ObjectAcl:Put'] } },
    });
    expect(fn(template, 'EchoEventFunction').Properties.Events).toEqual({
      Events: { Type: 'EventBridgeRule', Properties: { Pattern: { 'detail-type': ['com.example.echo'] } } },
    });
    expect(template.Globals).toEqual({
      Function: {
        Architectures: ['arm64'],
        Environment: {
          Variables: {
            POLYCLOUD_APP: 'echo',
            POLYCLOUD_AWS_FUNCTION_NAMES: JSON.stringify({
              echoHttp: 'echo-echoHttp',
              echoQueue: 'echo-echoQueue',
              echoTopic: 'echo-echoTopic',
              echoStorage: 'echo-echoStorage',
              echoSchedule: 'echo-echoSchedule',
              echoEvent: 'echo-echoEvent',
            }),
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholder
            POLYCLOUD_AWS_QUEUE_URLS: { 'Fn::Sub': '{"echo-queue":"${EchoQueueQueue}"}' },
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholder
            POLYCLOUD_AWS_TOPIC_ARNS: { 'Fn::Sub': '{"echo-topic":"${EchoTopicTopic}"}' },
          },
        },
      },
    });
  });

  it('maps every trigger kind, declares each queue/topic/bucket once, and names functions from config', () => {
    const template = samTemplate(shop, awsConfig({ functionNames: { nightly: 'shop-nightly-batch' } }));
    expect(validate(template)).toEqual([]);
    expect(parseYaml(toYaml(template))).toEqual(JSON.parse(JSON.stringify(template)));

    expect(fn(template, 'GetTodoFunction').Properties).toMatchObject({
      FunctionName: 'shop-getTodo',
      Timeout: 11,
      MemorySize: 512,
      Events: {
        GETTodosIdHttp: { Type: 'HttpApi', Properties: { Path: '/todos/{id}', Method: 'GET' } },
        HEADTodosIdHttp: { Type: 'HttpApi', Properties: { Path: '/todos/{id}', Method: 'HEAD' } },
      },
    });
    expect(Object.values(fn(template, 'FilesFunction').Properties.Events)).toEqual([
      { Type: 'HttpApi', Properties: { Path: '/files', Method: 'PUT' } },
      { Type: 'HttpApi', Properties: { Path: '/files', Method: 'DELETE' } },
      { Type: 'HttpApi', Properties: { Path: '/files/{proxy+}', Method: 'PUT' } },
      { Type: 'HttpApi', Properties: { Path: '/files/{proxy+}', Method: 'DELETE' } },
    ]);
    expect(Object.values(fn(template, 'HomeFunction').Properties.Events)).toEqual([
      { Type: 'HttpApi', Properties: { Path: '/', Method: 'ANY' } },
    ]);

    const queues = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
    // Each queue dead-letters after 5 deliveries (as node and Azure do), into a FIFO DLQ for a FIFO queue.
    expect(queues).toEqual([
      [
        'OrdersFifoDeadLetterQueue',
        {
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: 'orders-dlq.fifo', MessageRetentionPeriod: 1_209_600, FifoQueue: true },
        },
      ],
      [
        'OrdersFifoQueue',
        {
          Type: 'AWS::SQS::Queue',
          Properties: {
            QueueName: 'orders.fifo',
            VisibilityTimeout: 360,
            FifoQueue: true,
            RedrivePolicy: {
              deadLetterTargetArn: { 'Fn::GetAtt': ['OrdersFifoDeadLetterQueue', 'Arn'] },
              maxReceiveCount: 5,
            },
          },
        },
      ],
    ]);
    for (const id of ['OrdersFunction', 'OrdersAuditFunction']) {
      expect(fn(template, id).Properties.Events).toEqual({
        Queue: {
          Type: 'SQS',
          Properties: {
            Queue: { 'Fn::GetAtt': ['OrdersFifoQueue', 'Arn'] },
            BatchSize: 10,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
          },
        },
      });
    }
    expect(template.Resources.OrderEventsTopic).toEqual({
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: 'order-events' },
    });
    expect(fn(template, 'NotifyFunction').Properties.Events).toEqual({
      Topic: { Type: 'SNS', Properties: { Topic: { Ref: 'OrderEventsTopic' } } },
    });
    expect(template.Resources.ShopUploadsBucket).toEqual({
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: 'shop-uploads' },
    });
    expect(Object.keys(fn(template, 'UploadsFunction').Properties.Events)).toEqual([
      'StorageCreated',
      'StorageDeleted',
    ]);
    expect(fn(template, 'NightlyFunction').Properties).toMatchObject({
      FunctionName: 'shop-nightly-batch',
      Events: { Schedule: { Type: 'Schedule', Properties: { Schedule: 'cron(0 3 ? * 2-6 *)' } } },
    });
    expect(fn(template, 'BerlinFunction').Properties.Events).toEqual({
      Schedule: {
        Type: 'ScheduleV2',
        Properties: { ScheduleExpression: 'cron(0 8 * * ? *)', ScheduleExpressionTimezone: 'Europe/Berlin' },
      },
    });
    expect(fn(template, 'ShippedFunction').Properties.Events.Events.Properties.Pattern).toEqual({
      'detail-type': ['order.shipped', 'order.lost'],
      source: ['shop.orders'],
    });
    expect(fn(template, 'AnythingFunction').Properties.Events.Events.Properties.Pattern).toEqual({
      source: [{ prefix: '' }],
    });
    // Each function may invoke every function of the app (FunctionClient), by its deployed name.
    const resources = fn(template, 'HomeFunction').Properties.Policies[0].Statement[0].Resource;
    expect(resources).toHaveLength(shop.functions.size);
    expect(resources).toContainEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:shop-nightly-batch',
    });
    expect(
      JSON.parse((template.Globals as any).Function.Environment.Variables.POLYCLOUD_AWS_FUNCTION_NAMES),
    ).toMatchObject({ getTodo: 'shop-getTodo', nightly: 'shop-nightly-batch' });
  });

  it("deployed functions find each other by the template's names: FunctionClient and FunctionName agree", () => {
    for (const providers of [{}, { functionNames: { nightly: 'shop-nightly-batch', home: 'www' } }]) {
      const template = samTemplate(shop, awsConfig(providers));
      const env = (template.Globals as any).Function.Environment.Variables as NodeJS.ProcessEnv;
      const nameFor = functionNameFromEnv(env);
      for (const name of shop.functions.keys()) {
        const resource = Object.values(template.Resources).find(
          (r) => (r.Properties as any)?.CodeUri === `functions/${name}`,
        ) as Fn;
        expect(nameFor(name)).toBe(resource.Properties.FunctionName);
        expect(lambdaFunctionName('shop', name, awsConfig(providers))).toBe(resource.Properties.FunctionName);
      }
    }
    // Without the map, POLYCLOUD_APP alone gives the default rule; with nothing, the name is used as is.
    expect(functionNameFromEnv({ POLYCLOUD_APP: 'shop' })('home')).toBe('shop-home');
    expect(functionNameFromEnv({})('home')).toBe('home');
    expect(() => functionNameFromEnv({ POLYCLOUD_AWS_FUNCTION_NAMES: '{oops' })).toThrow(
      /POLYCLOUD_AWS_FUNCTION_NAMES is not JSON/,
    );
  });

  it('the schema check is not vacuous: an SQS event without its queue fails', () => {
    const template = samTemplate(shop, awsConfig());
    delete fn(template, 'OrdersFunction').Properties.Events.Queue.Properties.Queue;
    expect(validate(template).length).toBeGreaterThan(0);
  });

  it('names the failing schedule and config path', () => {
    const bad = defineApp({ name: 'x', functions: { both: schedule('both', '0 0 1 * 1', () => {}) } });
    expect(() => samTemplate(bad, awsConfig())).toThrow(/function both: schedule "both"/);
    expect(() => samTemplate(shop, awsConfig({ functionNames: { home: 'no spaces allowed' } }))).toThrow(
      /providers\.aws\.functionNames\.home must be a Lambda function name/,
    );
  });

  it('converts route paths to HTTP API paths', () => {
    expect(httpApiPaths('/todos/:id/items/:item')).toEqual(['/todos/{id}/items/{item}']);
    expect(httpApiPaths('/*')).toEqual(['/', '/{proxy+}']);
    expect(httpApiPaths('/a/b/*')).toEqual(['/a/b', '/a/b/{proxy+}']);
  });
});

describe('YAML emitter', () => {
  it('quotes whatever a YAML reader would change and reads back every value', () => {
    const value = {
      plain: 'AWS::Serverless::Function',
      date: '2010-09-09',
      number: '128',
      bool: 'yes',
      off: 'Off',
      nul: 'null',
      colon: 'a: b',
      hash: 'x #y',
      star: 's3:ObjectCreated:*',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      sub: 'arn:${AWS::Partition}:lambda',
      json: '{"a":"b"}',
      unicode: 'grüße ✓\n\t"quoted"',
      leading: '- dash',
      empty: '',
      emptyList: [],
      emptyMap: {},
      nested: [{ a: [1, 2, { b: [] }] }, [['x']], null, true, 1.5, -3],
      'key with space': { 'detail-type': ['a'] },
    };
    expect(parseYaml(toYaml(value))).toEqual(value);
  });

  it('writes block style', () => {
    expect(toYaml({ A: { B: [{ C: 1, D: 'x' }, 'z', 'y'] } })).toBe(
      'A:\n  B:\n    - C: 1\n      D: x\n    - z\n    - "y"\n',
    );
  });
});

describe('Queue and Topic wiring in the template', () => {
  it('gives every function the URLs and ARNs of the app queues and topics, and the rights to use them', () => {
    const app = defineApp({
      name: 'shop',
      functions: {
        web: http('POST /orders', () => ({ status: 202 })),
        work: queue('orders.fifo', () => undefined),
        notify: topic('order-events', () => undefined),
      },
    });
    const template = samTemplate(app, { provider: 'aws', providers: {} });
    const vars = (template.Globals as { Function: { Environment: { Variables: Record<string, unknown> } } })
      .Function.Environment.Variables;
    const queueId = Object.entries(template.Resources).find(
      ([, r]) =>
        (r as { Type: string }).Type === 'AWS::SQS::Queue' &&
        (r as { Properties: { QueueName: string } }).Properties.QueueName === 'orders.fifo',
    )![0];
    const topicId = Object.entries(template.Resources).find(
      ([, r]) => (r as { Type: string }).Type === 'AWS::SNS::Topic',
    )![0];
    expect(vars.POLYCLOUD_AWS_QUEUE_URLS).toEqual({ 'Fn::Sub': `{"orders.fifo":"\${${queueId}}"}` });
    expect(vars.POLYCLOUD_AWS_TOPIC_ARNS).toEqual({ 'Fn::Sub': `{"order-events":"\${${topicId}}"}` });
    const web = Object.values(template.Resources).find(
      (r) => (r as { Properties?: { FunctionName?: string } }).Properties?.FunctionName === 'shop-web',
    ) as {
      Properties: { Policies: { Statement: { Action: unknown; Resource: unknown }[] }[] };
    };
    const statements = web.Properties.Policies[0]!.Statement;
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:GetQueueUrl'],
      Resource: [{ 'Fn::GetAtt': [queueId, 'Arn'] }],
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: [{ Ref: topicId }],
    });
    expect(samValidator()(template)).toEqual([]);
  });
});
