import { type CloudEvent, InvalidEventError } from '@polycloud/core';

/**
 * 1st-gen background events (`{context, data}` or flat `{eventId, eventType, resource, data}`) →
 * CloudEvents, as the functions framework converts them for cloudEvent functions. Registered as
 * http functions we receive them unconverted, so the same mapping lives here; it is checked
 * against the framework's own conversion and the conformance pairs.
 */
const TYPES: Record<string, string> = {
  'google.pubsub.topic.publish': 'google.cloud.pubsub.topic.v1.messagePublished',
  'providers/cloud.pubsub/eventTypes/topic.publish': 'google.cloud.pubsub.topic.v1.messagePublished',
  'google.storage.object.finalize': 'google.cloud.storage.object.v1.finalized',
  'google.storage.object.delete': 'google.cloud.storage.object.v1.deleted',
  'google.storage.object.archive': 'google.cloud.storage.object.v1.archived',
  'google.storage.object.metadataUpdate': 'google.cloud.storage.object.v1.metadataUpdated',
  'providers/cloud.storage/eventTypes/object.change': 'google.cloud.storage.object.v1.finalized',
  'providers/cloud.firestore/eventTypes/document.write': 'google.cloud.firestore.document.v1.written',
  'providers/cloud.firestore/eventTypes/document.create': 'google.cloud.firestore.document.v1.created',
  'providers/cloud.firestore/eventTypes/document.update': 'google.cloud.firestore.document.v1.updated',
  'providers/cloud.firestore/eventTypes/document.delete': 'google.cloud.firestore.document.v1.deleted',
  'providers/firebase.auth/eventTypes/user.create': 'google.firebase.auth.user.v1.created',
  'providers/firebase.auth/eventTypes/user.delete': 'google.firebase.auth.user.v1.deleted',
  'providers/google.firebase.analytics/eventTypes/event.log': 'google.firebase.analytics.log.v1.written',
  'providers/google.firebase.database/eventTypes/ref.create': 'google.firebase.database.ref.v1.created',
  'providers/google.firebase.database/eventTypes/ref.write': 'google.firebase.database.ref.v1.written',
  'providers/google.firebase.database/eventTypes/ref.update': 'google.firebase.database.ref.v1.updated',
  'providers/google.firebase.database/eventTypes/ref.delete': 'google.firebase.database.ref.v1.deleted',
};

const SERVICE_BY_PREFIX: [string, string][] = [
  ['providers/cloud.firestore/', 'firestore.googleapis.com'],
  ['providers/google.firebase.analytics/', 'firebase.googleapis.com'],
  ['providers/firebase.auth/', 'firebaseauth.googleapis.com'],
  ['providers/google.firebase.database/', 'firebasedatabase.googleapis.com'],
  ['providers/cloud.pubsub/', 'pubsub.googleapis.com'],
  ['providers/cloud.storage/', 'storage.googleapis.com'],
  ['google.pubsub', 'pubsub.googleapis.com'],
  // Stryker disable next-line StringLiteral: the last prefix; only google.storage.* types get this far, so "" would match the same ones
  ['google.storage', 'storage.googleapis.com'],
];

/** How each service's resource name splits into CloudEvent source resource and subject. */
const RESOURCE_SPLIT: Record<string, RegExp> = {
  'firebase.googleapis.com': /^(projects\/[^/]+)\/(events\/[^/]+)$/,
  'firebasedatabase.googleapis.com': /^projects\/[^/]+\/(instances\/[^/]+)\/(refs\/.+)$/,
  'firestore.googleapis.com': /^(projects\/[^/]+\/databases\/\(default\))\/(documents\/.+)$/,
  'storage.googleapis.com': /^(projects\/[^/]+\/buckets\/[^/]+)\/(objects\/.+)$/,
};

export function isLegacyEvent(body: Record<string, unknown>): boolean {
  const context = (isObject(body.context) ? body.context : body) as Record<string, unknown>;
  return 'data' in body && typeof context.eventType === 'string' && 'resource' in context;
}

export function fromLegacyEvent(body: Record<string, unknown>, where = 'body'): CloudEvent {
  const context = (isObject(body.context) ? body.context : body) as Record<string, unknown>;
  const contextPath = isObject(body.context) ? `${where}.context` : where;
  const eventType = context.eventType as string;
  // Own keys only: an event type or service named after an Object.prototype member ("toString")
  // must read as unknown, not as that member (the fuzzer found a 500 there).
  let type = Object.hasOwn(TYPES, eventType) ? TYPES[eventType] : undefined;
  if (!type)
    throw new InvalidEventError(`unknown 1st-gen event type "${eventType}"`, `${contextPath}.eventType`);
  if (typeof context.eventId !== 'string' || context.eventId === '')
    throw new InvalidEventError('a 1st-gen event needs an eventId', `${contextPath}.eventId`);
  let data = body.data as unknown;
  const resourceField = context.resource;
  let resource = '';
  let service = '';
  if (typeof resourceField === 'string') resource = resourceField;
  else if (isObject(resourceField)) {
    resource = typeof resourceField.name === 'string' ? resourceField.name : '';
    service = typeof resourceField.service === 'string' ? resourceField.service : '';
  }
  // Every type in TYPES starts with one of these prefixes (test/unit/legacy-event-types.test.ts
  // converts each), so a known event type always finds its service.
  if (!service) service = SERVICE_BY_PREFIX.find(([prefix]) => eventType.startsWith(prefix))![1];
  let subject = '';
  const split = Object.hasOwn(RESOURCE_SPLIT, service) ? RESOURCE_SPLIT[service] : undefined;
  if (split) {
    const m = split.exec(resource);
    if (!m)
      throw new InvalidEventError(
        `resource "${resource}" does not name a ${service} object`,
        `${contextPath}.resource`,
      );
    resource = m[1]!;
    subject = m[2]!;
  }
  if (service === 'pubsub.googleapis.com') {
    if (!isObject(data)) throw new InvalidEventError('a Pub/Sub event needs a data object', `${where}.data`);
    const message: Record<string, unknown> = { ...data };
    message.publishTime ??= context.timestamp;
    message.messageId ??= context.eventId;
    data = { message };
  }
  // 1st gen "object.change" covered deletions too; resourceState says which it was.
  if (
    eventType === 'providers/cloud.storage/eventTypes/object.change' &&
    isObject(data) &&
    data.resourceState === 'not_exists'
  )
    type = 'google.cloud.storage.object.v1.deleted';
  if (service === 'firebaseauth.googleapis.com' && isObject(data)) {
    const user = data;
    // The background format names these differently from the CloudEvent one.
    if (isObject(user.metadata)) {
      const metadata: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(user.metadata))
        metadata[k === 'createdAt' ? 'createTime' : k === 'lastSignedInAt' ? 'lastSignInTime' : k] = v;
      data = { ...user, metadata };
    }
    if (typeof user.uid === 'string') subject = `users/${user.uid}`;
  }
  if (service === 'firebasedatabase.googleapis.com') {
    const domain = body.domain;
    let location = 'us-central1';
    if (domain !== 'firebaseio.com') {
      const m = typeof domain === 'string' ? /^([\w-]+)\.firebasedatabase\.app$/.exec(domain) : null;
      if (!m) throw new InvalidEventError('a Realtime Database event needs its domain', `${where}.domain`);
      location = m[1]!;
    }
    resource = `projects/_/locations/${location}/${resource}`;
  }
  const event: CloudEvent = {
    specversion: '1.0',
    id: context.eventId,
    source: `//${service}/${resource}`,
    type,
    datacontenttype: 'application/json',
    data,
  };
  if (typeof context.timestamp === 'string') event.time = context.timestamp;
  if (subject) event.subject = subject;
  return event;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
