import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';

export const repoRoot = resolve(import.meta.dirname, '../../../..');

/**
 * Validates a template against AWS's published SAM JSON Schema (draft-04, copied unchanged into
 * test/fixtures/schemas). The schema uses no draft-04-only keyword, so ajv 8 reads it once `$schema`
 * is dropped; `strict: false` because it carries AWS's own annotation keys (`__samPassThrough`).
 */
export function samValidator(): (template: unknown) => string[] {
  const schema = JSON.parse(
    readFileSync(resolve(repoRoot, 'test/fixtures/schemas/sam.schema.json'), 'utf8'),
  ) as Record<string, unknown>;
  delete schema.$schema;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  return (template) =>
    validate(template)
      ? []
      : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message ?? ''}`);
}

/**
 * A real YAML parser to read back what the emitter wrote: js-yaml, which the installed
 * serverless@3 framework uses for serverless.yml (loaded through it, not declared again).
 */
export function parseYaml(text: string): unknown {
  const fromServerless = createRequire(resolve(repoRoot, 'node_modules/serverless/package.json'));
  const yaml = fromServerless('js-yaml') as { load(text: string): unknown };
  return yaml.load(text);
}
