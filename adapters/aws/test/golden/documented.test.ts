/**
 * Goldens checked against the documentation, not only against themselves. For every golden under
 * this folder, the fields a user relies on are recomputed here straight from the fixture, by rules
 * written from AWS's documentation of each payload (cited per rule), and compared with the golden.
 * Regenerating a golden (POLYCLOUD_UPDATE_GOLDENS=1) cannot bless a wrong mapping: this test does not
 * read the adapter, and it fails for a golden whose family has no documented rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixture } from '../support/fixtures.ts';

type Json = Record<string, any>;
const GOLDEN_DIR = dirname(fileURLToPath(import.meta.url));

/** Last header value, case-insensitively, from `headers` or `multiValueHeaders`. */
function header(ev: Json, name: string): string | undefined {
  for (const source of [ev.multiValueHeaders, ev.headers]) {
    if (!source) continue;
    for (const [k, v] of Object.entries(source)) {
      if (k.toLowerCase() === name) return Array.isArray(v) ? (v.at(-1) as string) : (v as string);
    }
  }
  return undefined;
}

/** Query pairs from the (multi-value) parameter maps, sorted so order of keys does not matter. */
function queryPairs(ev: Json, decode: boolean): [string, string][] {
  const source = ev.multiValueQueryStringParameters ?? ev.queryStringParameters ?? {};
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(source)) {
    for (const value of Array.isArray(v) ? v : [v]) {
      const dec = (s: string) => (decode ? decodeURIComponent(s.replaceAll('+', ' ')) : s);
      pairs.push([dec(k), dec(value as string)]);
    }
  }
  return pairs.sort();
}

const sortPairs = (pairs: [string, string][]) => [...pairs].sort();

/** S3 notification keys: "The s3 key ... is URL encoded. For example, "red flower.jpg" becomes "red+flower.jpg"." */
const s3Key = (key: string) => decodeURIComponent(key.replaceAll('+', ' '));

/** S3 event names → neutral types (S3 user guide, "Supported event types for SQS, SNS, and Lambda"). */
function s3Type(eventName: string): string | undefined {
  const n = eventName.replace(/^s3:/, '');
  if (n.startsWith('ObjectCreated:')) return 'created';
  if (n.startsWith('ObjectRemoved:') || n.startsWith('LifecycleExpiration:')) return 'deleted';
  return undefined;
}

const lastArnPart = (arn: string) => arn.split(':').at(-1)!;

interface Check {
  received: Json[];
  response: Json | null;
}

/** One rule set per fixture family and trigger kind. Each returns the expected subset of the golden. */
const RULES: Record<string, (ev: Json, kind: string) => Check | 'skip-received'> = {
  // ALB: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
  // ("If the query parameters are URL-encoded, the load balancer does not decode them"; the response
  // needs statusCode and statusDescription; multiValueHeaders answered with multiValueHeaders) and
  // x-forwarded-headers.html (X-Forwarded-Proto/-Port: the client's connection; X-Forwarded-For: the
  // client address is the last entry ALB appends).
  alb: (ev) => {
    const proto = header(ev, 'x-forwarded-proto') ?? 'https';
    const port = header(ev, 'x-forwarded-port');
    const defaultPort = proto === 'http' ? '80' : '443';
    const host = header(ev, 'host')!;
    const query = new URLSearchParams(queryPairs(ev, false).map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&'));
    const qs = query.toString();
    return {
      received: [
        {
          method: ev.httpMethod,
          rawPath: ev.path,
          query: sortPairs([...query]),
          ip: header(ev, 'x-forwarded-for')?.split(',').at(-1)?.trim() ?? null,
          url: `${proto}://${host}${port && port !== defaultPort ? `:${port}` : ''}${ev.path}${qs ? `?${qs}` : ''}`,
        },
      ],
      response: { statusCode: 200, statusDescription: '200 OK', multi: ev.multiValueHeaders !== undefined },
    };
  },
  // REST API payload 1.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
  // (httpMethod; query parameters already decoded; requestContext.identity.sourceIp).
  // "isBase64Encoded": true with a body that is not base64 is a malformed event: a 400, nothing delivered.
  'apigw-rest': (ev) =>
    ev.isBase64Encoded && !/^[A-Za-z0-9+/]*={0,2}$/.test(ev.body ?? '')
      ? { received: [], response: { statusCode: 400 } }
      : {
    received: [
      {
        method: ev.httpMethod,
        query: queryPairs(ev, false),
        ip: ev.requestContext?.identity?.sourceIp ?? null,
      },
    ],
    response: { statusCode: 200 },
  },
  // HTTP API / Function URL payload 2.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
  // and https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html (requestContext.http.method,
  // rawQueryString as sent, requestContext.http.sourceIp; `cookies` in the response).
  'apigw-http': (ev) => payloadV2(ev),
  'function-url': (ev) => payloadV2(ev),
  // SQS: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html (messageId, body,
  // ApproximateReceiveCount, SentTimestamp in ms, MessageGroupId, SequenceNumber, messageAttributes
  // stringValue; partial batch response batchItemFailures).
  sqs: (ev, kind) => ({
    received: ev.Records.map((r: Json) => {
      if (kind === 'topic') return snsNeutral(JSON.parse(r.body), r.attributes);
      return {
        id: r.messageId,
        bodyText: r.body,
        deliveryCount: Number(r.attributes.ApproximateReceiveCount),
        enqueuedAt: new Date(Number(r.attributes.SentTimestamp)).toISOString(),
        groupId: r.attributes.MessageGroupId ?? null,
        sequence: r.attributes.SequenceNumber ?? null,
        source: lastArnPart(r.eventSourceARN).replace(/\.fifo$/, ''),
      };
    }),
    response: { batchItemFailures: [] },
  }),
  // SNS: https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html (Sns.MessageId, Message, Timestamp,
  // MessageAttributes[name].Value).
  sns: (ev) => ({ received: ev.Records.map((r: Json) => snsNeutral(r.Sns)), response: null }),
  // Kinesis: https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (kinesis.data base64,
  // partitionKey, sequenceNumber, approximateArrivalTimestamp in seconds; batchItemFailures by sequence).
  kinesis: (ev) => ({
    received: ev.Records.map((r: Json) => ({
      id: `${r.eventID.split(':')[0]}:${r.kinesis.sequenceNumber}`,
      bodyBase64: r.kinesis.data,
      groupId: r.kinesis.partitionKey,
      sequence: r.kinesis.sequenceNumber,
      enqueuedAt: new Date(Math.round(r.kinesis.approximateArrivalTimestamp * 1000)).toISOString(),
    })),
    response: { batchItemFailures: [] },
  }),
  // DynamoDB Streams: https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (eventID, the
  // dynamodb stream record as the payload, SequenceNumber).
  'dynamodb-streams': (ev) => ({
    received: ev.Records.map((r: Json) => ({
      id: r.eventID,
      body: r.dynamodb,
      sequence: r.dynamodb.SequenceNumber,
    })),
    response: { batchItemFailures: [] },
  }),
  // S3 notifications: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
  // and EventBridge S3 events: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
  // (detail.bucket.name, detail.object.key, detail-type "Object Created"/"Object Deleted").
  s3: (ev, kind) => {
    if (kind === 'event') return 'skip-received';
    if (ev['detail-type']) {
      const type = ev['detail-type'] === 'Object Created' ? 'created' : 'deleted';
      return {
        received: [{ type, bucket: ev.detail.bucket.name, key: s3Key(ev.detail.object.key), id: ev.id }],
        response: null,
      };
    }
    const records: Json[] = ev.Records[0]?.body
      ? ev.Records.flatMap((m: Json) => JSON.parse(m.body).Records)
      : ev.Records;
    return {
      received: records
        .filter((r) => s3Type(r.eventName) !== undefined)
        .map((r) => ({
          type: s3Type(r.eventName),
          bucket: r.s3.bucket.name,
          key: s3Key(r.s3.object.key),
          ...(r.s3.object.size !== undefined ? { size: r.s3.object.size } : {}),
          time: new Date(r.eventTime).toISOString(),
        })),
      response: ev.Records[0]?.body ? { batchItemFailures: [] } : null,
    };
  },
  // EventBridge: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
  // (id, source, detail-type, time, resources, detail); scheduled rules send detail-type "Scheduled Event".
  eventbridge: (ev, kind) =>
    kind === 'schedule'
      ? { received: [{ id: ev.id, scheduledTime: new Date(ev.time).toISOString() }], response: null }
      : {
          received: [{ id: ev.id, source: ev.source, type: ev['detail-type'], time: ev.time, data: ev.detail }],
          response: null,
        },
};

function payloadV2(ev: Json): Check {
  const rc = ev.requestContext;
  return {
    received: [
      {
        method: rc.http.method,
        query: sortPairs([...new URLSearchParams(ev.rawQueryString ?? '')]),
        ip: rc.http.sourceIp ?? null,
        urlHost: `https://${rc.domainName}`,
      },
    ],
    response: { statusCode: 200 },
  };
}

function snsNeutral(sns: Json, sqsAttributes?: Json) {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(sns.MessageAttributes ?? {})) attributes[k] = (v as Json).Value;
  return {
    id: sns.MessageId,
    bodyText: sns.Message,
    enqueuedAt: new Date(sns.Timestamp).toISOString(),
    attributes,
    sequence: sns.SequenceNumber ?? null,
    groupId: sqsAttributes?.MessageGroupId ?? null,
  };
}

/** The golden's fields that the rule speaks about, in the rule's shape. */
function project(family: string, kind: string, golden: Json, expected: Check): Check {
  const pick = (o: Json, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
  const received = golden.received.map((r: Json, i: number) => {
    const want = expected.received[i] ?? {};
    const out: Json = pick(r, Object.keys(want).filter((k) => k in r));
    if ('query' in want && Array.isArray(r.query)) out.query = sortPairs(r.query);
    if ('urlHost' in want) out.urlHost = /^[a-z]+:\/\/[^/?]*/.exec(r.url)?.[0];
    if ('bodyBase64' in want) out.bodyBase64 = Buffer.from(r.bodyText, 'utf8').toString('base64');
    if ('body' in want) out.body = JSON.parse(r.bodyText);
    if (family === 'eventbridge' && kind === 'event') out.data = r.data;
    return out;
  });
  let response: Json | null = golden.response;
  if (family === 'alb')
    response = {
      statusCode: golden.response.statusCode,
      statusDescription: golden.response.statusDescription,
      multi: 'multiValueHeaders' in golden.response,
    };
  else if (expected.response && 'statusCode' in expected.response)
    response = { statusCode: golden.response.statusCode };
  return { received, response };
}

const goldens = readdirSync(GOLDEN_DIR, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.[a-z]+\.json$/.test(f))
  .sort();

describe('every AWS golden agrees with the documented mapping of its fixture', () => {
  it('covers every golden', () => {
    expect(goldens.length).toBeGreaterThan(50);
    for (const f of goldens) expect(RULES[f.split('/')[0]!], `no documented rule for ${f}`).toBeDefined();
  });

  for (const file of goldens) {
    it(file, () => {
      const [family, name] = file.split('/') as [string, string];
      const [base, kind] = name.replace(/\.json$/, '').split(/\.(?=[a-z]+$)/) as [string, string];
      const ev = fixture(`${family}/${base}.json`) as Json;
      const golden = JSON.parse(readFileSync(join(GOLDEN_DIR, file), 'utf8')) as Json;
      const expected = RULES[family]!(ev, kind);
      if (expected === 'skip-received') return;
      // Kinesis bodies may be binary (gzip): compare bytes through base64 only where they are text.
      if (family === 'kinesis') {
        expected.received = expected.received.map((r) => {
          const text = Buffer.from(r.bodyBase64, 'base64').toString('utf8');
          return Buffer.from(text, 'utf8').toString('base64') === r.bodyBase64 ? r : { ...r, bodyBase64: undefined };
        });
      }
      const actual = project(family, kind, golden, expected);
      if (family === 'kinesis')
        actual.received = actual.received.map((r, i) =>
          expected.received[i]?.bodyBase64 === undefined ? { ...r, bodyBase64: undefined } : r,
        );
      expect(actual).toEqual(expected);
    });
  }
});
