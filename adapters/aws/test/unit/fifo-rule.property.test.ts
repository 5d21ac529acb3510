/**
 * The SQS FIFO rule, as a property over arbitrary batches (a second guard next to the contract kit's
 * fixed scenario): "When using SQS FIFO queues with partial batch responses, stop processing messages
 * after the first failure and return all failed and unprocessed messages in batchItemFailures"
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html). For a standard queue,
 * exactly the failing messages are reported and every message runs.
 */
import { defineApp, queue } from '@polycloud/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { sqsRecord } from '../support/native-events.ts';

const ran: string[] = [];
const app = defineApp({
  name: 'fifo-property',
  functions: {
    work: queue('orders', (m) => {
      ran.push(m.id);
      if ((m.json() as { fail: boolean }).fail) throw new Error('asked to fail');
    }),
  },
});
const lambda = createLambda(app, { logWriter: () => undefined });

const batchArb = fc.array(fc.record({ fail: fc.boolean(), group: fc.constantFrom('a', 'b', 'c') }), {
  minLength: 1,
  maxLength: 10,
});

async function run(queueName: string, batch: { fail: boolean; group: string }[]) {
  ran.length = 0;
  const records = batch.map((m, i) =>
    sqsRecord({ messageId: `m${i}`, body: JSON.stringify({ fail: m.fail }), groupId: m.group }, queueName, i),
  );
  const out = (await lambda.handler('work')(
    { Records: records },
    lambdaContext({ functionName: 'work' }),
  )) as {
    batchItemFailures: { itemIdentifier: string }[];
  };
  return { reported: out.batchItemFailures.map((f) => f.itemIdentifier), ran: [...ran] };
}

describe('SQS batches: the FIFO rule over arbitrary batches', () => {
  it('FIFO: the first failure and everything after it (any group) is reported; nothing after it runs', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async (batch) => {
        const { reported, ran } = await run('orders.fifo', batch);
        const first = batch.findIndex((m) => m.fail);
        const ids = batch.map((_, i) => `m${i}`);
        expect(reported).toEqual(first === -1 ? [] : ids.slice(first));
        expect(ran).toEqual(first === -1 ? ids : ids.slice(0, first + 1));
      }),
      { numRuns: 200 },
    );
  });

  it('standard queue: exactly the failing messages are reported, and every message runs', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async (batch) => {
        const { reported, ran } = await run('orders', batch);
        const ids = batch.map((_, i) => `m${i}`);
        expect(reported).toEqual(ids.filter((_, i) => batch[i]!.fail));
        expect([...ran].sort()).toEqual([...ids].sort());
      }),
      { numRuns: 200 },
    );
  });
});
