/**
 * The build compiles polycloud's `@coldStart` functions eagerly (packages/cli/src/eager-compile.ts):
 * V8 then compiles them while it parses the startup file, not one by one on their first calls. This
 * keeps the marks complete: in each provider's cold start of `GET /items/:id` (import + first
 * request), built unminified so that functions keep their names, V8 compiles no top-level function
 * of polycloud's lazily. A function added to that path without its mark fails here, by name.
 * Class members cannot be marked (V8 compiles a method on its first call whatever its syntax).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderName } from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coldStartCases } from './cases.ts';
import { type ProbeSpec, runProbe } from './run-probe.ts';

const PROVIDERS: ProviderName[] = ['aws', 'azure', 'gcp', 'node'];
const specs = new Map<ProviderName, ProbeSpec>();
const logs = mkdtempSync(join(tmpdir(), 'polycloud-eager-'));

beforeAll(async () => {
  for (const c of await coldStartCases({ peers: false, service: false, unminified: true }))
    if (c.role === 'polycloud') specs.set(c.provider, c.spec);
}, 240_000);

afterAll(() => rmSync(logs, { recursive: true, force: true }));

/** The built file a provider loads first: GCP's folder starts at its package's main. */
function startupFile(spec: ProbeSpec): string {
  if (!statSync(spec.module).isDirectory()) return spec.module;
  const { main } = JSON.parse(readFileSync(join(spec.module, 'package.json'), 'utf8')) as { main: string };
  return join(spec.module, main);
}

/**
 * The names of the function declarations at the top level of an unminified output (the startup file
 * holds polycloud's code and the app's: the providers' libraries are left out of it).
 */
function topLevelDeclarations(code: string): Set<string> {
  return new Set([...code.matchAll(/^(?:async )?function (\w+)\(/gm)].map((m) => m[1]!));
}

/** The names of the functions V8 compiled lazily (on their first call) in the script at `file`. */
function lazilyCompiled(log: string, file: string): string[] {
  const script = log
    .split('\n')
    .map((line) => line.split(','))
    .find((f) => f[0] === 'script-details' && f[2]?.endsWith(file));
  expect(script, `V8 logged no script ${file}`).toBeDefined();
  return log
    .split('\n')
    .map((line) => line.split(','))
    .filter((f) => f[0] === 'function' && f[1] === 'parse-function' && f[2] === script![1])
    .map((f) => f[7] ?? '');
}

describe.each(PROVIDERS)('%s cold start of an http function', (provider) => {
  it('compiles every top-level function of polycloud it runs eagerly: each is marked @coldStart', async () => {
    const spec = specs.get(provider)!;
    const logfile = join(logs, `${provider}.log`);
    await runProbe(spec, ['--log-function-events', `--logfile=${logfile}`, '--no-logfile-per-isolate']);
    const file = startupFile(spec);
    const code = readFileSync(file, 'utf8');
    // The marks are honoured: the marked functions are parenthesized expressions.
    expect(code.match(/^var \w+ = \((?:async )?function /gm)?.length).toBeGreaterThan(15);
    const declared = topLevelDeclarations(code);
    const lazy = lazilyCompiled(readFileSync(logfile, 'utf8'), file).filter((name) => declared.has(name));
    expect(lazy, `not marked @coldStart: ${lazy.join(', ')}`).toEqual([]);
  });
});
