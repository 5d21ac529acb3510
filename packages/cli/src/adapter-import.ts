import type { ProviderName } from '@polycloud/core';
import { CliError } from './cli-errors.ts';

/**
 * Imports a module of a provider's adapter (`@polycloud/aws/build`). The adapters are optional peer
 * dependencies of the CLI: one that is not installed is a one-line "install it" error. Any other
 * failure (a module missing inside an installed adapter) is a real bug and keeps its stack.
 */
export async function importAdapter<T>(
  provider: ProviderName,
  subpath = '',
  load: (specifier: string) => Promise<unknown> = (specifier) => import(specifier),
): Promise<T> {
  const pkg = `@polycloud/${provider}`;
  try {
    return (await load(`${pkg}${subpath}`)) as T;
  } catch (error) {
    if (isMissingPackage(error, pkg))
      throw new CliError(`the ${provider} provider needs ${pkg}, which is not installed: npm install ${pkg}`);
    throw error;
  }
}

function isMissingPackage(error: unknown, pkg: string): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // "Cannot find package '@polycloud/aws' imported from …" (some resolvers name the subpath too),
  // not a file missing inside an installed package (named by its path).
  return typeof message === 'string' && (message.includes(`'${pkg}'`) || message.includes(`'${pkg}/`));
}
