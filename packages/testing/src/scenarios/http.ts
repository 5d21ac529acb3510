import { fromBase64, HTTP_METHODS, toBase64 } from '@polycloud/core/adapter';
import type { NeutralHttpRequest } from '../driver.ts';
import {
  allByteValues,
  LARGE_BODY_BYTES,
  PROBE_NAMES,
  patternBytes,
  SECRET_ERROR_TEXT,
  sha256,
} from '../probe-app.ts';
import type { ContractScenario } from '../scenario.ts';
import { findLeak } from '../stack-leaks.ts';
import { echo, json, scenario, send, text } from './http-helpers.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

const methods: ContractScenario[] = HTTP_METHODS.map((method) =>
  scenario(
    `http.method.${method.toLowerCase()}`,
    'http',
    `${method} reaches the function as ${method}`,
    async (t, ctx) => {
      const res = await send(t, ctx, PROBE_NAMES.http, { method, path: '/echo/method' });
      t.equal(res.status, 200, `status of ${method} /echo/method`);
      // A HEAD answer carries no body on the wire; the method is still checked for the others.
      if (method !== 'HEAD')
        t.equal(json<{ method: string }>(t, res, method).method, method, 'method the handler saw');
    },
  ),
);

const statuses: ContractScenario[] = [200, 201, 204, 404, 500].map((status) =>
  scenario(
    `http.status.${status}`,
    'http',
    `a handler answering ${status} gives ${status}`,
    async (t, ctx) => {
      const res = await send(t, ctx, PROBE_NAMES.http, {
        method: 'GET',
        path: '/echo/status',
        query: [['status', String(status)]],
      });
      t.equal(res.status, status, 'status');
      if (status === 204) t.equal(res.body.length, 0, 'body length of a 204');
      else t.equal(json<{ path: string }>(t, res, 'echo').path, '/echo/status', 'echoed path');
    },
  ),
);

export const httpScenarios: ContractScenario[] = [
  ...methods,
  scenario('http.path.params', 'http', 'named route params arrive decoded once', async (t, ctx) => {
    const res = await send(t, ctx, PROBE_NAMES.params, {
      method: 'GET',
      path: '/users/j%C3%BCrgen%20x/files/docs/a%20b.txt',
    });
    t.equal(res.status, 200, 'status');
    t.equal(
      json<{ params: unknown }>(t, res, 'params').params,
      { userId: 'jürgen x', '*': 'docs/a b.txt' },
      'route params',
    );
  }),
  scenario('http.path.wildcard', 'http', '`*` captures the rest of the path', async (t, ctx) => {
    const body = await echo(t, ctx, { method: 'GET', path: '/echo/a/b/c.txt' });
    t.equal(body.params, { '*': 'a/b/c.txt' }, 'params');
    t.equal(body.path, '/echo/a/b/c.txt', 'path');
  }),
  scenario('http.path.unicode', 'http', 'a unicode path arrives decoded', async (t, ctx) => {
    const body = await echo(t, ctx, {
      method: 'GET',
      path: '/echo/caf%C3%A9/%E6%97%A5%E6%9C%AC/%F0%9F%98%80',
    });
    t.equal(body.path, '/echo/café/日本/😀', 'path');
    t.equal(body.params, { '*': 'café/日本/😀' }, 'params');
  }),
  scenario(
    'http.path.percent-decoded-once',
    'http',
    'percent-encoded segments are decoded exactly once (%2520 → %20; %2F stays in its segment)',
    async (t, ctx) => {
      const body = await echo(t, ctx, { method: 'GET', path: '/echo/a%2520b/x%2Fy/100%25' });
      t.equal(body.path, '/echo/a%20b/x%2Fy/100%', 'path');
      t.equal(body.params, { '*': 'a%20b/x%2Fy/100%' }, 'params');
    },
  ),
  scenario('http.query.repeated', 'http', 'repeated query keys keep every value in order', async (t, ctx) => {
    const body = await echo(t, ctx, {
      method: 'GET',
      path: '/echo/q',
      query: [
        ['tag', 'b'],
        ['x', '1'],
        ['tag', 'a'],
        ['tag', 'c'],
      ],
    });
    t.equal(body.query, { tag: ['b', 'a', 'c'], x: ['1'] }, 'query');
  }),
  scenario('http.query.unicode', 'http', 'unicode query keys and values arrive decoded', async (t, ctx) => {
    const body = await echo(t, ctx, {
      method: 'GET',
      path: '/echo/q',
      query: [
        ['name', '日本語'],
        ['émoji', '😀 ✓'],
      ],
    });
    t.equal(body.query, { name: ['日本語'], émoji: ['😀 ✓'] }, 'query');
  }),
  scenario(
    'http.query.special-characters',
    'http',
    'query values with & = + % and spaces arrive decoded exactly once',
    async (t, ctx) => {
      const body = await echo(t, ctx, {
        method: 'GET',
        path: '/echo/q',
        query: [
          ['a&b', 'c=d'],
          ['plus', '1+1 = 2'],
          ['pct', '100%25 %'],
        ],
      });
      t.equal(body.query, { 'a&b': ['c=d'], plus: ['1+1 = 2'], pct: ['100%25 %'] }, 'query');
    },
  ),
  scenario('http.headers.repeated', 'http', 'repeated request headers keep every value', async (t, ctx) => {
    const body = await echo(t, ctx, {
      method: 'GET',
      path: '/echo/h',
      headers: [
        ['x-multi', 'one'],
        ['x-multi', 'two'],
        ['x-single', 'solo'],
      ],
    });
    t.equal(
      { multi: body.headers['x-multi'], single: body.headers['x-single'] },
      { multi: 'one, two', single: 'solo' },
      'headers x-multi and x-single',
    );
  }),
  scenario('http.headers.lower-case', 'http', 'header names arrive lower-case', async (t, ctx) => {
    const body = await echo(t, ctx, { method: 'GET', path: '/echo/h', headers: [['X-Mixed-Case', 'v']] });
    t.equal(body.headers['x-mixed-case'], 'v', 'header x-mixed-case');
    t.equal(
      Object.keys(body.headers).filter((k) => k !== k.toLowerCase()),
      [],
      'header names that are not lower-case',
    );
  }),
  scenario('http.cookies.in', 'http', 'request cookies arrive parsed', async (t, ctx) => {
    const body = await echo(t, ctx, {
      method: 'GET',
      path: '/echo/c',
      headers: [['cookie', 'session=abc123; theme=dark; note=hello%20world']],
    });
    t.equal(body.cookies, { session: 'abc123', theme: 'dark', note: 'hello world' }, 'cookies');
    t.equal(body.headers.cookie, undefined, 'cookie header in the echoed headers (echo excludes it)');
  }),
  scenario(
    'http.cookies.set-multiple',
    'http',
    'several Set-Cookie values come out separately, in order',
    async (t, ctx) => {
      const res = await send(t, ctx, PROBE_NAMES.respond, { method: 'GET', path: '/probe/cookies' });
      t.equal(res.status, 200, 'status');
      t.equal(
        res.cookies,
        [
          'session=abc123; Path=/; HttpOnly; Secure; SameSite=Lax',
          'theme=dark; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/',
          'empty=; Max-Age=0',
        ],
        'Set-Cookie values',
      );
    },
  ),
  scenario(
    'http.body.empty-in',
    'http',
    'a request without a body arrives with an empty body',
    async (t, ctx) => {
      const body = await echo(t, ctx, { method: 'POST', path: '/echo/b' });
      t.equal(body.bodyBase64, '', 'body (base64)');
    },
  ),
  scenario('http.body.json-in', 'http', 'a JSON request body arrives byte-exact', async (t, ctx) => {
    const payload = utf8(JSON.stringify({ name: 'Zoë', tags: ['a', 'b'], n: 1.5, nested: { ok: true } }));
    const body = await echo(t, ctx, {
      method: 'POST',
      path: '/echo/b',
      headers: [['content-type', 'application/json']],
      body: payload,
    });
    t.bytes(fromBase64(body.bodyBase64) ?? new Uint8Array(), payload, 'body bytes');
  }),
  scenario(
    'http.body.binary-in',
    'http',
    'a binary request body (all 256 byte values) arrives byte-exact',
    async (t, ctx) => {
      const body = await echo(t, ctx, {
        method: 'POST',
        path: '/echo/b',
        headers: [['content-type', 'application/octet-stream']],
        body: allByteValues(),
      });
      t.equal(body.bodyBase64, toBase64(allByteValues()), 'body (base64)');
    },
  ),
  scenario('http.body.large-in', 'http', 'a 4 MB binary request body arrives intact', async (t, ctx) => {
    const payload = patternBytes(LARGE_BODY_BYTES);
    const res = await send(t, ctx, PROBE_NAMES.respond, {
      method: 'POST',
      path: '/probe/digest',
      headers: [['content-type', 'application/octet-stream']],
      body: payload,
    });
    t.equal(res.status, 200, 'status');
    t.equal(
      json(t, res, 'digest'),
      { length: payload.length, sha256: sha256(payload) },
      'length and sha256 of the body',
    );
  }),
  scenario('http.body.empty-out', 'http', 'an empty response body comes out empty', async (t, ctx) => {
    const res = await send(t, ctx, PROBE_NAMES.respond, { method: 'GET', path: '/probe/empty' });
    t.equal(res.status, 200, 'status');
    t.equal(res.body.length, 0, 'body length');
  }),
  scenario(
    'http.body.json-out',
    'http',
    'a JSON response comes out as application/json, byte-exact',
    async (t, ctx) => {
      const res = await send(t, ctx, PROBE_NAMES.respond, { method: 'GET', path: '/probe/json' });
      t.equal(res.status, 200, 'status');
      t.ok(
        (res.headers['content-type'] ?? '').startsWith('application/json'),
        'content-type',
        'application/json',
        res.headers['content-type'],
      );
      t.equal(
        json(t, res, 'json'),
        { text: 'héllo wörld ✓ 日本', n: 42, list: [1, 'two', null], nested: { a: true } },
        'JSON body',
      );
    },
  ),
  scenario(
    'http.body.binary-out',
    'http',
    'a binary response (all 256 byte values) comes out byte-exact',
    async (t, ctx) => {
      const res = await send(t, ctx, PROBE_NAMES.respond, { method: 'GET', path: '/probe/binary' });
      t.equal(res.status, 200, 'status');
      t.equal(res.headers['content-type'], 'application/octet-stream', 'content-type');
      t.bytes(res.body, allByteValues(), 'body bytes');
    },
  ),
  scenario('http.body.large-out', 'http', 'a 4 MB binary response comes out intact', async (t, ctx) => {
    const res = await send(t, ctx, PROBE_NAMES.respond, { method: 'GET', path: '/probe/large' });
    t.equal(res.status, 200, 'status');
    const expected = patternBytes(LARGE_BODY_BYTES);
    t.equal(
      { length: res.body.length, sha256: sha256(res.body) },
      { length: expected.length, sha256: sha256(expected) },
      'length and sha256 of the body',
    );
  }),
  ...statuses,
  scenario('http.status.301', 'http', 'a 301 keeps its Location header', async (t, ctx) => {
    const res = await send(t, ctx, PROBE_NAMES.respond, { method: 'GET', path: '/probe/redirect' });
    t.equal(
      { status: res.status, location: res.headers.location },
      { status: 301, location: '/echo/moved' },
      'status and location',
    );
  }),
  scenario(
    'http.error.http-error',
    'http',
    'HttpError answers its status, message and details',
    async (t, ctx) => {
      const res = await send(t, ctx, PROBE_NAMES.respond, { method: 'POST', path: '/probe/http-error' });
      t.equal(res.status, 422, 'status');
      t.equal(
        json(t, res, 'error'),
        { error: 'name is already taken', details: { field: 'name' } },
        'error body',
      );
    },
  ),
  scenario(
    'http.error.thrown',
    'http',
    'a thrown error answers 500 without its message or stack',
    async (t, ctx) => {
      const cases: [string, NeutralHttpRequest][] = [
        [PROBE_NAMES.respond, { method: 'GET', path: '/probe/throw' }],
        [PROBE_NAMES.http, { method: 'GET', path: '/echo/fail', headers: [['x-echo-fail', '1']] }],
      ];
      for (const [fn, request] of cases) {
        const res = await send(t, ctx, fn, request);
        t.equal(res.status, 500, `status of ${request.path}`);
        const answer = text(res.body) + JSON.stringify(res.headers);
        t.ok(
          !answer.includes(SECRET_ERROR_TEXT),
          `the error message stays out of the answer to ${request.path}`,
          'no error message',
          answer.slice(0, 300),
        );
        const leak = findLeak(answer);
        t.ok(leak === undefined, `no stack trace in the answer to ${request.path}`, 'no stack trace', leak);
      }
    },
  ),
  scenario(
    'http.response-object',
    'http',
    'a WHATWG Response returned by the handler comes out whole',
    async (t, ctx) => {
      const res = await send(t, ctx, PROBE_NAMES.respond, { method: 'GET', path: '/probe/response' });
      t.equal(
        {
          status: res.status,
          contentType: res.headers['content-type'],
          custom: res.headers['x-from-response'],
          cookies: res.cookies,
          body: text(res.body),
        },
        {
          status: 202,
          contentType: 'text/plain; charset=utf-8',
          custom: 'yes',
          cookies: ['a=1; Path=/', 'b=2; Expires=Thu, 01 Jan 2037 00:00:00 GMT'],
          body: 'made by a Response ✓',
        },
        'the Response',
      );
    },
  ),
];
