import type { Context } from './context.ts';

/**
 * An onion layer around any handler kind, as in middy and Hono: call `next()` to continue.
 *
 * @example
 * const timing: Middleware = async (ctx, next) => { const t = Date.now(); try { return await next(); } finally { ctx.log.info('took', { ms: Date.now() - t }); } };
 */
export type Middleware<E = any> = (ctx: Context<E>, next: () => Promise<unknown>) => Promise<unknown>;

/**
 * Composes middleware around an inner call once, at definition time; called as `run(ctx.event, ctx)`.
 *
 * @example
 * const run = compose([timing], async (ctx) => handler(ctx.event, ctx));
 */
export function compose<E>(
  middleware: readonly Middleware<E>[],
  inner: (ctx: Context<E>) => Promise<unknown>,
): (event: E, ctx: Context<E>) => Promise<unknown> {
  if (middleware.length === 0) return (_event, ctx) => inner(ctx);
  return (_event, ctx) => {
    let index = -1;
    const dispatch = (i: number): Promise<unknown> => {
      if (i <= index) return Promise.reject(new Error('next() called more than once'));
      index = i;
      const layer = middleware[i];
      if (!layer) return inner(ctx);
      try {
        return Promise.resolve(layer(ctx, () => dispatch(i + 1)));
      } catch (error) {
        return Promise.reject(error);
      }
    };
    return dispatch(0);
  };
}
