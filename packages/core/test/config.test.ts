/**
 * `resolveConfig`: what a user's `polycloud.config.*` may hold, each refusal's exact message (it
 * names the file and the field), the `POLYCLOUD_PROVIDER` override, and the config it returns.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../src/adapter.ts';
import { ConfigError } from '../src/index.ts';

const VALID = 'valid providers are: aws, azure, gcp, node';

function refusal(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('no ConfigError');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('resolveConfig', () => {
  it.each([
    ['a string', 'aws'],
    ['null', null],
    ['a list', ['aws']],
    ['a number', 3],
  ])('refuses %s: the config must be an object', (_what, raw) => {
    expect(refusal(() => resolveConfig(raw, {})).message).toBe('config: the config must be an object');
    expect(refusal(() => resolveConfig(raw, {}, 'polycloud.config.ts')).message).toBe(
      'polycloud.config.ts: the config must be an object',
    );
  });

  it('defaults to node, with no sections and no app name', () => {
    const config = resolveConfig({}, {});
    expect(config).toEqual({ provider: 'node', providers: {} });
    expect(config).not.toHaveProperty('app');
  });

  it('keeps the provider, its sections (the same object) and a string app name', () => {
    const providers = { aws: { region: 'eu-west-1' }, gcp: {} };
    const config = resolveConfig({ app: 'shop', provider: 'aws', providers }, {});
    expect(config).toEqual({ app: 'shop', provider: 'aws', providers });
    expect(config.providers).toBe(providers);
  });

  it('leaves out an app name that is no string', () => {
    expect(resolveConfig({ app: 42, provider: 'gcp' }, {})).toEqual({ provider: 'gcp', providers: {} });
  });

  it('POLYCLOUD_PROVIDER overrides the file’s provider; an empty one does not', () => {
    expect(resolveConfig({ provider: 'aws' }, { POLYCLOUD_PROVIDER: 'azure' }).provider).toBe('azure');
    expect(resolveConfig({ provider: 'aws' }, { POLYCLOUD_PROVIDER: '' }).provider).toBe('aws');
    expect(resolveConfig({}, { POLYCLOUD_PROVIDER: 'gcp' }).provider).toBe('gcp');
  });

  it('reads process.env when no environment is given', () => {
    vi.stubEnv('POLYCLOUD_PROVIDER', 'azure');
    expect(resolveConfig({ provider: 'aws' }).provider).toBe('azure');
    vi.stubEnv('POLYCLOUD_PROVIDER', '');
    expect(resolveConfig({ provider: 'aws' }).provider).toBe('aws');
  });

  it('refuses an unknown provider, naming where it came from and the valid ones', () => {
    expect(refusal(() => resolveConfig({ provider: 'heroku' }, {})).message).toBe(
      `config: "provider" is "heroku"; ${VALID}`,
    );
    expect(refusal(() => resolveConfig({ provider: 'heroku' }, {}, 'my.config.js')).message).toBe(
      `my.config.js: "provider" is "heroku"; ${VALID}`,
    );
    expect(refusal(() => resolveConfig({ provider: 'aws' }, { POLYCLOUD_PROVIDER: 'AWS' })).message).toBe(
      `POLYCLOUD_PROVIDER is "AWS"; ${VALID}`,
    );
    expect(refusal(() => resolveConfig({ provider: 7 }, {})).message).toBe(
      `config: "provider" is "7"; ${VALID}`,
    );
  });

  it.each([
    ['a string', 'aws'],
    ['a list', [{ region: 'x' }]],
    ['a number', 1],
  ])('refuses providers given as %s', (_what, providers) => {
    expect(refusal(() => resolveConfig({ provider: 'aws', providers }, {})).message).toBe(
      'config: "providers" must be an object keyed by aws, azure, gcp, node',
    );
  });

  it('reads providers: null as no sections', () => {
    expect(resolveConfig({ provider: 'aws', providers: null }, {}).providers).toEqual({});
  });

  it('refuses a section for a provider that does not exist, naming it', () => {
    expect(
      refusal(() => resolveConfig({ provider: 'aws', providers: { aws: {}, lambda: {} } }, {})).message,
    ).toBe(`config: unknown section providers.lambda; ${VALID}`);
  });
});
