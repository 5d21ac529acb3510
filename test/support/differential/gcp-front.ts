/**
 * GCP as deployed by the generated deploy.sh: one functions-framework process per function (the
 * `--target` each `gcloud functions deploy` names), behind a URL map built from the app's routes
 * (what a user configures on the load balancer or API gateway in front of Cloud Run functions).
 * Requests pass through unchanged, so each function sees the method and path the client sent.
 */
import type { App } from '@polycloud/core';
import { type CliServer, startCli } from '../../../adapters/gcp/test/support/framework-cli.ts';
import { closeServer, type Front, forward, listen, urlOf } from './front.ts';
import { urlMap } from './routes.ts';

export interface GcpDeployment extends Front {
  /** Each function's own URL (its Cloud Run service), by name. */
  readonly functionUrls: Record<string, string>;
  /** Each function's framework server (its stdout lines: the function's log entries). */
  readonly servers: ReadonlyMap<string, CliServer>;
}

export async function startGcp(
  distDir: string,
  app: App,
  env: Record<string, string>,
): Promise<GcpDeployment> {
  const names = [...app.functions.keys()];
  const servers = new Map<string, CliServer>();
  // Two at a time (two cores): the framework CLI must print its port within 15 s.
  for (let i = 0; i < names.length; i += 2)
    await Promise.all(
      names.slice(i, i + 2).map(async (name) => {
        servers.set(name, await startCli(distDir, name, { GOOGLE_CLOUD_PROJECT: 'diff-project', ...env }));
      }),
    );
  const route = urlMap(app);
  const server = await listen(async (req) => {
    const name = route(req.method, req.rawPath);
    // The URL map's default answer: no function serves this path.
    if (!name)
      return {
        status: 404,
        headers: [['content-type', 'application/json']],
        body: Buffer.from('{"error":"Not Found"}'),
      };
    return forward(servers.get(name)!.url, req);
  });
  return {
    url: urlOf(server),
    functionUrls: Object.fromEntries([...servers].map(([n, s]) => [n, s.url])),
    servers,
    async close() {
      await closeServer(server);
      await Promise.all([...servers.values()].map((s) => s.stop()));
    },
  };
}
