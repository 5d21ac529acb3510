/**
 * The CLI as a function, for scripts and tests that run it in-process.
 *
 * @example
 * ```ts
 * import { main } from 'polycloud';
 * process.exitCode = await main(['build', '--provider', 'aws', '.']);
 * ```
 */
export { main } from './main.ts';
