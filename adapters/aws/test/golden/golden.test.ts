/**
 * Golden tests: every relevant real payload in test/fixtures/aws goes through the real Lambda
 * handler of a capture app; the neutral event the function received and the native answer are
 * compared with the reviewed JSON under test/golden/. `POLYCLOUD_UPDATE_GOLDENS=1` rewrites them
 * (then review every diff by hand: a golden regenerated blindly is no test).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidEventError } from '@polycloud/core';
import { goldenUpdateRequested } from '@polycloud/testing';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { CAPTURE_FUNCTION, captureApp } from '../support/capture-app.ts';
import { allFixtures, fixture } from '../support/fixtures.ts';
import { lambdaContext } from '../support/lambda-context.ts';

type Kind = keyof typeof CAPTURE_FUNCTION;
const GOLDEN_DIR = dirname(fileURLToPath(import.meta.url));
const UPDATE = goldenUpdateRequested('POLYCLOUD_UPDATE_GOLDENS');

/** Which trigger kinds each supported payload is delivered to. */
const SUPPORTED: Record<string, Kind[]> = {
  'alb/lambda-go-headers-only.json': ['http'],
  'alb/lambda-go-multivalue-headers.json': ['http'],
  'alb/powertools-py-multivalue-query.json': ['http'],
  'alb/powertools-ts-base.json': ['http'],
  'alb/powertools-ts-multi-fields.json': ['http'],
  'apigw-http/lambda-go-jwt-authorizer.json': ['http'],
  'apigw-http/lambda-go-no-authorizer.json': ['http'],
  'apigw-http/powertools-py-cookies-multivalue-query.json': ['http'],
  'apigw-http/powertools-ts-iam-auth.json': ['http'],
  'apigw-http/powertools-ts-jwt-authorizer-auth.json': ['http'],
  'apigw-http/powertools-ts-lambda-authorizer-auth.json': ['http'],
  'apigw-http/powertools-ts-no-auth.json': ['http'],
  'apigw-rest/lambda-go-openapi-request.json': ['http'],
  'apigw-rest/lambda-go-request.json': ['http'],
  'apigw-rest/powertools-py-base64-body.json': ['http'],
  'apigw-rest/powertools-py-multivalue-query.json': ['http'],
  'apigw-rest/powertools-ts-console-test-ui.json': ['http'],
  'apigw-rest/powertools-ts-iam-auth.json': ['http'],
  'apigw-rest/powertools-ts-lambda-authorizer-auth.json': ['http'],
  'apigw-rest/powertools-ts-no-auth.json': ['http'],
  'dynamodb-streams/lambda-go-event.json': ['queue'],
  'dynamodb-streams/lambda-go-time-window.json': ['queue'],
  'dynamodb-streams/powertools-ts-base.json': ['queue'],
  'eventbridge/powertools-py-scheduled-event.json': ['schedule', 'event'],
  'eventbridge/powertools-ts-base.json': ['event'],
  'function-url/lambda-go-captured-base64-body.json': ['http'],
  'function-url/lambda-go-captured-cookies-text-body.json': ['http'],
  'function-url/lambda-go-captured-get-trailing-slash.json': ['http'],
  'function-url/lambda-go-captured-get.json': ['http'],
  'function-url/lambda-go-request.json': ['http'],
  'function-url/powertools-ts-base.json': ['http'],
  'function-url/powertools-ts-iam-auth.json': ['http'],
  'kinesis/lambda-go-event.json': ['queue'],
  'kinesis/powertools-ts-stream-cloudwatch-logs.json': ['queue'],
  'kinesis/powertools-ts-stream.json': ['queue'],
  's3/docs-plus-and-encoded-plus-keys.json': ['storage'],
  's3/lambda-go-event.json': ['storage'],
  's3/lambda-go-replication.json': ['storage'],
  's3/powertools-ts-base.json': ['storage'],
  's3/powertools-ts-delete-object.json': ['storage'],
  's3/powertools-ts-eventbridge-object-created.json': ['storage', 'event'],
  's3/powertools-ts-eventbridge-object-deleted.json': ['storage'],
  's3/powertools-ts-glacier.json': ['storage'],
  's3/powertools-ts-lifecycle.json': ['storage'],
  's3/powertools-ts-url-encoded-key.json': ['storage'],
  's3/powertools-ts-via-sqs.json': ['storage'],
  'sns/lambda-go-event.json': ['topic'],
  'sns/powertools-ts-base.json': ['topic'],
  'sqs/lambda-go-event.json': ['queue'],
  'sqs/powertools-py-dlq-trigger.json': ['queue'],
  'sqs/powertools-py-sns-fifo.json': ['queue', 'topic'],
  'sqs/powertools-ts-base.json': ['queue'],
  'sqs/powertools-ts-sns-body.json': ['queue', 'topic'],
};

const UNSUPPORTED = JSON.parse(readFileSync(join(GOLDEN_DIR, 'unsupported.json'), 'utf8')) as Record<
  string,
  string
>;
const KINDS = Object.keys(CAPTURE_FUNCTION) as Kind[];

describe('fixture coverage', () => {
  it('lists every AWS fixture either as a golden or as unsupported with a reason', () => {
    const listed = new Set([...Object.keys(SUPPORTED), ...Object.keys(UNSUPPORTED)]);
    expect(allFixtures().filter((f) => !listed.has(f))).toEqual([]);
    expect(Object.keys(SUPPORTED).filter((f) => f in UNSUPPORTED)).toEqual([]);
  });
});

describe('goldens: real AWS payloads decode to the reviewed neutral events', () => {
  for (const [file, kinds] of Object.entries(SUPPORTED)) {
    for (const kind of kinds) {
      it(`${file} → ${kind}`, async () => {
        const { app, seen } = captureApp();
        const logs: string[] = [];
        const lambda = createLambda(app, { logWriter: (line) => logs.push(line) });
        const fn = CAPTURE_FUNCTION[kind];
        const response = await lambda.handler(fn)(
          fixture(file),
          lambdaContext({ functionName: fn, requestId: 'req-golden' }),
        );
        const actual = JSON.parse(JSON.stringify({ received: seen, response: response ?? null }));
        const goldenFile = join(GOLDEN_DIR, file.replace(/\.json$/, `.${kind}.json`));
        if (UPDATE || (!existsSync(goldenFile) && !process.env.CI)) {
          mkdirSync(dirname(goldenFile), { recursive: true });
          writeFileSync(goldenFile, `${JSON.stringify(actual, null, 2)}\n`);
          if (!UPDATE) throw new Error(`wrote missing golden ${goldenFile}: review it, then rerun`);
        }
        expect(actual).toEqual(JSON.parse(readFileSync(goldenFile, 'utf8')));
      });
    }
  }
});

describe('unsupported payloads are rejected with a clear InvalidEventError by every trigger kind', () => {
  for (const [file, reason] of Object.entries(UNSUPPORTED)) {
    it(`${file} (${reason.split(':')[0]})`, async () => {
      const { app, seen } = captureApp();
      const lambda = createLambda(app, { logWriter: () => undefined });
      const payload = fixture(file);
      for (const kind of KINDS) {
        const fn = CAPTURE_FUNCTION[kind];
        const error = await lambda
          .handler(fn)(payload, lambdaContext({ functionName: fn }))
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error, `${file} must be rejected by ${kind}`).toBeInstanceOf(InvalidEventError);
        const message = (error as Error).message;
        expect(message).toContain(`function "${fn}" (${kind} trigger)`);
        expect(message).toContain(`top-level keys [${Object.keys(payload).slice(0, 3).join(', ')}`);
      }
      expect(seen).toEqual([]);
    });
  }
});
