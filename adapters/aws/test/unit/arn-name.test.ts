import { describe, expect, it } from 'vitest';
import { batchQueueNames, queueOrTopicName } from '../../src/clients/arn-name.ts';

describe('queue and topic names from ARNs', () => {
  it('drops the .fifo suffix AWS requires and keeps the rest of the resource', () => {
    expect(queueOrTopicName('arn:aws:sqs:eu-west-1:123456789012:orders.fifo')).toBe('orders');
    expect(queueOrTopicName('arn:aws:sns:eu-west-1:123456789012:news')).toBe('news');
    expect(queueOrTopicName(undefined)).toBe('');
  });

  it('a batch reader gives every record the name of its own ARN, remembered or not', () => {
    const name = batchQueueNames();
    const orders = 'arn:aws:sqs:eu-west-1:123456789012:orders.fifo';
    const jobs = 'arn:aws:sqs:eu-west-1:123456789012:jobs';
    const arns = [orders, orders, jobs, jobs, orders, 42, undefined, `${orders}`];
    expect(arns.map(name)).toEqual(arns.map(queueOrTopicName));
    expect(arns.map(name)).toEqual(['orders', 'orders', 'jobs', 'jobs', 'orders', '', '', 'orders']);
  });

  it('a new batch starts without memory of the last one', () => {
    const first = batchQueueNames();
    expect(first('arn:aws:sqs:eu-west-1:123456789012:a')).toBe('a');
    const second = batchQueueNames();
    expect(second('arn:aws:sqs:eu-west-1:123456789012:b')).toBe('b');
    expect(first('arn:aws:sqs:eu-west-1:123456789012:a')).toBe('a');
  });
});
