/** Regression tests for the peer-library bugs of docs/peer-bugs.md that apply to Cloud Functions. */
import { defineApp, http, type Message, queue } from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployScript } from '../../src/build/deploy-script.ts';
import { handle } from '../../src/index.ts';
import { serveAll } from '../support/framework-server.ts';
import { send, text } from '../support/wire.ts';

const tasks: Message[] = [];
const app = defineApp({
  name: 'peer',
  functions: {
    peerHttp: http('ANY /*', (req) => {
      if (req.path === '/cookies')
        return {
          status: 200,
          cookies: ['a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/', 'b=2; HttpOnly'],
          body: 'ok',
        };
      if (req.path === '/framing')
        return new Response('chunky', {
          headers: { 'transfer-encoding': 'chunked', 'content-type': 'text/plain' },
        });
      if (req.path === '/size') return { status: 200, body: { bytes: req.body.length } };
      if (req.path === '/headers') {
        const names = [...req.headers.keys()];
        return {
          mixed: req.headers.get('x-mixed'),
          names: names.every((n) => n === n.toLowerCase()) ? 'lower-case' : names,
        };
      }
      throw new Error('secret at /srv/app.js:1');
    }),
    peerTasks: queue(
      'peer-tasks',
      (m) => {
        tasks.push(m);
        if (m.text() === 'fail') throw new Error('task failed');
      },
      { providers: { gcp: { queueService: 'tasks' } } },
    ),
  },
});

let served: Awaited<ReturnType<typeof serveAll>>;
beforeAll(async () => {
  handle(app);
  served = await serveAll(['peerHttp', 'peerTasks']);
});
afterAll(() => served.close());

describe('PEER-BUGS regressions on gcp', () => {
  it('#1 several Set-Cookie values (one with a comma in Expires) come out as separate header lines', async () => {
    const res = await send(`${served.urls.peerHttp}/cookies`);
    expect(res.cookies).toEqual(['a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/', 'b=2; HttpOnly']);
  });

  it('#6 header names reach the handler lower-case (from rawHeaders, which keep the client casing)', async () => {
    const res = await send(`${served.urls.peerHttp}/headers`, { headers: [['X-MiXeD', 'v']] });
    expect(JSON.parse(text(res.body))).toEqual({ mixed: 'v', names: 'lower-case' });
  });

  it('#7 a handler’s Transfer-Encoding is not copied: Node frames the buffered body itself', async () => {
    const res = await send(`${served.urls.peerHttp}/framing`);
    expect(text(res.body)).toBe('chunky');
    expect(res.headers['content-length']).toBe('6');
    expect(res.headers['transfer-encoding']).toBeUndefined();
  });

  it('#11 a thrown error is a clean JSON 500, never an HTML error page or a 502', async () => {
    const res = await send(`${served.urls.peerHttp}/throw`);
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('application/json');
    expect(text(res.body)).toBe('{"error":"Internal Server Error"}');
  });

  it('#12 a 7 MB body (over Lambda’s 6 MB) is accepted: the framework allows 1024 MB, Cloud Run 32 MB', async () => {
    const body = new Uint8Array(7 * 1024 * 1024).fill(7);
    const res = await send(`${served.urls.peerHttp}/size`, {
      method: 'POST',
      headers: [['content-type', 'application/octet-stream']],
      body,
    });
    expect(JSON.parse(text(res.body))).toEqual({ bytes: body.length });
  });
});

describe('Cloud Tasks HTTP target → Message', () => {
  const taskHeaders = (name: string, retries: string): [string, string][] => [
    ['content-type', 'text/plain'],
    ['x-cloudtasks-taskname', name],
    ['x-cloudtasks-queuename', 'peer-tasks'],
    ['x-cloudtasks-taskretrycount', retries],
    ['x-cloudtasks-tasketa', '1700000000.5'],
  ];

  it('id, body, queue, delivery count (retries + 1) and ETA; a failure answers 500 so Cloud Tasks retries', async () => {
    tasks.length = 0;
    const ok = await send(served.urls.peerTasks!, {
      method: 'POST',
      headers: taskHeaders('t-1', '2'),
      body: 'hello',
    });
    expect(ok.status).toBe(204);
    expect(tasks[0]!.toJSON()).toMatchObject({
      id: 't-1',
      source: 'peer-tasks',
      bodyBase64: Buffer.from('hello').toString('base64'),
      deliveryCount: 3,
      enqueuedAt: '2023-11-14T22:13:20.500Z',
      contentType: 'text/plain',
    });
    const fail = await send(served.urls.peerTasks!, {
      method: 'POST',
      headers: taskHeaders('t-2', '0'),
      body: 'fail',
    });
    expect(fail.status).toBe(500);
  });

  it('a malformed retry count is a 400 naming the header', async () => {
    const res = await send(served.urls.peerTasks!, {
      method: 'POST',
      headers: taskHeaders('t-3', 'many'),
      body: 'x',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(text(res.body)).error).toBe(
      'headers.x-cloudtasks-taskretrycount: must be a non-negative integer',
    );
  });

  it('deploy.sh creates the Cloud Tasks queue and an http trigger for a tasks-fed queue function', () => {
    const sh = deployScript(app);
    expect(sh).toContain('gcloud tasks queues create peer-tasks');
    expect(sh).toMatch(/deploy peerTasks --gen2 --runtime=nodejs22 --entry-point=peerTasks .*--trigger-http/);
  });
});
