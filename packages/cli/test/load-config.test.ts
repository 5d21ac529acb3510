import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/load-config.ts';

describe('config', () => {
  it('reads polycloud.config.json and lets POLYCLOUD_PROVIDER override the provider', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-config-'));
    writeFileSync(
      join(dir, 'polycloud.config.json'),
      JSON.stringify({ app: 'a', provider: 'aws', providers: { aws: { region: 'eu-west-1' } } }),
    );
    expect(await loadConfig(dir, {})).toEqual({
      app: 'a',
      provider: 'aws',
      providers: { aws: { region: 'eu-west-1' } },
    });
    expect((await loadConfig(dir, { POLYCLOUD_PROVIDER: 'gcp' })).provider).toBe('gcp');
  });

  it('reads polycloud.config.mjs through dynamic import', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-config-'));
    writeFileSync(
      join(dir, 'polycloud.config.mjs'),
      "export default { provider: 'azure', providers: { azure: { functionTimeout: '00:05:00' } } };",
    );
    expect(await loadConfig(dir, {})).toMatchObject({
      provider: 'azure',
      providers: { azure: { functionTimeout: '00:05:00' } },
    });
  });

  it('reads polycloud.config.ts through dynamic import when a TypeScript loader is present', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-config-'));
    writeFileSync(
      join(dir, 'polycloud.config.ts'),
      "const provider: string = 'gcp';\nexport default { provider };",
    );
    expect((await loadConfig(dir, {})).provider).toBe('gcp');
  });

  it('defaults to node without a file', async () => {
    expect(await loadConfig(mkdtempSync(join(tmpdir(), 'pc-config-')), {})).toEqual({
      provider: 'node',
      providers: {},
    });
  });

  it('names the valid providers for a wrong value', () => {
    expect(() => resolveConfig({ provider: 'heroku' }, {}, 'x.json')).toThrow(
      new ConfigError('x.json: "provider" is "heroku"; valid providers are: aws, azure, gcp, node'),
    );
    expect(() => resolveConfig({}, { POLYCLOUD_PROVIDER: 'lambda' })).toThrow(
      'POLYCLOUD_PROVIDER is "lambda"; valid providers are: aws, azure, gcp, node',
    );
    expect(() => resolveConfig({ providers: { oracle: {} } }, {})).toThrow(
      /unknown section providers.oracle/,
    );
  });

  it('reports invalid JSON with the file name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-config-'));
    writeFileSync(join(dir, 'polycloud.config.json'), '{ provider: aws }');
    await expect(loadConfig(dir, {})).rejects.toThrow(/polycloud.config.json: not valid JSON/);
  });
});
