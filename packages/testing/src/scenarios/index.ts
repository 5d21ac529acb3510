import type { ContractScenario } from '../scenario.ts';
import { contextScenarios } from './context.ts';
import { eventScenarios } from './event.ts';
import { httpScenarios } from './http.ts';
import { malformedScenarios } from './malformed.ts';
import { queueScenarios, topicScenarios } from './messages.ts';
import { scheduleScenarios } from './schedule.ts';
import { storageScenarios } from './storage.ts';

/** Every scenario of the contract, grouped by kind in matrix order. Ids are stable. */
export const contractScenarios: readonly ContractScenario[] = Object.freeze([
  ...httpScenarios,
  ...queueScenarios,
  ...topicScenarios,
  ...storageScenarios,
  ...scheduleScenarios,
  ...eventScenarios,
  ...contextScenarios,
  ...malformedScenarios,
]);

const ids = new Set<string>();
for (const s of contractScenarios) {
  if (ids.has(s.id)) throw new Error(`duplicate contract scenario id ${s.id}`);
  ids.add(s.id);
}
