import { ConfigError } from '@polycloud/core';

/**
 * The connection string held by an app setting (`AzureWebJobsStorage`, `ServiceBusConnection` ...).
 * Identity-based connections (`<setting>__fullyQualifiedNamespace`, `__serviceUri`) need
 * @azure/identity, which is not shipped: they are named in the error instead of failing later.
 */
export function connectionString(
  setting: string,
  env: NodeJS.ProcessEnv,
  where: string,
  what: string,
): string {
  const value = env[setting];
  if (value) return value;
  const identity = Object.keys(env).some((name) => name.startsWith(`${setting}__`));
  throw new ConfigError(
    identity
      ? `${where}: app setting ${setting} is an identity-based connection; ${what} needs a connection string in ${setting}`
      : `${where}: app setting ${setting} holds no ${what} connection string`,
  );
}

/** Azure error messages carry a RequestId/Time block after the first line: noise for the caller. */
export function firstLine(message: unknown): string {
  return typeof message === 'string' ? message.split('\n')[0]! : String(message);
}
