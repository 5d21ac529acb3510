import { token } from './tokens.ts';

/**
 * The providers polycloud runs on.
 *
 * @example
 * const onAws = ctx.provider === ('aws' satisfies ProviderName);
 */
export type ProviderName = 'aws' | 'azure' | 'gcp' | 'node';
export const PROVIDERS: readonly ProviderName[] = ['aws', 'azure', 'gcp', 'node'];

/**
 * A message body as users hand it over: text, bytes, or any JSON value (serialised).
 *
 * @example
 * await ctx.get(Queue).send('orders', { id: 42 } satisfies MessageBody);
 */
export type MessageBody = string | Uint8Array | unknown;

/**
 * Options of `FunctionClient.invoke`.
 *
 * @example
 * await ctx.get(FunctionClient).invoke('audit', entry, { async: true });
 */
export interface InvokeOptions {
  /** Fire and forget (Lambda `Event`, HTTP 202): resolves once the provider accepted the call. */
  async?: boolean;
}

/**
 * Calls another function of the app by name: Lambda Invoke on AWS, HTTPS on Azure/GCP, in-process on node.
 *
 * @example
 * const price = await ctx.get(FunctionClient).invoke<number>('price', { sku: 'A1' });
 */
export interface FunctionClient {
  invoke<T = unknown>(
    functionName: string,
    payload?: unknown,
    options?: InvokeOptions,
  ): Promise<T | undefined>;
}
export const FunctionClient = token<FunctionClient>('FunctionClient');

/**
 * Options of `Queue.send`: attributes, a delay, and the FIFO group / session / ordering key.
 *
 * @example
 * await ctx.get(Queue).send('orders', order, { delayMs: 60_000, groupId: order.customerId });
 */
export interface SendOptions {
  attributes?: Record<string, string>;
  delayMs?: number;
  /** FIFO message group / Service Bus session / Pub/Sub ordering key. */
  groupId?: string;
}
/**
 * Sends messages to the app's queues (SQS, Storage Queues, Pub/Sub, the node broker).
 *
 * @example
 * await ctx.get(Queue).send('orders', { id: 42 });
 */
export interface Queue {
  send(queue: string, body: MessageBody, options?: SendOptions): Promise<{ id: string }>;
}
export const Queue = token<Queue>('Queue');

/**
 * Options of `Topic.publish`: attributes and the ordering key.
 *
 * @example
 * await ctx.get(Topic).publish('order-events', ev, { attributes: { kind: 'created' } });
 */
export interface PublishOptions {
  attributes?: Record<string, string>;
  orderingKey?: string;
}
/**
 * Publishes messages to the app's topics (SNS, Pub/Sub, the node broker).
 *
 * @example
 * await ctx.get(Topic).publish('order-events', { id: 42, status: 'shipped' });
 */
export interface Topic {
  publish(topic: string, body: MessageBody, options?: PublishOptions): Promise<{ id: string }>;
}
export const Topic = token<Topic>('Topic');

/**
 * Which provider the function runs on, and provider details (region, project ...).
 *
 * @example
 * const { name } = ctx.get(ProviderInfo);
 */
export interface ProviderInfo {
  name: ProviderName;
  region?: string;
  /** Provider-specific facts (account, subscription, project), for logs and diagnostics. */
  details: Readonly<Record<string, string>>;
}
export const ProviderInfo = token<ProviderInfo>('ProviderInfo');
