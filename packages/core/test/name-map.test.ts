/**
 * `nameMap`: the config's `providers.<provider>.<key>` merged over its JSON environment twin (what a
 * deployment template sets), each mistake a ConfigError naming the config path or the variable.
 */
import { describe, expect, it } from 'vitest';
import { nameMap } from '../src/clients/name-map.ts';
import { ConfigError, type PolycloudConfig } from '../src/index.ts';

const config = (providers: PolycloudConfig['providers']): PolycloudConfig => ({ provider: 'aws', providers });
const VAR = 'POLYCLOUD_AWS_QUEUE_URLS';

function refusal(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('no ConfigError');
}

describe('nameMap', () => {
  it('merges config entries over the environment variable', () => {
    const env = { [VAR]: '{"orders":"env-orders","mail":"env-mail"}' };
    const map = nameMap(
      config({ aws: { queueUrls: { orders: 'cfg-orders' } } }),
      'aws',
      'queueUrls',
      VAR,
      env,
    );
    expect({ ...map }).toEqual({ orders: 'cfg-orders', mail: 'env-mail' });
    expect(Object.getPrototypeOf(map)).toBeNull();
  });

  it('is empty with neither, and ignores an empty variable', () => {
    expect({ ...nameMap(config({}), 'aws', 'queueUrls', VAR, {}) }).toEqual({});
    expect({ ...nameMap(config({ aws: {} }), 'aws', 'queueUrls', VAR, { [VAR]: '' }) }).toEqual({});
    expect({ ...nameMap(config({ gcp: { queueUrls: { a: 'b' } } }), 'aws', 'queueUrls', VAR, {}) }).toEqual(
      {},
    );
  });

  it('reads the environment alone when the config has no such section', () => {
    expect({ ...nameMap(config({}), 'aws', 'queueUrls', VAR, { [VAR]: '{"a":"x"}' }) }).toEqual({ a: 'x' });
  });

  it('names a variable that is not JSON, with its first 80 characters', () => {
    const raw = `{${'x'.repeat(100)}`;
    expect(refusal(() => nameMap(config({}), 'aws', 'queueUrls', VAR, { [VAR]: raw }))).toBe(
      `${VAR} is not JSON: ${raw.slice(0, 80)}`,
    );
  });

  it('refuses a map that is no object, naming the variable or the config path', () => {
    for (const raw of ['[]', 'null', '"orders"', '42']) {
      expect(refusal(() => nameMap(config({}), 'aws', 'queueUrls', VAR, { [VAR]: raw }))).toBe(
        `${VAR} must be an object { logicalName: providerName }`,
      );
    }
    for (const value of [['a'], null, 'orders']) {
      expect(refusal(() => nameMap(config({ aws: { queueUrls: value } }), 'aws', 'queueUrls', VAR, {}))).toBe(
        'providers.aws.queueUrls must be an object { logicalName: providerName }',
      );
    }
  });

  it('refuses an entry that is no non-empty string, naming it', () => {
    for (const value of ['', 42, null, { url: 'x' }]) {
      expect(
        refusal(() =>
          nameMap(config({ aws: { queueUrls: { orders: value } } }), 'aws', 'queueUrls', VAR, {}),
        ),
      ).toBe('providers.aws.queueUrls.orders must be a non-empty string');
    }
    expect(refusal(() => nameMap(config({}), 'aws', 'queueUrls', VAR, { [VAR]: '{"mail":""}' }))).toBe(
      `${VAR}.mail must be a non-empty string`,
    );
  });
});
