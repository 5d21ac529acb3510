/**
 * Fuzzes every Lambda entry point with the kit's fuzz helper, seeded with the real payloads of
 * test/fixtures/aws: a mutated event is answered (http: a status below 500, no stack trace) or
 * rejected with InvalidEventError, never an untyped crash. `npm run fuzz` runs 100 000 cases each.
 */
import { fuzzEntryPoint } from '@polycloud/testing';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { CAPTURE_FUNCTION, captureApp } from '../support/capture-app.ts';
import { allFixtures, fixture } from '../support/fixtures.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const ENTRY_POINTS: { kind: keyof typeof CAPTURE_FUNCTION; dirs: string[] }[] = [
  { kind: 'http', dirs: ['apigw-rest', 'apigw-http', 'alb', 'function-url'] },
  { kind: 'queue', dirs: ['sqs', 'kinesis', 'dynamodb-streams'] },
  { kind: 'topic', dirs: ['sns', 'sqs'] },
  { kind: 'storage', dirs: ['s3'] },
  { kind: 'schedule', dirs: ['eventbridge'] },
  { kind: 'event', dirs: ['eventbridge', 's3'] },
];

describe('fuzz: mutated real AWS payloads never crash an entry point', () => {
  for (const { kind, dirs } of ENTRY_POINTS) {
    it(`aws:${kind} (${dirs.join(', ')})`, async () => {
      const seeds = allFixtures()
        .filter((f) => dirs.includes(f.split('/')[0]!))
        .map(fixture);
      const { app } = captureApp();
      const lambda = createLambda(app, { logWriter: () => undefined });
      const handler = lambda.handler(CAPTURE_FUNCTION[kind]);
      const report = await fuzzEntryPoint({
        name: `aws:${kind}`,
        seeds,
        run: async (event) => {
          const result = (await handler(event, lambdaContext())) as Record<string, unknown> | undefined;
          // What the front door would show: the JSON Lambda answered.
          const wire = JSON.stringify(result ?? null);
          if (kind === 'http') return { status: result?.statusCode as number, body: wire };
          return { body: wire };
        },
      });
      expect(report.cases).toBeGreaterThan(0);
      expect(report.invalid + report.accepted).toBe(report.cases);
    }, 300_000);
  }
});
