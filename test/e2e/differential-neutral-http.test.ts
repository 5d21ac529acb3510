/**
 * Same app, same answers, for every neutral http feature: test/fixtures/apps/neutral-http built by
 * `polycloud build` for aws, azure, gcp and node and run on each real runtime (see
 * differential-todo-api.test.ts for how each is driven). Routes and params, repeated query keys,
 * cookies in and Set-Cookie out (compared by meaning: Azure's host re-renders them), a zod body,
 * HttpError with details, a throw, binary bodies both ways, HEAD, an inversify service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import app from '../fixtures/apps/neutral-http/src/app.ts';
import { PROVIDERS, repoRoot } from '../support/differential/build.ts';
import { type Deployments, deployEverywhere } from '../support/differential/deploy.ts';
import { compare, runScript, type Step, table } from '../support/differential/transcript.ts';

const JSON_HEADERS: [string, string][] = [['content-type', 'application/json']];
const BINARY: [string, string][] = [['content-type', 'application/octet-stream']];
const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);

const script: Step[] = [
  {
    label: 'GET /greet/:name ?tag×3 + cookies',
    make: () => ({
      method: 'GET',
      path: '/greet/Ada%20Lovelace?tag=a&tag=b%20c&tag=%C3%A9',
      headers: [['cookie', 'theme=dark; session=s%3D1']],
    }),
  },
  { label: 'GET /greet/:name no cookies', make: () => ({ method: 'GET', path: '/greet/Bob' }) },
  { label: 'HEAD /greet/:name', make: () => ({ method: 'HEAD', path: '/greet/Bob?tag=x' }) },
  {
    label: 'POST /notes valid',
    make: () => ({
      method: 'POST',
      path: '/notes',
      headers: JSON_HEADERS,
      body: '{"title":"hello","tags":["x"]}',
    }),
  },
  {
    label: 'POST /notes default tags',
    make: () => ({ method: 'POST', path: '/notes', headers: JSON_HEADERS, body: '{"title":"plain"}' }),
  },
  {
    label: 'POST /notes invalid',
    make: () => ({ method: 'POST', path: '/notes', headers: JSON_HEADERS, body: '{"title":"","tags":"x"}' }),
  },
  {
    label: 'POST /notes malformed JSON',
    make: () => ({ method: 'POST', path: '/notes', headers: JSON_HEADERS, body: '{"title":"x",' }),
  },
  { label: 'POST /teapot/coffee (HttpError)', make: () => ({ method: 'POST', path: '/teapot/coffee' }) },
  { label: 'POST /teapot/green', make: () => ({ method: 'POST', path: '/teapot/green' }) },
  { label: 'GET /crash (a throw)', make: () => ({ method: 'GET', path: '/crash' }) },
  {
    label: 'POST /bytes/reverse every byte',
    make: () => ({ method: 'POST', path: '/bytes/reverse', headers: BINARY, body: everyByte }),
  },
  {
    label: 'POST /bytes/reverse not UTF-8',
    make: () => ({
      method: 'POST',
      path: '/bytes/reverse',
      headers: [['content-type', 'text/plain']],
      body: Uint8Array.of(0xff, 0xfe, 0x00, 0x41),
    }),
  },
  { label: 'GET /bytes/pattern', make: () => ({ method: 'GET', path: '/bytes/pattern' }) },
  { label: 'PUT /greet/:name (no such method)', make: () => ({ method: 'PUT', path: '/greet/Bob' }) },
  { label: 'GET /nowhere (no route)', make: () => ({ method: 'GET', path: '/nowhere/at/all' }) },
];

let deployed: Deployments;
beforeAll(async () => {
  deployed = await deployEverywhere(`${repoRoot}/test/fixtures/apps/neutral-http`, app);
}, 180_000);
afterAll(() => deployed?.close());

describe('test/fixtures/apps/neutral-http on aws, azure, gcp and node', () => {
  it('answers every neutral http feature identically everywhere', async () => {
    const transcripts = Object.fromEntries(
      await Promise.all(
        PROVIDERS.map(async (p) => [p, await runScript(deployed.all[p].url, script)] as const),
      ),
    ) as Parameters<typeof compare>[1];
    const { rows, differences } = compare(script, transcripts);
    process.stdout.write(`\n${table('test/fixtures/apps/neutral-http', rows)}\n`);
    expect(differences).toEqual([]);
    // The script means something: the answers it compares are the ones the features produce.
    const node = transcripts.node;
    expect(JSON.parse(Buffer.from(node[0]!.body, 'latin1').toString('utf8'))).toEqual({
      greeting: 'Hello, Ada Lovelace!',
      tags: ['a', 'b c', 'é'],
      theme: 'dark',
      session: 's=1',
    });
    expect(node[0]!.cookies).toEqual([
      'theme=dark; max-age=3600; path=/',
      'visits=1; httponly=; path=/; samesite=lax',
    ]);
    expect(node[2]).toMatchObject({ status: 200, body: '' });
    expect(node[7]).toMatchObject({
      status: 409,
      body: '{"error":"this pot only brews tea","details":{"pot":"tea"}}',
    });
    expect(node[9]).toMatchObject({ status: 500, body: '{"error":"Internal Server Error"}' });
    expect(Buffer.from(node[10]!.body, 'latin1')).toEqual(Buffer.from(everyByte).reverse());
    expect(node[13]).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } });
    expect(node[14]).toMatchObject({ status: 404, body: '{"error":"Not Found"}' });
  }, 120_000);
});
