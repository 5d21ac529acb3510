import { InvalidEventError, Message } from '@polycloud/core';
import {
  type BatchResult,
  type FunctionRunner,
  fromBase64,
  fromUtf8,
  parseJson,
  type TranslationFailure,
  utf8,
} from '@polycloud/core/adapter';
import type { NodeRaw } from '../raw.ts';

/**
 * The node runtime's push format for message batches, modelled on Dapr's bulk subscribe: a JSON body
 * `{ ordered?, entries: [{ entryId, bodyBase64 | body, attributes?, groupId?, deliveryCount? }] }`
 * answered with `{ statuses: [{ entryId, status: 'SUCCESS' | 'RETRY' }] }`. RETRY entries are not
 * acknowledged: the sender must redeliver them. An entry that cannot be decoded is RETRY (its error
 * logged), so one bad record never fails or loses the rest of the batch.
 */
export async function handleMessageBatch(
  runner: FunctionRunner,
  body: Uint8Array,
): Promise<BatchStatuses | TranslationFailure> {
  const statuses = new Map<string, Status>();
  const order: string[] = [];
  const messages: Message[] = [];
  // Stryker disable next-line BooleanLiteral: read only by the order callback, which runs after decodeBatch has set it
  let ordered = false;
  const result = await runner.batch(
    () => {
      ordered = decodeBatch(runner, body, statuses, order, messages);
      return messages;
    },
    // Known once the body is read: a batch marked ordered runs group by group.
    () => (ordered ? 'group' : 'none'),
    (m) => ({ requestId: m.id, raw: { provider: 'node', batchEntry: m.raw } satisfies NodeRaw }),
  );
  if ('outcome' in result) return result;
  return batchStatuses(result, messages, statuses, order);
}

type Status = 'SUCCESS' | 'RETRY';

/** The answer to a batch: one status per entry, in the order sent. */
export interface BatchStatuses {
  statuses: { entryId: string; status: Status }[];
}

/**
 * Reads the push body into `messages` (entries that cannot be decoded are answered RETRY, their
 * error logged) and returns whether the batch is ordered. Throws `InvalidEventError` when the body
 * itself is not a batch: the runner answers that 400.
 */
function decodeBatch(
  { runtime, fn }: FunctionRunner,
  body: Uint8Array,
  statuses: Map<string, Status>,
  order: string[],
  messages: Message[],
): boolean {
  const def = fn.def;
  if (def.kind !== 'queue' && def.kind !== 'topic')
    throw new InvalidEventError(
      `${fn.name} is a ${def.kind} function, not a queue or topic function`,
      'function',
    );
  const input = parseJson(fromUtf8(body), 'body');
  if (
    typeof input !== 'object' ||
    input === null ||
    !Array.isArray((input as { entries?: unknown }).entries)
  ) {
    throw new InvalidEventError('expected { entries: [...] }', 'body.entries');
  }
  const { entries, ordered } = input as { entries: unknown[]; ordered?: unknown };
  const source = def.kind === 'queue' ? def.queue : def.topic;
  entries.forEach((entry, i) => {
    const path = `body.entries[${i}]`;
    const id =
      typeof (entry as { entryId?: unknown } | null)?.entryId === 'string'
        ? (entry as { entryId: string }).entryId
        : undefined;
    if (id === undefined) throw new InvalidEventError('entryId must be a string', `${path}.entryId`);
    order.push(id);
    try {
      messages.push(decodeEntry(entry as Record<string, unknown>, id, source, path));
    } catch (error) {
      runtime.log.warn('undecodable message; answered RETRY', {
        function: fn.name,
        entryId: id,
        error: (error as Error).message,
      });
      statuses.set(id, 'RETRY');
    }
  });
  return ordered === true;
}

function batchStatuses(
  { failed }: BatchResult,
  messages: readonly Message[],
  statuses: Map<string, Status>,
  order: readonly string[],
): BatchStatuses {
  for (const m of messages) statuses.set(m.id, 'SUCCESS');
  for (const m of failed) statuses.set(m.id, 'RETRY');
  return { statuses: order.map((entryId) => ({ entryId, status: statuses.get(entryId)! })) };
}

function decodeEntry(e: Record<string, unknown>, id: string, source: string, path: string): Message {
  let body: Uint8Array;
  if (typeof e.bodyBase64 === 'string') {
    const bytes = fromBase64(e.bodyBase64);
    if (!bytes) throw new InvalidEventError('not valid base64', `${path}.bodyBase64`);
    body = bytes;
  } else if (typeof e.body === 'string') body = utf8(e.body);
  else if (e.body === undefined) body = new Uint8Array(0);
  else throw new InvalidEventError('must be a string (or use bodyBase64)', `${path}.body`);
  const attributes: Record<string, string> = {};
  if (e.attributes !== undefined) {
    if (typeof e.attributes !== 'object' || e.attributes === null || Array.isArray(e.attributes))
      throw new InvalidEventError('must be an object', `${path}.attributes`);
    for (const [k, v] of Object.entries(e.attributes)) {
      if (typeof v !== 'string') throw new InvalidEventError('must be a string', `${path}.attributes.${k}`);
      attributes[k] = v;
    }
  }
  const deliveryCount = e.deliveryCount ?? 1;
  if (typeof deliveryCount !== 'number' || !Number.isInteger(deliveryCount) || deliveryCount < 1)
    throw new InvalidEventError('must be a positive integer', `${path}.deliveryCount`);
  if (e.groupId !== undefined && typeof e.groupId !== 'string')
    throw new InvalidEventError('must be a string', `${path}.groupId`);
  return new Message({
    id,
    body,
    attributes,
    deliveryCount,
    source,
    groupId: e.groupId as string | undefined,
    enqueuedAt: new Date(),
    raw: e,
  });
}
