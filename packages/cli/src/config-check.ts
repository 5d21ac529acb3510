import { readFileSync } from 'node:fs';
import { ConfigError, type PolycloudConfig } from '@polycloud/core';
import { didYouMean, PROVIDERS, resolveConfig } from '@polycloud/core/adapter';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { UsageError } from './cli-errors.ts';
import { readConfigFile } from './load-config.ts';

/** The JSON Schema of polycloud.config.json, shipped as `polycloud/config.schema.json`: the one source of the rules. */
export const CONFIG_SCHEMA_URL = new URL('../config.schema.json', import.meta.url);

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  // verbose: each error carries the schema object it failed, whose `properties` the "did you mean" reads.
  validator ??= new Ajv({ allErrors: false, verbose: true, strict: true }).compile(
    JSON.parse(readFileSync(CONFIG_SCHEMA_URL, 'utf8')) as object,
  );
  return validator;
}

/** Throws a one-line ConfigError when `raw` does not follow the schema, naming the key and the fix. */
export function checkConfig(raw: unknown, origin: string): void {
  const check = validate();
  if (check(raw)) return;
  const error = check.errors![0]!;
  throw new ConfigError(`${origin}: ${describe(error)}`);
}

function keyPath(instancePath: string, key?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (key !== undefined) parts.push(key);
  return parts.join('.');
}

function describe(error: ErrorObject): string {
  const where = keyPath(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return `unknown key "${keyPath(error.instancePath, key)}"${didYouMean(key, allowed)}; allowed ${where ? `in ${where}` : 'at the top level'}: ${allowed.join(', ')}`;
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const value = JSON.stringify(error.data);
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : '';
      return `"${where}" is ${value}${hint}; valid: ${allowed.join(', ')}`;
    }
    default:
      return `${where ? `"${where}"` : 'the config'} ${error.message ?? 'is not valid'}`;
  }
}

/**
 * The config the CLI works with: the file checked against the schema, then the provider override of
 * `--provider` (when given) or POLYCLOUD_PROVIDER. A wrong `--provider` is blamed on the option.
 */
export async function loadCliConfig(
  dir: string,
  providerOption?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PolycloudConfig> {
  const { raw, origin } = await readConfigFile(dir);
  checkConfig(raw, origin);
  if (providerOption === undefined) {
    const fromEnv = env.POLYCLOUD_PROVIDER;
    if (fromEnv && !(PROVIDERS as readonly string[]).includes(fromEnv)) {
      throw new ConfigError(
        `POLYCLOUD_PROVIDER is "${fromEnv}"${didYouMean(fromEnv, PROVIDERS)}; valid providers are: ${PROVIDERS.join(', ')}`,
      );
    }
    return resolveConfig(raw, env, origin);
  }
  if (!(PROVIDERS as readonly string[]).includes(providerOption)) {
    throw new UsageError(
      `--provider is "${providerOption}"${didYouMean(providerOption, PROVIDERS)}; valid providers are: ${PROVIDERS.join(', ')}`,
    );
  }
  return resolveConfig(
    { ...(raw as object), provider: providerOption },
    { ...env, POLYCLOUD_PROVIDER: undefined },
    origin,
  );
}
