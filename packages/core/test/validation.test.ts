/**
 * `validate` over any Standard Schema: the schema's output on success (synchronous or not), and on
 * failure an InvalidEventError whose message and issues name each path from the given root
 * (`body.items[0].sku`), with path segments given as keys or as `{ key }` objects.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import { validate } from '../src/adapter.ts';
import { InvalidEventError } from '../src/index.ts';

function schema(
  result: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>,
): StandardSchemaV1 {
  return { '~standard': { version: 1, vendor: 'test', validate: () => result } };
}

async function refusal(run: Promise<unknown>): Promise<InvalidEventError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidEventError);
  return error as InvalidEventError;
}

describe('validate', () => {
  it('returns the schema’s output, synchronous or asynchronous', async () => {
    await expect(validate(schema({ value: { n: 1 } }), 'in', 'body')).resolves.toEqual({ n: 1 });
    await expect(validate(schema(Promise.resolve({ value: 'async' })), 'in', 'body')).resolves.toBe('async');
  });

  it('hands the schema the value', async () => {
    const seen: unknown[] = [];
    const s: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 't',
        validate: (v) => {
          seen.push(v);
          return { value: v };
        },
      },
    };
    await validate(s, { a: 1 }, 'body');
    expect(seen).toEqual([{ a: 1 }]);
  });

  it('names every issue by its path from the root: keys, indexes and { key } segments', async () => {
    const error = await refusal(
      validate(
        schema({
          issues: [
            { message: 'required', path: ['items', 0, 'sku'] },
            { message: 'too big', path: [{ key: 'qty' }, { key: 2 }] },
            { message: 'bad symbol', path: [Symbol('tag')] },
            { message: 'not an object' },
            { message: 'empty path', path: [] },
          ],
        }),
        {},
        'message.body',
      ),
    );
    expect(error.issues).toEqual([
      { path: 'message.body.items[0].sku', message: 'required' },
      { path: 'message.body.qty[2]', message: 'too big' },
      { path: 'message.body.Symbol(tag)', message: 'bad symbol' },
      { path: 'message.body', message: 'not an object' },
      { path: 'message.body', message: 'empty path' },
    ]);
    expect(error.message).toBe(
      'validation failed: message.body.items[0].sku: required; message.body.qty[2]: too big; message.body.Symbol(tag): bad symbol; message.body: not an object; message.body: empty path',
    );
    expect(error.path).toBeUndefined();
  });

  it('an asynchronous failure is refused the same way', async () => {
    const error = await refusal(
      validate(schema(Promise.resolve({ issues: [{ message: 'nope', path: ['a'] }] })), 1, 'body'),
    );
    expect(error.message).toBe('validation failed: body.a: nope');
  });
});
