import type { AppRuntime } from '@polycloud/core/adapter';
import type { BrokerOptions } from './broker.ts';
import type { NatsBrokerOptions } from './jetstream-options.ts';

/** In-memory broker options (the default), or a NATS JetStream server. */
export type BrokerChoice = (BrokerOptions & { kind?: 'memory' }) | NatsBrokerOptions;

/**
 * Which broker a runtime gets: `options` (handle()'s `broker`) first, then `providers.node.broker`
 * in the config, then `POLYCLOUD_NATS_URL`. Returns the JetStream options (the URL filled in from
 * the environment when the choice names none) when one of them names NATS, else `undefined`: the
 * in-memory broker, with `options` as its own.
 * @coldStart
 */
export function natsChoice(
  runtime: AppRuntime,
  options: BrokerChoice | undefined,
): NatsBrokerOptions | undefined {
  const configured = runtime.config.providers.node?.broker as BrokerChoice | undefined;
  const choice = options?.kind === 'nats' ? options : configured?.kind === 'nats' ? configured : undefined;
  const envUrl = process.env.POLYCLOUD_NATS_URL;
  if (choice) return { ...choice, url: choice.url ?? envUrl };
  if (envUrl && options?.kind !== 'memory') {
    // Stryker disable next-line StringLiteral: `kind` only tells the option types apart; the JetStream broker never reads it
    return { ...(options as object), kind: 'nats', url: envUrl };
  }
  return undefined;
}
