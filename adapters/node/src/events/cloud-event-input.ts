import { type CloudEvent, InvalidEventError, type ScheduleEvent } from '@polycloud/core';
import type { FunctionDefinition } from '@polycloud/core/adapter';
import { messageFromCloudEvent, storageEventFromCloudEvent } from '@polycloud/core/cloud-events';

/**
 * Turns a CloudEvent received over HTTP into the neutral event of the target function's kind:
 * the node runtime accepts CloudEvents for every non-http kind (Knative, Dapr, Eventarc-style).
 */
export function neutralFromCloudEvent(def: FunctionDefinition, ev: CloudEvent): unknown {
  switch (def.kind) {
    case 'queue':
    case 'topic':
      return messageFromCloudEvent(ev, def.kind === 'queue' ? def.queue : def.topic);
    case 'storage':
      return storageEventFromCloudEvent(ev, def.bucket);
    case 'schedule':
      return {
        id: ev.id,
        name: def.name,
        scheduledTime: ev.time ? new Date(ev.time) : new Date(),
        isPastDue: false,
        raw: ev,
      } satisfies ScheduleEvent;
    case 'event':
      return ev;
    case 'http':
      throw new InvalidEventError('http functions take HTTP requests, not CloudEvents', 'type');
  }
}
