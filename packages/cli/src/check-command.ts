import { UsageError } from './load-app.ts';

export async function checkCommand(..._args: unknown[]): Promise<number> {
  throw new UsageError('check is being built');
}
