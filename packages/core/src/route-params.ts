/**
 * The params a route literal declares, as a type: `RouteParams<'GET /orders/:id'>` is `{ id: string }`,
 * a trailing `*` adds `'*'`. A route given as a plain `string` (not a literal) gives
 * `Record<string, string>` (`req.params.x` is then `string | undefined` under `noUncheckedIndexedAccess`).
 *
 * @example
 * const p: RouteParams<'GET /orders/:orderId/items/:sku'> = { orderId: 'o1', sku: 'A1' };
 */
export type RouteParams<R extends string> = string extends R
  ? Readonly<Record<string, string>>
  : Readonly<{ [K in ParamNames<PathOf<R>>]: string }>;

/** The path part of `'GET,POST /x/:id'` (everything from the first `/`). */
type PathOf<R extends string> = R extends `${string} /${infer P}`
  ? `/${P}`
  : R extends `/${infer P}`
    ? `/${P}`
    : R;

/** Param names of a path, one segment at a time. */
type ParamNames<P extends string> = P extends `${infer Head}/${infer Tail}`
  ? SegmentParam<Head> | ParamNames<Tail>
  : SegmentParam<P>;

type SegmentParam<S extends string> = S extends `:${infer Name}` ? Name : S extends '*' ? '*' : never;
