/**
 * Same app, same answers: examples/todo-api built by `polycloud build` for aws, azure, gcp and node
 * (only --provider changes), each build run on its real runtime (aws-lambda-ric behind an HTTP API
 * front routing by template.yaml; @azure/functions' invocation model behind the host's route
 * matching; one functions-framework process per function; node's server.mjs), driven by the
 * same script. Every answer must equal node's: status, the headers that matter, Set-Cookie by
 * meaning, body bytes (ids and times the store minted are replaced by their order of appearance).
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import app from '../../examples/todo-api/src/app.ts';
import { PROVIDERS, repoRoot } from '../support/differential/build.ts';
import { type Deployments, deployEverywhere, storeFile } from '../support/differential/deploy.ts';
import { compare, runScript, type Step, table } from '../support/differential/transcript.ts';

const JSON_HEADERS: [string, string][] = [['content-type', 'application/json']];
const post =
  (path: string, body: unknown): Step['make'] =>
  () => ({
    method: 'POST',
    path,
    headers: JSON_HEADERS,
    body: JSON.stringify(body),
  });
const keepId = (key: string) => (answer: { body: Uint8Array }, state: Record<string, string>) => {
  state[key] = (JSON.parse(Buffer.from(answer.body).toString()) as { id: string }).id;
};

const script: Step[] = [
  {
    label: 'POST /todos "  buy milk "',
    make: post('/todos', { title: '  buy milk ' }),
    after: keepId('milk'),
  },
  {
    label: 'POST /todos done report',
    make: post('/todos', { title: 'write report', done: true }),
    after: keepId('report'),
  },
  { label: 'GET /todos', make: () => ({ method: 'GET', path: '/todos' }) },
  { label: 'GET /todos?done=true', make: () => ({ method: 'GET', path: '/todos?done=true' }) },
  { label: 'GET /todos?q=BUY&q=milk', make: () => ({ method: 'GET', path: '/todos?q=BUY&q=milk' }) },
  { label: 'GET /todos?done=maybe', make: () => ({ method: 'GET', path: '/todos?done=maybe' }) },
  { label: 'GET /todos/:id', make: (s) => ({ method: 'GET', path: `/todos/${s.milk}` }) },
  { label: 'HEAD /todos/:id', make: (s) => ({ method: 'HEAD', path: `/todos/${s.milk}` }) },
  { label: 'HEAD /todos', make: () => ({ method: 'HEAD', path: '/todos' }) },
  {
    label: 'GET /todos/:id with cookies',
    make: (s) => ({
      method: 'GET',
      path: `/todos/${s.report}`,
      headers: [['cookie', 'session=abc; theme=dark']],
    }),
  },
  {
    label: 'PATCH /todos/:id done',
    make: (s) => ({
      method: 'PATCH',
      path: `/todos/${s.milk}`,
      headers: JSON_HEADERS,
      body: '{"done":true}',
    }),
  },
  {
    label: 'PATCH /todos/:id unknown key',
    make: (s) => ({
      method: 'PATCH',
      path: `/todos/${s.milk}`,
      headers: JSON_HEADERS,
      body: '{"colour":"red"}',
    }),
  },
  { label: 'POST /todos empty title', make: post('/todos', { title: '   ' }) },
  { label: 'POST /todos no body', make: () => ({ method: 'POST', path: '/todos', headers: JSON_HEADERS }) },
  {
    label: 'POST /todos malformed JSON',
    make: () => ({ method: 'POST', path: '/todos', headers: JSON_HEADERS, body: '{"title":' }),
  },
  {
    label: 'POST /todos gzip JSON',
    make: () => ({
      method: 'POST',
      path: '/todos',
      headers: [...JSON_HEADERS, ['content-encoding', 'gzip']],
      body: gzipSync(JSON.stringify({ title: 'zipped '.repeat(100) })),
    }),
  },
  {
    label: 'GET /todos/unknown',
    make: () => ({ method: 'GET', path: '/todos/00000000-0000-4000-8000-000000000000' }),
  },
  { label: 'POST /todos/:id (no such method)', make: post('/todos/nope', {}) },
  { label: 'DELETE /todos/:id', make: (s) => ({ method: 'DELETE', path: `/todos/${s.milk}` }) },
  { label: 'DELETE /todos/:id again', make: (s) => ({ method: 'DELETE', path: `/todos/${s.milk}` }) },
  { label: 'GET /todos after delete', make: () => ({ method: 'GET', path: '/todos' }) },
  { label: 'DELETE /todos (no such method)', make: () => ({ method: 'DELETE', path: '/todos' }) },
];

let deployed: Deployments;
beforeAll(async () => {
  deployed = await deployEverywhere(`${repoRoot}/examples/todo-api`, app, (p, dir) => ({
    TODO_STORE_FILE: storeFile(p, dir),
  }));
}, 180_000);
afterAll(() => deployed?.close());

describe('examples/todo-api on aws, azure, gcp and node', () => {
  it('answers the scripted CRUD session identically everywhere', async () => {
    const transcripts = Object.fromEntries(
      await Promise.all(
        PROVIDERS.map(async (p) => [p, await runScript(deployed.all[p].url, script)] as const),
      ),
    ) as Parameters<typeof compare>[1];
    const { rows, differences } = compare(script, transcripts);
    process.stdout.write(`\n${table('examples/todo-api', rows)}\n`);
    expect(differences).toEqual([]);
  }, 120_000);
});
