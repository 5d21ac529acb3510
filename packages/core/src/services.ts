import { token } from './tokens.ts';

export type ProviderName = 'aws' | 'azure' | 'gcp' | 'node';
export const PROVIDERS: readonly ProviderName[] = ['aws', 'azure', 'gcp', 'node'];

/** A message body as users hand it over: text, bytes, or any JSON value (serialised). */
export type MessageBody = string | Uint8Array | unknown;

export interface InvokeOptions {
  /** Fire and forget (Lambda `Event`, HTTP 202): resolves once the provider accepted the call. */
  async?: boolean;
}

/** Calls another function of the app by name: Lambda Invoke on AWS, HTTPS on Azure/GCP, in-process on node. */
export interface FunctionClient {
  invoke<T = unknown>(
    functionName: string,
    payload?: unknown,
    options?: InvokeOptions,
  ): Promise<T | undefined>;
}
export const FunctionClient = token<FunctionClient>('FunctionClient');

export interface SendOptions {
  attributes?: Record<string, string>;
  delayMs?: number;
  /** FIFO message group / Service Bus session / Pub/Sub ordering key. */
  groupId?: string;
}
export interface Queue {
  send(queue: string, body: MessageBody, options?: SendOptions): Promise<{ id: string }>;
}
export const Queue = token<Queue>('Queue');

export interface PublishOptions {
  attributes?: Record<string, string>;
  orderingKey?: string;
}
export interface Topic {
  publish(topic: string, body: MessageBody, options?: PublishOptions): Promise<{ id: string }>;
}
export const Topic = token<Topic>('Topic');

export interface ProviderInfo {
  name: ProviderName;
  region?: string;
  /** Provider-specific facts (account, subscription, project), for logs and diagnostics. */
  details: Readonly<Record<string, string>>;
}
export const ProviderInfo = token<ProviderInfo>('ProviderInfo');
