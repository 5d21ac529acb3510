import { defineApp, event, queue, schedule, storage } from '@polycloud/core';

/** What the golden functions received, in order. */
export const received: unknown[] = [];

/** One function per non-http kind, each recording its neutral event. */
export const goldenApp = defineApp({
  name: 'golden',
  functions: {
    goldenQueue: queue('golden-queue', (m) => {
      received.push(m);
    }),
    goldenStorage: storage(
      'golden-bucket',
      (e) => {
        received.push(e);
      },
      { events: ['created', 'deleted', 'archived', 'metadataUpdated'] },
    ),
    goldenSchedule: schedule('golden-schedule', '0 3 * * *', (e) => {
      received.push(e);
    }),
    goldenEvent: event({}, (e) => {
      received.push(e);
    }),
  },
});
