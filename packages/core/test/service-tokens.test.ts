/**
 * The service keys are registered symbols (`Symbol.for('polycloud.<name>')`), so two copies of
 * core in one process (a bundle and a dependency, ESM and CommonJS) resolve the same services; and
 * the list of providers a config may name.
 */
import { describe, expect, it } from 'vitest';
import { PROVIDERS, provide } from '../src/adapter.ts';
import { Config, FunctionClient, Logger, ProviderInfo, Queue, Storage, Topic } from '../src/index.ts';

describe('service tokens', () => {
  it.each([
    ['FunctionClient', FunctionClient],
    ['Queue', Queue],
    ['Topic', Topic],
    ['ProviderInfo', ProviderInfo],
    ['Config', Config],
    ['Logger', Logger],
    ['Storage', Storage],
  ] as const)('%s is Symbol.for("polycloud.%s")', (name, key) => {
    expect(key).toBe(Symbol.for(`polycloud.${name}`));
  });

  it('the providers, in order', () => {
    expect(PROVIDERS).toEqual(['aws', 'azure', 'gcp', 'node']);
  });

  it('provide: the key and the factory, as given', () => {
    const create = () => 'x';
    expect(provide(Queue, create as never)).toEqual({ key: Queue, create });
  });
});
