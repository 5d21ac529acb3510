import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { App } from '@polycloud/core';
import { type AwsDeployment, startAws } from './aws-front.ts';
import { type AzureDeployment, startAzure } from './azure-front.ts';
import { buildWithCli, copyApp, PROVIDERS, type Provider } from './build.ts';
import type { Front } from './front.ts';
import { type GcpDeployment, startGcp } from './gcp-front.ts';
import { type NodeDeployment, startNode } from './node-front.ts';

export interface Deployments {
  dir: string;
  /** Each provider's build output. */
  dist: Record<Provider, string>;
  aws: AwsDeployment;
  azure: AzureDeployment;
  gcp: GcpDeployment;
  node: NodeDeployment;
  all: Record<Provider, Front>;
  close(): Promise<void>;
}

/**
 * What deploying a build creates before its functions start: the queues, topics and buckets its
 * deployment artifacts declare, made on the services standing in for the provider's. Returns the
 * settings every function gets (endpoints, connections) and, for AWS, what CloudFormation resolves
 * each resource's `Ref` to.
 */
export type Provision = (
  provider: Provider,
  distDir: string,
) => Promise<{ env: Record<string, string>; refs?: Record<string, string> }>;

/**
 * The app copied once, built by the CLI for each provider with nothing but `--provider` changed,
 * and each build started on its runtime. `env(provider)` is what the deployment's settings give
 * every function (the same names everywhere, a separate value per provider); `provision` creates
 * the resources each build declares before it starts.
 */
export async function deployEverywhere(
  appDir: string,
  app: App,
  env: (provider: Provider, dir: string) => Record<string, string> = () => ({}),
  provision: Provision = async () => ({ env: {} }),
): Promise<Deployments> {
  const dir = copyApp(appDir);
  const dist = {} as Record<Provider, string>;
  // Two builds at a time: the machine has two cores.
  for (const pair of [PROVIDERS.slice(0, 2), PROVIDERS.slice(2)])
    await Promise.all(pair.map(async (p) => (dist[p] = await buildWithCli(dir, p))));
  const started: Front[] = [];
  const keep = <T extends Front>(f: T): T => {
    started.push(f);
    return f;
  };
  try {
    const settings = async (p: Provider) => {
      const made = await provision(p, dist[p]);
      return { env: { ...env(p, dir), ...made.env }, refs: made.refs ?? {} };
    };
    // One provider at a time: a dozen runtimes starting at once on two cores time out.
    const awsSettings = await settings('aws');
    const aws = keep(await startAws(dist.aws, awsSettings.env, awsSettings.refs));
    const azure = keep(await startAzure(dist.azure, (await settings('azure')).env));
    const gcp = keep(await startGcp(dist.gcp, app, (await settings('gcp')).env));
    const node = keep(await startNode(dist.node, (await settings('node')).env));
    return {
      dir,
      dist,
      aws,
      azure,
      gcp,
      node,
      all: { aws, azure, gcp, node },
      close: async () => {
        await Promise.all(started.map((f) => f.close()));
        rmSync(dirname(dir), { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map((f) => f.close()));
    throw error;
  }
}

export const storeFile = (provider: Provider, dir: string) => join(dir, `store-${provider}.json`);
