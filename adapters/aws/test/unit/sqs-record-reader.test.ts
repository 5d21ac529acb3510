import { InvalidEventError, type Message } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { sqsRecord, sqsRecordReader, sqsTopicRecord, sqsTopicRecordReader } from '../../src/events/sqs.ts';
import { sqsRecord as nativeSqsRecord, snsNotification } from '../support/native-events.ts';

const SENT = 1_772_600_000_000;

/** Everything a handler or a log line can read of a record, spelled out for comparison. */
function seen(r: { identifier: string | undefined; path: string; value: Message | InvalidEventError }) {
  const m = r.value;
  if (m instanceof InvalidEventError) return { identifier: r.identifier, path: r.path, error: m.message };
  return {
    identifier: r.identifier,
    path: r.path,
    id: m.id,
    text: m.text(),
    body: [...m.body],
    attributes: m.attributes,
    deliveryCount: m.deliveryCount,
    enqueuedAt: m.enqueuedAt?.toISOString(),
    source: m.source,
    groupId: m.groupId,
    sequence: m.sequence,
  };
}

describe('reading an SQS batch with the batch reader', () => {
  const records = [
    nativeSqsRecord({ messageId: 'a', body: '{"n":1}', attributes: { trace: 't-1' } }, 'orders.fifo', 0),
    nativeSqsRecord(
      { messageId: 'b', body: 'AAEC', attributes: { 'polycloud-body-encoding': 'base64', k: 'v' } },
      'orders.fifo',
      1,
    ),
    nativeSqsRecord(
      { messageId: 'c', body: 'AAEC', attributes: { 'polycloud-body-encoding': 'rot13' } },
      'orders.fifo',
      2,
    ),
    { messageId: 'd', body: 7 },
    nativeSqsRecord({ messageId: 'e', body: 'x', deliveryCount: 3 }, 'jobs'),
  ];

  it('gives every record what sqsRecord gives it on its own: paths, messages, errors', () => {
    const read = sqsRecordReader();
    expect(records.map((r, i) => seen(read(r, i)))).toEqual(records.map((r, i) => seen(sqsRecord(r, i))));
  });

  it('names valid records by their index, decodes marked bodies and hides the marker', () => {
    const read = sqsRecordReader();
    const out = records.map((r, i) => seen(read(r, i)));
    expect(out.map((r) => r.path)).toEqual([
      'Records[0]',
      'Records[1]',
      'Records[2]',
      'Records[3]',
      'Records[4]',
    ]);
    expect(out[0]).toMatchObject({
      identifier: 'a',
      text: '{"n":1}',
      attributes: { trace: 't-1' },
      enqueuedAt: new Date(SENT).toISOString(),
      source: 'orders',
      groupId: 'default',
    });
    expect(out[1]).toMatchObject({ identifier: 'b', body: [0, 1, 2], attributes: { k: 'v' } });
    expect(out[2]).toEqual({
      identifier: 'c',
      path: 'Records[2]',
      error: 'Records[2].body: unknown polycloud-body-encoding "rot13" (only "base64")',
    });
    expect(out[3]).toEqual({
      identifier: 'd',
      path: 'Records[3]',
      error: 'Records[3].body: must be a string',
    });
    expect(out[4]).toMatchObject({ identifier: 'e', source: 'jobs', deliveryCount: 3 });
  });

  it('a record without SentTimestamp has no enqueuedAt; one with it gets the same Date on every read', () => {
    const bare = { messageId: 'z', body: '', attributes: {} };
    expect((sqsRecordReader()(bare, 0).value as Message).enqueuedAt).toBeUndefined();
    const m = sqsRecordReader()(records[0], 0).value as Message;
    expect(m.enqueuedAt).toBeInstanceOf(Date);
    expect(m.enqueuedAt).toBe(m.enqueuedAt);
  });

  it('the topic reader unwraps SNS envelopes under the record path, as sqsTopicRecord does', () => {
    const envelope = snsNotification({ id: 'n-1', body: new TextEncoder().encode('hello') }, 'news');
    const batch = [
      nativeSqsRecord({ messageId: 'm1', body: JSON.stringify(envelope) }, 'news-queue'),
      nativeSqsRecord({ messageId: 'm2', body: 'raw delivery' }, 'news-queue'),
    ];
    const read = sqsTopicRecordReader();
    const out = batch.map((r, i) => seen(read(r, i)));
    expect(out).toEqual(batch.map((r, i) => seen(sqsTopicRecord(r, i))));
    expect(out[0]).toMatchObject({ identifier: 'm1', path: 'Records[0]', text: 'hello', source: 'news' });
    expect(out[1]).toMatchObject({
      identifier: 'm2',
      path: 'Records[1]',
      text: 'raw delivery',
      source: 'news-queue',
    });
  });
});
