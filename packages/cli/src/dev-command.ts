import { UsageError } from './load-app.ts';

export async function devCommand(..._args: unknown[]): Promise<number> {
  throw new UsageError('dev is being built');
}
