/**
 * The kit's probe app mirrors examples/echo (the conformance app): same function names, kinds and
 * triggers, and the same echoHttp answer. A driver that maps echo's triggers therefore maps the
 * probe's, and a behaviour the kit checks through the probe is the one echo shows users.
 */
import { HttpRequest } from '@polycloud/core';
import { AppRuntime, bindFunction, type FunctionDefinition } from '@polycloud/core/adapter';
import echoApp from '@polycloud/example-echo';
import { createProbeApp } from '@polycloud/testing';
import { describe, expect, it } from 'vitest';

function trigger(def: FunctionDefinition): unknown {
  switch (def.kind) {
    case 'http':
      return { kind: def.kind, route: def.route };
    case 'queue':
      return { kind: def.kind, queue: def.queue };
    case 'topic':
      return { kind: def.kind, topic: def.topic };
    case 'storage':
      return { kind: def.kind, bucket: def.bucket, events: def.events };
    case 'schedule':
      return { kind: def.kind, name: def.name, cron: def.cron };
    case 'event':
      return { kind: def.kind, types: def.types };
  }
}

const silent = () => {};

describe('the contract probe app mirrors examples/echo', () => {
  const probe = createProbeApp().app;

  it('has every echo function with the same kind and trigger', () => {
    const echo = Object.fromEntries([...echoApp.functions].map(([name, def]) => [name, trigger(def)]));
    const mirrored = Object.fromEntries(
      [...probe.functions].filter(([name]) => name in echo).map(([name, def]) => [name, trigger(def)]),
    );
    expect(mirrored).toEqual(echo);
    expect(Object.keys(echo).sort()).toEqual([
      'echoEvent',
      'echoHttp',
      'echoQueue',
      'echoSchedule',
      'echoStorage',
      'echoTopic',
    ]);
  });

  it('answers the same echoHttp body for the same request', async () => {
    const echoRuntime = new AppRuntime(echoApp, { name: 'node', sink: silent });
    const probeRuntime = new AppRuntime(probe, { name: 'node', sink: silent });
    const requests = [
      { method: 'GET', rawPath: '/echo/a%20b/c', query: 'tag=1&tag=2&x=%C3%A9' },
      {
        method: 'POST',
        rawPath: '/echo/x',
        headers: [
          ['cookie', 'a=1'],
          ['x-m', 'one'],
          ['x-m', 'two'],
        ] as [string, string][],
        body: Uint8Array.from([0, 255, 10]),
      },
      { method: 'GET', rawPath: '/echo/s', query: 'status=201' },
      { method: 'GET', rawPath: '/echo/s', query: 'status=204' },
      { method: 'GET', rawPath: '/echo/f', headers: [['x-echo-fail', '1']] as [string, string][] },
    ];
    for (const init of requests) {
      const [a, b] = await Promise.all([
        bindFunction(echoRuntime, 'echoHttp').http(() => new HttpRequest(init)),
        bindFunction(probeRuntime, 'echoHttp').http(() => new HttpRequest(init)),
      ]);
      expect(b, `${init.method} ${init.rawPath}`).toEqual(a);
    }
  });
});
