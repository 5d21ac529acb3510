import { UsageError } from './load-app.ts';

export async function invokeCommand(..._args: unknown[]): Promise<number> {
  throw new UsageError('invoke is being built');
}
