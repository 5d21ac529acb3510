/**
 * An event sent to the wrong function says what it is. Each real payload in test/fixtures/aws (from the
 * AWS docs, Powertools and aws-lambda-go; see SOURCES.md) is sent to a function whose trigger does not
 * accept it, and the error must name the payload's kind the way the Lambda developer guide names the
 * service ("Using Lambda with …"), the function, its trigger kind and the payload's top-level keys.
 */
import { defineApp, http, InvalidEventError, queue, schedule } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { CAPTURE_FUNCTION, captureApp } from '../support/capture-app.ts';
import { allFixtures, fixture } from '../support/fixtures.ts';
import { lambdaContext } from '../support/lambda-context.ts';

/** What each fixture is, as the error must name it. */
const KIND_OF_FIXTURE: [RegExp, string][] = [
  [/^alb\//, 'an ALB request'],
  [/^apigw-authorizer\//, 'an API Gateway authorizer request'],
  [/^apigw-http\//, 'an API Gateway HTTP API (v2) request'],
  [/^apigw-rest\//, 'an API Gateway REST (v1) request'],
  // Powertools' "connect" event is the REQUEST authorizer call of a WebSocket $connect (type, methodArn).
  [/^apigw-websocket\/powertools-ts-connect/, 'an API Gateway authorizer request'],
  [/^apigw-websocket\//, 'an API Gateway WebSocket event'],
  [/^appsync\//, 'an AppSync resolver event'],
  [/^cloudformation\//, 'a CloudFormation custom resource request'],
  [/^cloudwatch-logs\//, 'a CloudWatch Logs subscription event'],
  [/^cognito\//, 'a Cognito user pool trigger'],
  [/^dynamodb-streams\//, 'a DynamoDB Streams batch'],
  [/^eventbridge\/powertools-py-scheduled-event/, 'an EventBridge scheduled event'],
  [/^eventbridge\/powertools-ts-base/, 'an EventBridge event (source "aws.ec2")'],
  [/^function-url\//, 'a Lambda Function URL request'],
  [/^kafka\//, 'a Kafka batch'],
  [/^kinesis\/powertools-ts-firehose/, 'a Kinesis Data Firehose transformation request'],
  [/^kinesis\//, 'a Kinesis batch'],
  [/^mq\//, 'an Amazon MQ batch'],
  [/^s3\/powertools-ts-eventbridge-/, 'an S3 event via EventBridge'],
  [/^s3\/powertools-ts-object-temp-credentials/, 'an S3 Object Lambda request'],
  [/^s3\/powertools-ts-via-sqs/, 'an SQS batch'],
  [/^s3\//, 'an S3 notification'],
  [/^ses\//, 'an SES receipt event'],
  [/^sns\//, 'an SNS notification'],
  [/^sqs\//, 'an SQS batch'],
  [/^vpc-lattice\//, 'a VPC Lattice request'],
];

async function rejection(fn: string, event: unknown, app = defineApp({ functions: FUNCTIONS })) {
  const error = await createLambda(app, { logWriter: () => undefined })
    .handler(fn)(event, lambdaContext({ functionName: fn }))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error, `${fn} accepted ${JSON.stringify(event).slice(0, 80)}`).toBeInstanceOf(InvalidEventError);
  return (error as Error).message;
}

const FUNCTIONS = {
  web: http('ANY /*', () => 'ok'),
  jobs: queue('jobs', () => undefined),
  nightly: schedule('nightly', '0 3 * * *', () => undefined),
};

describe('every real payload sent to a function that does not take it is named', () => {
  for (const file of allFixtures()) {
    const kind = KIND_OF_FIXTURE.find(([re]) => re.test(file))?.[1];
    it(`${file}: ${kind}`, async () => {
      expect(kind, `no expectation for ${file}`).toBeDefined();
      const payload = fixture(file);
      // A schedule function takes only scheduled events; the scheduled event goes to a queue function.
      const fn = kind === 'an EventBridge scheduled event' ? 'jobs' : 'nightly';
      const message = await rejection(fn, payload);
      expect(message).toContain(`; got ${kind} with top-level keys [`);
    });
  }
});

describe('payloads no fixture covers', () => {
  const named = async (event: unknown) => (await rejection('nightly', event)).split('; got ')[1];
  it('a CodeCommit trigger and a records batch of an unknown source', async () => {
    expect(await named({ Records: [{ eventSource: 'aws:codecommit' }] })).toBe(
      'a CodeCommit event with top-level keys [Records]',
    );
    expect(await named({ Records: [{ eventSource: 'aws:newservice' }] })).toBe(
      'a "aws:newservice" batch with top-level keys [Records]',
    );
    expect(await named({ Records: [{ eventSource: 'x'.repeat(100) }] })).toBe(
      `a "${'x'.repeat(64)}…(100 chars)" batch with top-level keys [Records]`,
    );
  });
  it('records that name no source are not a batch of anything', async () => {
    for (const Records of [[], [null], [{ eventSource: 7 }], 'Records']) {
      expect(await named({ Records })).toBe('top-level keys [Records]');
    }
  });
  it('SNS names its source `EventSource`', async () => {
    expect(await named({ Records: [{ EventSource: 'aws:sns' }] })).toBe(
      'an SNS notification with top-level keys [Records]',
    );
  });
  it('authorizer requests of every form: methodArn (REST), routeArn (HTTP API), TOKEN and REQUEST types', async () => {
    for (const event of [{ methodArn: 'arn' }, { routeArn: 'arn' }, { type: 'TOKEN' }, { type: 'REQUEST' }]) {
      expect(await named(event)).toMatch(/^an API Gateway authorizer request with /);
    }
    expect(await named({ type: 'OTHER' })).toBe('top-level keys [type]');
  });
  it('WebSocket requests carry connectionId or eventType in requestContext', async () => {
    for (const requestContext of [{ connectionId: 'c' }, { eventType: 'MESSAGE' }]) {
      expect(await named({ requestContext })).toMatch(/^an API Gateway WebSocket event with /);
    }
  });
  it('an HTTP-looking event without requestContext is not a front door request', async () => {
    expect(await named({ httpMethod: 'GET', path: '/' })).toBe('top-level keys [httpMethod, path]');
    expect(await named({ version: '2.0', rawPath: '/' })).toBe('top-level keys [version, rawPath]');
    expect(await named({ version: '1.0', requestContext: { http: {} } })).toBe(
      'top-level keys [version, requestContext]',
    );
    expect(await named({ requestContext: { elb: 'arn' } })).toBe('top-level keys [requestContext]');
  });
  it('an HTTP API event on a domain that is no Function URL is an HTTP API request', async () => {
    expect(await named({ version: '2.0', requestContext: { http: {}, domainName: 7 } })).toMatch(
      /^an API Gateway HTTP API \(v2\) request/,
    );
  });
  it('Kafka and Amazon MQ name their source at the top level', async () => {
    expect(await named({ eventSource: 'SelfManagedKafka' })).toMatch(/^a Kafka batch/);
    expect(await named({ eventSource: 'aws:kafka' })).toMatch(/^a Kafka batch/);
    expect(await named({ eventSource: 'aws:SelfManagedKafka' })).toMatch(/^a Kafka batch/);
    expect(await named({ eventSource: 'aws:mq' })).toMatch(/^an Amazon MQ batch/);
    expect(await named({ eventSource: 'aws:rmq' })).toMatch(/^an Amazon MQ batch/);
  });
  it('half a signature is no match: Cognito, CloudFormation, AppSync, EventBridge each need both fields', async () => {
    expect(await named({ triggerSource: 'PreSignUp_SignUp' })).toBe('top-level keys [triggerSource]');
    expect(await named({ userPoolId: 'p' })).toBe('top-level keys [userPoolId]');
    expect(await named({ RequestType: 'Create' })).toBe('top-level keys [RequestType]');
    expect(await named({ ResponseURL: 'https://x' })).toBe('top-level keys [ResponseURL]');
    expect(await named({ info: {} })).toBe('top-level keys [info]');
    expect(await named({ arguments: {} })).toBe('top-level keys [arguments]');
    expect(await named({ 'detail-type': 'x', source: 'y' })).toBe('top-level keys [detail-type, source]');
    expect(await named({ source: 'y', detail: {} })).toBe('top-level keys [source, detail]');
    expect(await named({ 'detail-type': 'x', detail: {} })).toBe('top-level keys [detail-type, detail]');
  });
});

describe('the keys of an unknown payload', () => {
  const keys = async (event: unknown) => (await rejection('web', event)).split('; got ')[1];
  it('an empty object, a number and a boolean', async () => {
    expect(await keys({})).toBe('an empty object');
    expect(await keys(42)).toBe('a number');
    expect(await keys(true)).toBe('a boolean');
  });
  it('at most 15 keys, each clipped to 40 characters, then how many more', async () => {
    const event = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i]));
    expect(await keys(event)).toBe(
      `top-level keys [${Array.from({ length: 15 }, (_, i) => `k${i}`).join(', ')}, … 2 more]`,
    );
    const fifteen = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, i]));
    expect(await keys(fifteen)).not.toContain('more');
    expect(await keys({ ['a'.repeat(50)]: 1 })).toBe(`top-level keys [${'a'.repeat(40)}…(50 chars)]`);
  });
});

describe('what each trigger kind accepts', () => {
  it('every kind names the sources it takes', async () => {
    const { app } = captureApp();
    const expected: Record<keyof typeof CAPTURE_FUNCTION, string> = {
      http: 'API Gateway REST (v1) and HTTP API (v2) requests, ALB requests and Lambda Function URL requests',
      queue: 'SQS, Kinesis and DynamoDB Streams batches',
      topic: 'SNS notifications and SQS batches of SNS messages',
      storage: 'S3 notifications (direct, via SQS, via SNS) and S3 events via EventBridge',
      schedule: 'EventBridge scheduled events (rules and EventBridge Scheduler)',
      event: 'EventBridge events',
    };
    for (const [kind, sources] of Object.entries(expected)) {
      const fn = CAPTURE_FUNCTION[kind as keyof typeof CAPTURE_FUNCTION];
      expect(await rejection(fn, { orderId: 7 }, app)).toBe(
        `event: function "${fn}" (${kind} trigger) accepts ${sources}; got top-level keys [orderId]`,
      );
    }
  });
});
