/**
 * Every relevant payload of test/fixtures/gcp and test/fixtures/cloudevents, sent through
 * the framework's real server to the registered function, against a reviewed neutral event under
 * test/golden/. `UPDATE_GOLDEN=1` rewrites them (then review the diff by hand).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goldenUpdateRequested } from '@polycloud/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Refuses to run in CI: regenerating is a reviewed, local step.
const UPDATE = goldenUpdateRequested('UPDATE_GOLDEN');

import { handle } from '../../src/index.ts';
import { serveAll } from '../support/framework-server.ts';
import { goldenApp, received } from '../support/golden-app.ts';
import { neutralJson } from '../support/neutral-json.ts';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = resolve(here, '../../../../test/fixtures');
const goldenDir = here;

type Mode = 'structured' | 'binary' | 'legacy';
interface Case {
  fixture: string;
  fn: 'goldenQueue' | 'goldenStorage' | 'goldenSchedule' | 'goldenEvent';
  mode: Mode;
  /** Binary mode: the CloudEvent type the data file belongs to. */
  type?: string;
  source?: string;
}

const PUBSUB_SOURCE = '//pubsub.googleapis.com/projects/my-project/topics/my-topic';
const cases: Case[] = [
  {
    fixture: 'gcp/pubsub-message-published/cloudevent-structured.json',
    fn: 'goldenQueue',
    mode: 'structured',
  },
  {
    fixture: 'gcp/pubsub-message-published/conformance-binary-cloudevent.json',
    fn: 'goldenQueue',
    mode: 'structured',
  },
  {
    fixture: 'gcp/pubsub-message-published/conformance-legacy-gcf-input.json',
    fn: 'goldenQueue',
    mode: 'legacy',
  },
  {
    fixture: 'gcp/pubsub-message-published/conformance-legacy-gcf-expected-cloudevent.json',
    fn: 'goldenQueue',
    mode: 'structured',
  },
  {
    fixture: 'gcp/pubsub-message-published/conformance-text-cloudevent.json',
    fn: 'goldenQueue',
    mode: 'structured',
  },
  { fixture: 'gcp/pubsub-message-published/conformance-text-legacy.json', fn: 'goldenQueue', mode: 'legacy' },
  ...['data-binary', 'data-complex-ordering-key', 'data-duplicated-fields', 'data-text'].map(
    (f): Case => ({
      fixture: `gcp/pubsub-message-published/${f}.json`,
      fn: 'goldenQueue',
      mode: 'binary',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      source: PUBSUB_SOURCE,
    }),
  ),
  {
    fixture: 'gcp/storage-object/cloudevent-structured-finalized.json',
    fn: 'goldenStorage',
    mode: 'structured',
  },
  {
    fixture: 'gcp/storage-object/conformance-finalize-cloudevent.json',
    fn: 'goldenStorage',
    mode: 'structured',
  },
  { fixture: 'gcp/storage-object/conformance-finalize-legacy.json', fn: 'goldenStorage', mode: 'legacy' },
  { fixture: 'gcp/storage-object/docs-archive-legacy.json', fn: 'goldenStorage', mode: 'legacy' },
  { fixture: 'gcp/storage-object/docs-metadata-update-legacy.json', fn: 'goldenStorage', mode: 'legacy' },
  {
    fixture: 'gcp/storage-object/data-simple.json',
    fn: 'goldenStorage',
    mode: 'binary',
    type: 'google.cloud.storage.object.v1.finalized',
    source: '//storage.googleapis.com/projects/_/buckets/some-bucket',
  },
  {
    fixture: 'gcp/storage-object/data-complex.json',
    fn: 'goldenStorage',
    mode: 'binary',
    type: 'google.cloud.storage.object.v1.deleted',
    source: '//storage.googleapis.com/projects/_/buckets/some-bucket',
  },
  {
    fixture: 'gcp/scheduler-job/data-simple.json',
    fn: 'goldenSchedule',
    mode: 'binary',
    type: 'google.cloud.scheduler.job.v1.executed',
    source: '//cloudscheduler.googleapis.com/projects/my-project/locations/us-central1/jobs/golden-schedule',
  },
  {
    fixture: 'gcp/firestore-document/conformance-simple-cloudevent.json',
    fn: 'goldenEvent',
    mode: 'structured',
  },
  {
    fixture: 'gcp/firestore-document/conformance-complex-cloudevent.json',
    fn: 'goldenEvent',
    mode: 'structured',
  },
  { fixture: 'gcp/firestore-document/conformance-simple-legacy.json', fn: 'goldenEvent', mode: 'legacy' },
  ...['create', 'update', 'delete'].map(
    (kind): Case => ({
      fixture: `gcp/firestore-document/docs-${kind}-legacy.json`,
      fn: 'goldenEvent',
      mode: 'legacy',
    }),
  ),
  ...['data-simple', 'data-complex'].map(
    (f): Case => ({
      fixture: `gcp/firestore-document/${f}.json`,
      fn: 'goldenEvent',
      mode: 'binary',
      type: 'google.cloud.firestore.document.v1.written',
      source: '//firestore.googleapis.com/projects/project-id/databases/(default)',
    }),
  ),
  {
    fixture: 'gcp/audit-log/cloudevent-structured-bigquery-job-completed.json',
    fn: 'goldenEvent',
    mode: 'structured',
  },
  ...['data-bigquery-job-completed', 'data-monitoring-create-time-series', 'data-pubsub-create-topic'].map(
    (f): Case => ({
      fixture: `gcp/audit-log/${f}.json`,
      fn: 'goldenEvent',
      mode: 'binary',
      type: 'google.cloud.audit.log.v1.written',
      source: '//cloudaudit.googleapis.com/projects/test-project/logs/activity',
    }),
  ),
  { fixture: 'gcp/firebase-auth/conformance-cloudevent.json', fn: 'goldenEvent', mode: 'structured' },
  { fixture: 'gcp/firebase-auth/conformance-legacy.json', fn: 'goldenEvent', mode: 'legacy' },
  {
    fixture: 'gcp/firebase-auth/data-complex.json',
    fn: 'goldenEvent',
    mode: 'binary',
    type: 'google.firebase.auth.user.v1.created',
    source: '//firebaseauth.googleapis.com/projects/my-project-id',
  },
  { fixture: 'gcp/firebase-database/conformance-db1-cloudevent.json', fn: 'goldenEvent', mode: 'structured' },
  { fixture: 'gcp/firebase-database/conformance-db1-legacy.json', fn: 'goldenEvent', mode: 'legacy' },
  {
    fixture: 'gcp/firebase-database/data-simple.json',
    fn: 'goldenEvent',
    mode: 'binary',
    type: 'google.firebase.database.ref.v1.written',
    source: '//firebasedatabase.googleapis.com/projects/_/locations/us-central1/instances/my-project-id',
  },
  {
    fixture: 'gcp/cloudbuild/data-simple.json',
    fn: 'goldenEvent',
    mode: 'binary',
    type: 'google.cloud.cloudbuild.build.v1.statusChanged',
    source: '//cloudbuild.googleapis.com/projects/my-project/locations/global/builds/build-id',
  },
  {
    fixture: 'gcp/firebase-alerts/data-simple.json',
    fn: 'goldenEvent',
    mode: 'binary',
    type: 'google.firebase.firebasealerts.alerts.v1.published',
    source: '//firebasealerts.googleapis.com/projects/my-project',
  },
  {
    fixture: 'gcp/firebase-remoteconfig/data-simple.json',
    fn: 'goldenEvent',
    mode: 'binary',
    type: 'google.firebase.remoteconfig.remoteConfig.v1.updated',
    source: '//firebaseremoteconfig.googleapis.com/projects/my-project',
  },
  ...[
    'base64-json-data',
    'base64-text-data',
    'binary-attr',
    'json-data-with-ext',
    'json-data-with-fractional-time',
    'json-data',
    'min-subject-null',
    'min',
    'numeric-ext',
    'text-data',
    'xml-data',
  ].map(
    (f): Case => ({ fixture: `cloudevents/structured-v1/${f}.json`, fn: 'goldenEvent', mode: 'structured' }),
  ),
  // Rejected: the golden holds the 400 and its message.
  ...['fail-numeric-decimal', 'json-data-with-ext-invalid'].map(
    (f): Case => ({
      fixture: `cloudevents/structured-v1-invalid/${f}.json`,
      fn: 'goldenEvent',
      mode: 'structured',
    }),
  ),
  ...['json-data', 'base64-json-data'].map(
    (f): Case => ({ fixture: `cloudevents/structured-v03/${f}.json`, fn: 'goldenEvent', mode: 'structured' }),
  ),
];

function request(c: Case, text: string): RequestInit {
  if (c.mode === 'binary')
    return {
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': 'golden-1',
        'ce-type': c.type!,
        'ce-source': c.source!,
        'ce-time': '2021-02-05T04:06:14.109Z',
        'content-type': 'application/json',
      },
      body: text,
    };
  return {
    method: 'POST',
    headers: {
      'content-type': c.mode === 'structured' ? 'application/cloudevents+json' : 'application/json',
    },
    body: text,
  };
}

let served: Awaited<ReturnType<typeof serveAll>>;
beforeAll(async () => {
  handle(goldenApp, { project: 'golden-project' });
  served = await serveAll(['goldenQueue', 'goldenStorage', 'goldenSchedule', 'goldenEvent']);
});
afterAll(() => served.close());

describe('goldens: shared fixtures through the framework server', () => {
  it.each(cases)('$fixture ($mode → $fn)', async (c) => {
    const text = readFileSync(join(fixtures, c.fixture), 'utf8');
    received.length = 0;
    const response = await fetch(served.urls[c.fn]!, request(c, text));
    const body = await response.text();
    const actual =
      response.status === 204
        ? { fixture: c.fixture, mode: c.mode, function: c.fn, status: 204, event: neutralJson(received[0]) }
        : {
            fixture: c.fixture,
            mode: c.mode,
            function: c.fn,
            status: response.status,
            body: JSON.parse(body),
          };
    const file = join(goldenDir, c.fixture);
    if (UPDATE || !existsSync(file)) {
      if (!UPDATE) throw new Error(`no golden for ${c.fixture}: run with UPDATE_GOLDEN=1 and review it`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    expect(received.length).toBe(response.status === 204 ? 1 : 0);
  });
});
