/**
 * End to end on the real functions framework: `polycloud build --provider gcp` on examples/echo,
 * then `functions-framework --source=dist/gcp --target=<fn>` (the CLI Cloud Functions runs), bound
 * to 127.0.0.1, driven by fetch. Where the Cloud SDK's Pub/Sub emulator is installed, a push
 * subscription delivers real messages to it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommand } from '../../../../packages/cli/src/build-command.ts';
import { type CliServer, startCli } from '../support/framework-cli.ts';
import { EMULATOR_DIR, emulatorInstalled, startEmulator } from '../support/pubsub-emulator.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../../..');
const fixtures = resolve(repoRoot, 'test/fixtures');
const dist = resolve(repoRoot, 'examples/echo/dist/gcp');
const TARGETS = ['echoHttp', 'echoQueue', 'echoTopic', 'echoStorage', 'echoSchedule', 'echoEvent'] as const;
const servers = {} as Record<(typeof TARGETS)[number], CliServer>;

const allBytes = () => Uint8Array.from({ length: 256 }, (_, i) => i);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const echoOf = (kind: string) => (e: Record<string, unknown>) => e.echo === kind;

beforeAll(async () => {
  const files = await buildCommand(resolve(repoRoot, 'examples/echo'), 'gcp', () => {});
  // The entry, its chunks (what a cold start does not run loads from them on first use), the rest.
  const names = files.map((f) => f.slice(dist.length + 1));
  const chunks = names.filter((f) => /^chunk-[A-Z0-9]+\.mjs$/.test(f));
  expect(chunks.length).toBeGreaterThan(0);
  expect(names.filter((f) => !chunks.includes(f)).sort()).toEqual([
    'deploy.sh',
    'index-names.cjs',
    'index.cjs',
    'package.json',
  ]);
  const started = await Promise.all(
    TARGETS.map((t) =>
      startCli(dist, t, { GOOGLE_CLOUD_PROJECT: 'e2e-project', CLOUD_RUN_TIMEOUT_SECONDS: '30' }),
    ),
  );
  TARGETS.forEach((t, i) => {
    servers[t] = started[i]!;
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});

describe('built dist/gcp', () => {
  it('package.json pins the framework, declares Node 20 and ESM, and points main at the CommonJS entry', () => {
    // .cjs: the framework's loader require()s it, without Node's ES module loader or a package.json lookup.
    const pkg = JSON.parse(readFileSync(resolve(dist, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      main: 'index.cjs',
      type: 'module',
      engines: { node: '22' },
      dependencies: { '@google-cloud/functions-framework': '5.0.5' },
    });
    // The framework stays external: the CLI and the entry must share one function registry.
    const code = readdirSync(dist)
      .filter((f) => f === 'index.cjs' || /^chunk-[A-Z0-9]+\.mjs$/.test(f))
      .map((f) => readFileSync(resolve(dist, f), 'utf8'))
      .join('\n');
    expect(code).toMatch(/require\("@google-cloud\/functions-framework"\)/);
  });

  it('deploy.sh deploys every function by name with its trigger, and creates the schedule job', () => {
    const sh = readFileSync(resolve(dist, 'deploy.sh'), 'utf8');
    // Parsed by bash (not run: that needs a Google Cloud project).
    execFileSync('bash', ['-n', resolve(dist, 'deploy.sh')]);
    for (const name of TARGETS)
      expect(sh).toContain(
        `gcloud functions deploy ${name} --gen2 --runtime=nodejs22 --entry-point=${name} `,
      );
    expect(sh).toMatch(/deploy echoHttp .*--trigger-http/);
    expect(sh).toMatch(/deploy echoQueue .*--trigger-topic=echo-queue/);
    // A message that always fails is dead-lettered after 5 attempts, as on node, SQS and Azure.
    expect(sh).toContain('\ndead_letter echoQueue echo-queue-dead-letter\n');
    expect(sh).toContain('\ndead_letter echoTopic echo-topic-dead-letter\n');
    expect(sh).toContain(
      '--dead-letter-topic="$2" --dead-letter-topic-project="$PROJECT" --max-delivery-attempts=5',
    );
    expect(sh).toMatch(/deploy echoTopic .*--trigger-topic=echo-topic/);
    expect(sh).toMatch(
      /deploy echoStorage .*--trigger-event-filters=type=google\.cloud\.storage\.object\.v1\.finalized --trigger-event-filters=bucket=echo-bucket/,
    );
    expect(sh).toMatch(
      /eventarc triggers create echostorage-deleted .*type=google\.cloud\.storage\.object\.v1\.deleted/,
    );
    expect(sh).toMatch(/deploy echoEvent .*--trigger-event-filters=type=com\.example\.echo/);
    expect(sh).toMatch(/deploy echoSchedule .*--trigger-topic=polycloud-schedule-echo-schedule/);
    expect(sh).toContain(
      'gcloud scheduler jobs create pubsub echo-schedule --project="$PROJECT" --location="$REGION" --schedule=\'*/5 * * * *\' --time-zone=Etc/UTC --topic=polycloud-schedule-echo-schedule',
    );
  });
});

describe('http function on the functions-framework CLI', () => {
  it('a request with cookies, repeated query keys and a binary body arrives byte-exact', async () => {
    const body = allBytes();
    const res = await fetch(`${servers.echoHttp.url}/echo/a%20b/c?tag=x&tag=y&status=201`, {
      method: 'PUT',
      headers: { cookie: 'session=abc; theme=dark%20mode', 'content-type': 'application/octet-stream' },
      body,
    });
    expect(res.status).toBe(201);
    const echo = (await res.json()) as Record<string, unknown>;
    expect(echo).toMatchObject({
      method: 'PUT',
      path: '/echo/a b/c',
      query: { tag: ['x', 'y'], status: ['201'] },
      cookies: { session: 'abc', theme: 'dark mode' },
      bodyBase64: b64(body),
      identity: null,
    });
  });

  it('a body without Content-Type (left unread by the framework) still arrives', async () => {
    const res = await fetch(`${servers.echoHttp.url}/echo/raw`, {
      method: 'POST',
      body: new Uint8Array([0, 255, 1]),
    });
    // fetch labels a Uint8Array body with no type; the framework's parsers then skip it.
    expect(((await res.json()) as { bodyBase64: string }).bodyBase64).toBe('AP8B');
  });

  it('a thrown handler answers a generic 500 and logs the error to Cloud Logging with the trace', async () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${servers.echoHttp.url}/echo/x`, {
      headers: { 'x-echo-fail': '1', traceparent: `00-${trace}-00f067aa0ba902b7-01` },
    });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: 'Internal Server Error' });
    expect(text).not.toMatch(/echo failure|at |node_modules/);
    const line = await servers.echoHttp.waitForLog((e) => e.message === 'handler failed');
    expect(line).toMatchObject({
      severity: 'ERROR',
      function: 'echoHttp',
      'logging.googleapis.com/trace': `projects/e2e-project/traces/${trace}`,
      'logging.googleapis.com/spanId': '00f067aa0ba902b7',
      'logging.googleapis.com/trace_sampled': true,
    });
  });

  it('malformed JSON reaches the function as sent: the framework’s body-parser no longer answers it first', async () => {
    const res = await fetch(`${servers.echoHttp.url}/echo/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{bad',
    });
    expect(res.status).toBe(200);
    const echoed = (await res.json()) as { bodyBase64: string };
    expect(Buffer.from(echoed.bodyBase64, 'base64').toString()).toBe('{bad');
  });
});

describe('CloudEvents on the functions-framework CLI', () => {
  it('binary mode: ce-* headers + JSON body → CloudEvent with decoded data', async () => {
    const res = await fetch(servers.echoEvent.url, {
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': 'bin-1',
        'ce-source': '//e2e/test',
        'ce-type': 'com.example.echo',
        'ce-myext': 'v',
        'content-type': 'application/json',
        'function-execution-id': 'exec-bin-1',
        'x-cloud-trace-context': '105445aa7843bc8bf206b12000100000/1;o=1',
      },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(res.status).toBe(204);
    const line = await servers.echoEvent.waitForLog(
      (e) => e.echo === 'event' && (e.event as { id?: string }).id === 'bin-1',
    );
    expect(line).toMatchObject({
      severity: 'INFO',
      requestId: 'exec-bin-1',
      'logging.googleapis.com/trace': 'projects/e2e-project/traces/105445aa7843bc8bf206b12000100000',
      'logging.googleapis.com/spanId': '0000000000000001',
      event: {
        specversion: '1.0',
        type: 'com.example.echo',
        source: '//e2e/test',
        myext: 'v',
        data: { hello: 'world' },
      },
    });
  });

  it('structured mode: application/cloudevents+json with data_base64 → bytes', async () => {
    const res = await fetch(servers.echoEvent.url, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0',
        id: 'str-1',
        source: '//e2e/test',
        type: 'com.example.echo',
        datacontenttype: 'application/protobuf',
        data_base64: b64(allBytes()),
      }),
    });
    expect(res.status).toBe(204);
    const line = await servers.echoEvent.waitForLog(
      (e) => e.echo === 'event' && (e.event as { id?: string }).id === 'str-1',
    );
    expect(line.event).toMatchObject({
      datacontenttype: 'application/protobuf',
      data_base64: b64(allBytes()),
    });
  });

  it('a POST without ce-* headers is a 400 naming the missing attributes (the framework would hand {} on)', async () => {
    const res = await fetch(servers.echoEvent.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('id, source, specversion, type');
  });

  it('a failing event answers 500, so Eventarc retries it', async () => {
    const res = await fetch(servers.echoEvent.url, {
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': 'f-1',
        'ce-source': 's',
        'ce-type': 'com.example.echo',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ fail: true }),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'Internal Server Error' });
  });

  it('Pub/Sub messagePublished (Eventarc, binary mode) → Message for a queue function', async () => {
    const data = {
      subscription: 'projects/e2e-project/subscriptions/eventarc',
      message: {
        messageId: 'ps-1',
        publishTime: '2024-01-02T03:04:05.678Z',
        data: b64(allBytes()),
        attributes: { a: '1' },
        orderingKey: 'k',
      },
    };
    const res = await fetch(servers.echoQueue.url, {
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': 'ps-1',
        'ce-source': '//pubsub.googleapis.com/projects/e2e-project/topics/echo-queue',
        'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
        'content-type': 'application/json',
      },
      body: JSON.stringify(data),
    });
    expect(res.status).toBe(204);
    const line = await servers.echoQueue.waitForLog(echoOf('queue'));
    expect(line.event).toEqual({
      id: 'ps-1',
      source: 'echo-queue',
      bodyBase64: b64(allBytes()),
      attributes: { a: '1' },
      deliveryCount: 1,
      enqueuedAt: '2024-01-02T03:04:05.678Z',
      groupId: 'k',
    });
  });

  it('a 1st-gen background event (conformance input) reaches a topic function as the conformance output says', async () => {
    const legacy = readFileSync(
      resolve(fixtures, 'gcp/pubsub-message-published/conformance-legacy-gcf-input.json'),
      'utf8',
    );
    const expected = JSON.parse(
      readFileSync(
        resolve(fixtures, 'gcp/pubsub-message-published/conformance-legacy-gcf-expected-cloudevent.json'),
        'utf8',
      ),
    );
    const res = await fetch(servers.echoTopic.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: legacy,
    });
    expect(res.status).toBe(204);
    const line = await servers.echoTopic.waitForLog(echoOf('topic'));
    expect(line.event).toMatchObject({
      id: expected.data.message.messageId,
      source: 'gcf-test',
      bodyBase64: expected.data.message.data,
      attributes: expected.data.message.attributes,
      enqueuedAt: expected.data.message.publishTime,
    });
  });

  it('a storage CloudEvent → StorageEvent; a schedule through a Cloud Scheduler HTTP target → ScheduleEvent', async () => {
    const storage = await fetch(servers.echoStorage.url, {
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': 'gcs-1',
        'ce-source': '//storage.googleapis.com/projects/_/buckets/echo-bucket',
        'ce-type': 'google.cloud.storage.object.v1.metadataUpdated',
        'ce-subject': 'objects/a b+c.txt',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ bucket: 'echo-bucket', name: 'a b+c.txt', size: '12', generation: '7' }),
    });
    expect(storage.status).toBe(204);
    const s = await servers.echoStorage.waitForLog(echoOf('storage'));
    expect(s.event).toMatchObject({
      id: 'gcs-1',
      type: 'metadataUpdated',
      bucket: 'echo-bucket',
      key: 'a b+c.txt',
      size: 12,
      versionId: '7',
    });

    const tick = await fetch(servers.echoSchedule.url, {
      method: 'POST',
      headers: {
        'x-cloudscheduler': 'true',
        'x-cloudscheduler-jobname': 'echo-schedule',
        'x-cloudscheduler-scheduletime': '2024-05-06T07:05:00Z',
        'function-execution-id': 'tick-1',
      },
    });
    expect(tick.status).toBe(204);
    const t = await servers.echoSchedule.waitForLog(echoOf('schedule'));
    expect(t.event).toMatchObject({
      id: 'tick-1',
      name: 'echo-schedule',
      scheduledTime: '2024-05-06T07:05:00.000Z',
      isPastDue: false,
    });
  });
});

describe('Pub/Sub emulator push subscription', () => {
  if (!emulatorInstalled()) {
    it(`SKIPPED: the Pub/Sub emulator is not installed (${EMULATOR_DIR} is missing)`, () => {
      console.warn(`gcp e2e: push test skipped — no Pub/Sub emulator at ${EMULATOR_DIR}`);
      expect(emulatorInstalled()).toBe(false);
    });
    return;
  }
  it('delivers a real message to echoQueue; a failing one is not acknowledged and comes back', async () => {
    const emulator = await startEmulator();
    try {
      const p = `projects/${emulator.project}`;
      await emulator.call('PUT', `${p}/topics/echo-queue`, {});
      // The framework's documented push path form; our entry reads the push body itself.
      const pushEndpoint = `${servers.echoQueue.url}/projects/${emulator.project}/topics/echo-queue`;
      await emulator.call('PUT', `${p}/subscriptions/echo-queue-push`, {
        topic: `${p}/topics/echo-queue`,
        pushConfig: { pushEndpoint },
        ackDeadlineSeconds: 10,
        retryPolicy: { minimumBackoff: '1s', maximumBackoff: '2s' },
      });
      const ok = b64(Buffer.from('{"hello":"emulator"}'));
      const fail = b64(Buffer.from('{"fail":true}'));
      const published = (await emulator.call('POST', `${p}/topics/echo-queue:publish`, {
        messages: [{ data: ok, attributes: { origin: 'emulator' } }, { data: fail }],
      })) as { messageIds: string[] };
      const [okId, failId] = published.messageIds as [string, string];
      const line = await servers.echoQueue.waitForLog(
        (e) => e.echo === 'queue' && (e.event as { id?: string }).id === okId,
        20_000,
      );
      expect(line.event).toMatchObject({
        id: okId,
        bodyBase64: ok,
        attributes: { origin: 'emulator' },
        source: 'echo-queue',
      });
      // Not acknowledged (500) → the emulator pushes the failing message again.
      const until = Date.now() + 30_000;
      let deliveries = 0;
      while (Date.now() < until) {
        deliveries = servers.echoQueue
          .logs()
          .filter((e) => e.echo === 'queue' && (e.event as { id?: string }).id === failId).length;
        if (deliveries >= 2) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(deliveries).toBeGreaterThanOrEqual(2);
      await emulator.call('DELETE', `${p}/subscriptions/echo-queue-push`);
    } finally {
      await emulator.stop();
    }
  }, 120_000);
});
