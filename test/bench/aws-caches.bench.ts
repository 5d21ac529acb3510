/**
 * Whether two per-record shortcuts of the AWS adapter earn their state (issue 16: no module-level
 * caches unless a benchmark shows the win, and then in one place with the number beside it). Each
 * group times, in one run, what one invocation does: 10 records of one queue, 10 log lines.
 * - Queue name from the ARN: the adapter used to remember the last ARN at module level; its parse
 *   now finds the resource with indexOf instead of split/join, the module-level cache is gone, and a
 *   batch remembers the last ARN for its own records only (batchQueueNames): the parse per record
 *   was a sixth of polycloud's cost over a hand-written SQS×10 handler.
 * - Log timestamp: formatting it once per millisecond saves a third of a log line; the memo stays,
 *   as state of the sink (lambdaLogSink), with this number beside it.
 * Compare the differences with an SQS×10 invocation in aws.bench.ts.
 */
import { bench, describe } from 'vitest';
import {
  arnResourceName,
  batchQueueNames,
  queueOrTopicName,
} from '../../adapters/aws/src/clients/arn-name.ts';
import { lambdaLogSink } from '../../adapters/aws/src/lambda-log-sink.ts';

const RUN = { time: 1_500, warmupTime: 300 };
const ARNS = Array.from({ length: 10 }, () => 'arn:aws:sqs:eu-west-1:123456789012:orders.fifo');

// The variant the adapter used to run: the last ARN and its name remembered at module level.
let lastArn: unknown;
let lastName = '';
function rememberedName(arn: unknown): string {
  if (arn === lastArn && typeof arn === 'string') return lastName;
  const name = arnResourceName(arn);
  lastArn = arn;
  lastName = name.endsWith('.fifo') ? name.slice(0, -5) : name;
  return lastName;
}

// How the name was parsed before the cache was added: split on every colon, join the rest.
function splitName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const slash = resource.indexOf('/');
  const name = slash === -1 ? resource : resource.slice(slash + 1);
  return name.endsWith('.fifo') ? name.slice(0, -5) : name;
}

// Results land here so the optimiser cannot drop the work being timed.
const sink = { chars: 0 };

describe('queue name from the ARN, 10 records of one queue', () => {
  bench(
    'parsed per record',
    () => {
      for (const arn of ARNS) sink.chars += queueOrTopicName(arn).length;
    },
    RUN,
  );
  bench(
    'parsed once per batch (batchQueueNames, adapter now)',
    () => {
      const name = batchQueueNames();
      for (const arn of ARNS) sink.chars += name(arn).length;
    },
    RUN,
  );
  bench(
    'split and joined per record (before the cache)',
    () => {
      for (const arn of ARNS) sink.chars += splitName(arn).length;
    },
    RUN,
  );
  bench(
    'last ARN remembered (module-level cache, removed)',
    () => {
      for (const arn of ARNS) sink.chars += rememberedName(arn).length;
    },
    RUN,
  );
});

// lambdaLogSink's memo: the ISO timestamp formatted once per millisecond.
let lastMs = 0;
let lastIso = '';
function rememberedIso(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

describe('Lambda log timestamp, 10 lines', () => {
  bench(
    'formatted per line (no memo)',
    () => {
      for (let i = 0; i < 10; i++) sink.chars += new Date().toISOString().length;
    },
    RUN,
  );
  bench(
    'formatted once per millisecond (lambdaLogSink keeps this memo)',
    () => {
      for (let i = 0; i < 10; i++) sink.chars += rememberedIso().length;
    },
    RUN,
  );
});

const logLine = lambdaLogSink((line) => {
  sink.chars += line.length;
}, {});

describe('one Lambda JSON log line, for scale', () => {
  bench(
    'lambdaLogSink line with two fields',
    () => {
      logLine('info', 'order stored', { requestId: 'r-1', function: 'orders', orderId: 'o-42' });
    },
    RUN,
  );
});
