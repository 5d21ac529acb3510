/** Azure: the built function app in its own process under a host stand-in (azure-host-process.ts). */
import { join } from 'node:path';
import { freePort, type RunningProcess, start } from '../../../adapters/aws/test/support/child-process.ts';
import { repoRoot } from './build.ts';
import type { Front } from './front.ts';

export interface AzureDeployment extends Front {
  /** Puts one message on a Storage queue; resolves with how the host's retries ended. */
  enqueue(queue: string, text: string): Promise<{ deliveries: number; poisoned: boolean }>;
  poison(queue: string): Promise<string[]>;
  /** Each registered function's bindings, as the worker reported them to the host. */
  functions(): Promise<{ name: string; bindings: Record<string, Record<string, unknown>> }[]>;
  /** One invocation from host RPC input (bytes as base64); how it ended and what it logged. */
  invoke(
    functionName: string,
    invocation: { data: Record<string, unknown>; triggerMetadata?: Record<string, Record<string, unknown>> },
  ): Promise<{ ok: boolean; error?: string; logs: { level: string; category: string; message: string }[] }>;
  readonly process: RunningProcess;
}

export async function startAzure(distDir: string, env: Record<string, string>): Promise<AzureDeployment> {
  const port = await freePort();
  const proc = start(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'azure-host-process.ts'), distDir, String(port)],
    {
      name: 'azure host',
      cwd: repoRoot,
      env: { PATH: process.env.PATH, TZ: 'UTC', AzureWebJobsStorage: 'UseDevelopmentStorage=true', ...env },
    },
  );
  await proc.waitFor(/azure-host listening/, 30_000);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/api`,
    process: proc,
    async enqueue(queue, text) {
      const res = await fetch(`${origin}/__host/queues/${encodeURIComponent(queue)}`, {
        method: 'POST',
        body: text,
      });
      return (await res.json()) as { deliveries: number; poisoned: boolean };
    },
    async poison(queue) {
      return (await (await fetch(`${origin}/__host/poison/${encodeURIComponent(queue)}`)).json()) as string[];
    },
    async functions() {
      return (await (await fetch(`${origin}/__host/functions`)).json()) as Awaited<
        ReturnType<AzureDeployment['functions']>
      >;
    },
    async invoke(functionName, invocation) {
      const res = await fetch(`${origin}/__host/invoke/${encodeURIComponent(functionName)}`, {
        method: 'POST',
        body: JSON.stringify(invocation),
      });
      return (await res.json()) as Awaited<ReturnType<AzureDeployment['invoke']>>;
    },
    close: () => proc.stop(),
  };
}
