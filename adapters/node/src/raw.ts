import type { IncomingMessage } from 'node:http';
import type { CloudEvent } from '@polycloud/core';

/**
 * What `ctx.raw` holds on the node runtime, by how the invocation arrived (docs/neutral-model.md):
 * an http request, a CloudEvent posted over http, one entry of a posted message batch, a message of
 * the in-memory broker, a change of the folder Storage, or a cron tick of the scheduler.
 *
 * @example
 * const raw = ctx.raw as NodeRaw;
 * if ('request' in raw) console.log(raw.request.socket.remoteAddress);
 */
export type NodeRaw =
  | { provider: 'node'; request: IncomingMessage }
  | { provider: 'node'; cloudEvent: CloudEvent }
  | { provider: 'node'; batchEntry: unknown }
  | { provider: 'node'; brokerMessage: unknown }
  /** A change of the folder Storage (`polycloud dev`): the object's file under the storage folder. */
  | { provider: 'node'; storageChange: { root: string; object: string } }
  | { provider: 'node'; cron: string };
