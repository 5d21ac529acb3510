import type { AppRuntime } from '@polycloud/core/adapter';
import { type BrokerOptions, MemoryBroker } from './broker.ts';
import { JetStreamBroker } from './jetstream-broker.ts';
import type { NatsBrokerOptions } from './jetstream-options.ts';
import type { MessageBroker } from './message-broker.ts';

/** In-memory broker options (the default), or a NATS JetStream server. */
export type BrokerChoice = (BrokerOptions & { kind?: 'memory' }) | NatsBrokerOptions;

/**
 * Picks the broker: `options` (handle()'s `broker`) first, then `providers.node.broker` in the
 * config, then `POLYCLOUD_NATS_URL`; the in-memory broker when none names NATS. The JetStream
 * client itself is imported only when the broker starts, so the in-memory default never loads it.
 * @coldStart
 */
export function chooseBroker(
  runtime: AppRuntime,
  options: BrokerChoice | undefined,
  defaultTimeoutMs: number,
): MessageBroker {
  const configured = runtime.config.providers.node?.broker as BrokerChoice | undefined;
  const choice = options?.kind === 'nats' ? options : configured?.kind === 'nats' ? configured : undefined;
  const envUrl = process.env.POLYCLOUD_NATS_URL;
  if (choice) return new JetStreamBroker(runtime, { ...choice, url: choice.url ?? envUrl }, defaultTimeoutMs);
  if (envUrl && options?.kind !== 'memory') {
    return new JetStreamBroker(
      runtime,
      // Stryker disable next-line StringLiteral: `kind` only tells the option types apart; the JetStream broker never reads it
      { ...(options as object), kind: 'nats', url: envUrl },
      defaultTimeoutMs,
    );
  }
  return new MemoryBroker(runtime, options as BrokerOptions | undefined, defaultTimeoutMs);
}
