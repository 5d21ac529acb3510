import type { StandardSchemaV1 } from '@standard-schema/spec';
import { InvalidEventError } from './errors.ts';

/**
 * Any Standard Schema (zod, valibot, arktype ...): what `http()`, `queue()` and `topic()` take as
 * `{ body }` to validate a JSON body.
 *
 * @example
 * http('POST /todos', { body: z.object({ title: z.string() }) satisfies StandardSchemaV1 }, (req) => req.data);
 */
export type { StandardSchemaV1 };

/**
 * Validates through Standard Schema (zod, valibot, arktype, ...) without depending on any of
 * them. Failures are InvalidEventErrors listing each issue with its path: a 400 for http, a
 * rejected message otherwise.
 */
export async function validate<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
  where: string,
): Promise<StandardSchemaV1.InferOutput<S>> {
  let result = schema['~standard'].validate(value);
  if (result instanceof Promise) result = await result;
  if (result.issues) {
    const issues = result.issues.map((issue) => ({
      path: formatPath(where, issue.path),
      message: issue.message,
    }));
    throw new InvalidEventError(
      `validation failed: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      undefined,
      issues,
    );
  }
  return result.value as StandardSchemaV1.InferOutput<S>;
}

function formatPath(root: string, path: StandardSchemaV1.Issue['path']): string {
  let out = root;
  for (const segment of path ?? []) {
    const key = typeof segment === 'object' ? segment.key : segment;
    out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  }
  return out;
}
