import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { buildCommand } from '../../../../packages/cli/src/build-command.ts';

const root = resolve(import.meta.dirname, '../../../..');
const echoDir = join(root, 'examples/echo');

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

describe('polycloud build --provider node', () => {
  it('writes a self-contained server bundle and Dockerfile that serve the app', async () => {
    const lines: string[] = [];
    const files = await buildCommand(echoDir, 'node', (l) => lines.push(l));
    const chunks = files.filter((f) => /^chunk-\w+\.mjs$/.test(f));
    expect(files).toEqual([
      'server.mjs',
      ...chunks,
      'package.json',
      'Dockerfile',
      'compose.yaml',
      'nginx.conf',
      'k8s/app.yaml',
      'k8s/nats.yaml',
    ]);
    const out = join(echoDir, 'dist/node');
    expect(lines.join('\n')).toMatch(/server\.mjs\s+[\d.]+ KiB/);
    // The NATS client is in a chunk of its own, loaded only when a NATS broker is configured.
    const entryText = readFileSync(join(out, 'server.mjs'), 'utf8');
    const startupText = [entryText]
      .concat(
        [...entryText.matchAll(/(?:from|import)\s*"\.\/(chunk-\w+\.mjs)"/g)].map((m) =>
          readFileSync(join(out, m[1]!), 'utf8'),
        ),
      )
      .join('\n');
    expect(startupText).not.toContain('JetStreamApiError');
    // The app has functions the broker delivers to: its startup file holds the in-memory broker
    // (an http-only app's does not: test/cold-start) and hands it to the runtime's broker.
    expect(startupText).toContain('message dead-lettered after max deliveries');
    expect(chunks.some((c) => readFileSync(join(out, c), 'utf8').includes('JetStreamApiError'))).toBe(true);
    expect(readFileSync(join(out, 'Dockerfile'), 'utf8')).toContain('CMD ["node", "server.mjs"]');
    const bundle = ['server.mjs', ...chunks].map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(bundle).not.toMatch(/@azure\/functions|functions-framework|client-lambda/);
    // The app declares no container modules: inversify sits in a chunk of its own behind core's
    // import('inversify'), never loaded by this server.
    expect(startupText).not.toContain('Ambiguous bindings found');
    expect(bundle).toContain('Ambiguous bindings found');
    expect(existsSync(join(out, 'node_modules'))).toBe(false);

    const port = await freePort();
    child = spawn(process.execPath, ['server.mjs'], {
      cwd: out,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    let ready = false;
    for (let i = 0; i < 100 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    }
    expect(ready).toBe(true);
    const res = await fetch(`http://127.0.0.1:${port}/echo/built?x=1`);
    expect(await res.json()).toMatchObject({ path: '/echo/built', query: { x: ['1'] } });
    // A message through the built server's broker: accepted and handled (the handler logs it).
    const sent = await fetch(`http://127.0.0.1:${port}/_polycloud/queues/echo-queue`, {
      method: 'POST',
      body: 'built',
    });
    expect(sent.status).toBe(202);
    const { id } = (await sent.json()) as { id: string };
    const handled = () =>
      stdout.split('\n').some((line) => line.includes('"message":"echo"') && line.includes(id));
    for (let i = 0; i < 100 && !handled(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(handled()).toBe(true);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child!.once('exit', r));
    expect(code).toBe(0);
  });
});

describe('self-host artifacts of polycloud build --provider node', () => {
  const out = join(echoDir, 'dist/node');
  const image = 'echo:latest';

  it('compose.yaml: NATS with JetStream and a file store, three replicas behind one port', () => {
    const compose = parse(readFileSync(join(out, 'compose.yaml'), 'utf8'));
    expect(compose.services.nats.image).toMatch(/^nats:2\.\d+/);
    expect(compose.services.nats.command).toEqual(['-js', '-sd', '/data', '-m', '8222']);
    expect(compose.services.nats.volumes).toEqual(['nats-data:/data']);
    expect(compose.volumes).toHaveProperty('nats-data');
    expect(compose.services.app).toMatchObject({
      image,
      build: '.',
      deploy: { replicas: 3 },
      environment: { POLYCLOUD_NATS_URL: 'nats://nats:4222', PORT: '8080', HOST: '0.0.0.0' },
      depends_on: { nats: { condition: 'service_healthy' } },
    });
    expect(compose.services.app.ports).toBeUndefined();
    expect(compose.services.proxy.ports).toEqual(['8080:8080']);
    expect(compose.services.proxy.volumes).toEqual(['./nginx.conf:/etc/nginx/conf.d/default.conf:ro']);
    const nginx = readFileSync(join(out, 'nginx.conf'), 'utf8');
    expect(nginx).toContain('set $app http://app:8080;');
    expect(nginx).toContain('resolver 127.0.0.11');
  });

  it('k8s: a Deployment of the image with the NATS URL, a Service, and a NATS StatefulSet', () => {
    const app = parseAllDocuments(readFileSync(join(out, 'k8s/app.yaml'), 'utf8')).map((d) => d.toJS());
    const nats = parseAllDocuments(readFileSync(join(out, 'k8s/nats.yaml'), 'utf8')).map((d) => d.toJS());
    expect(app.map((d) => d.kind)).toEqual(['Deployment', 'Service']);
    expect(nats.map((d) => d.kind)).toEqual(['StatefulSet', 'Service']);
    const deployment = app[0];
    expect(deployment.spec.replicas).toBe(3);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe(image);
    expect(container.env).toContainEqual({ name: 'POLYCLOUD_NATS_URL', value: 'nats://nats:4222' });
    expect(container.readinessProbe.httpGet.path).toBe('/healthz');
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    expect(app[1].spec.selector).toEqual(deployment.spec.template.metadata.labels);
    const statefulSet = nats[0];
    expect(statefulSet.spec.template.spec.containers[0].args).toEqual(['-js', '-sd', '/data', '-m', '8222']);
    expect(statefulSet.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(nats[1].metadata.name).toBe('nats');
    expect(nats[1].spec.ports[0].port).toBe(4222);
  });
});
