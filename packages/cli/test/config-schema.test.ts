import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_URL, checkConfig } from '../src/config-check.ts';
import { repoRoot } from './support/cli-process.ts';

const reject = (raw: unknown) => {
  try {
    checkConfig(raw, 'polycloud.config.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
};

describe('config.schema.json', () => {
  it('is the file the package exports as polycloud/config.schema.json', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8'));
    expect(JSON.stringify(pkg.exports['./config.schema.json'])).toContain('./config.schema.json');
    expect(CONFIG_SCHEMA_URL.pathname).toBe(join(repoRoot, 'packages/cli/config.schema.json'));
  });

  it("accepts every example's config, create-polycloud's template, a $schema reference and each provider's documented settings", () => {
    const examples = readdirSync(join(repoRoot, 'examples'));
    expect(examples.length).toBeGreaterThan(0);
    for (const name of examples) {
      const raw = JSON.parse(readFileSync(join(repoRoot, 'examples', name, 'polycloud.config.json'), 'utf8'));
      expect(() => checkConfig(raw, name)).not.toThrow();
    }
    const template = join(repoRoot, 'packages/create-polycloud/template/polycloud.config.json');
    expect(() => checkConfig(JSON.parse(readFileSync(template, 'utf8')), template)).not.toThrow();
    checkConfig(
      {
        $schema: './node_modules/polycloud/config.schema.json',
        app: 'shop',
        provider: 'aws',
        providers: {
          aws: { region: 'eu-west-1', queueUrls: { orders: 'http://localhost:4566/q' } },
          azure: { authLevel: 'anonymous', queue: 'serviceBus' },
          gcp: { project: 'p', idToken: { static: 't' }, forwardedHops: 0 },
          node: { port: 0 },
        },
      },
      'full',
    );
  });

  it('rejects unknown keys with the closest known one', () => {
    expect(reject({ provder: 'aws' })).toBe(
      'polycloud.config.json: unknown key "provder" (did you mean "provider"?); allowed at the top level: $schema, app, provider, providers',
    );
    expect(reject({ providers: { nodes: {} } })).toBe(
      'polycloud.config.json: unknown key "providers.nodes" (did you mean "node"?); allowed in providers: aws, azure, gcp, node',
    );
    expect(reject({ colour: 'red' })).toBe(
      'polycloud.config.json: unknown key "colour"; allowed at the top level: $schema, app, provider, providers',
    );
  });

  it('rejects wrong values, naming the key and the valid ones', () => {
    expect(reject({ provider: 'azur' })).toBe(
      'polycloud.config.json: "provider" is "azur" (did you mean "azure"?); valid: aws, azure, gcp, node',
    );
    expect(reject({ providers: { azure: { authLevel: 'anonymus' } } })).toBe(
      'polycloud.config.json: "providers.azure.authLevel" is "anonymus" (did you mean "anonymous"?); valid: anonymous, function, admin',
    );
    expect(reject({ app: 3 })).toBe('polycloud.config.json: "app" must be string');
    expect(reject({ providers: { node: { port: 70000 } } })).toBe(
      'polycloud.config.json: "providers.node.port" must be <= 65535',
    );
    expect(reject([])).toBe('polycloud.config.json: the config must be object');
  });
});
