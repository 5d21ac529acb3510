import type { FunctionKind } from '@polycloud/core/adapter';

/** What a contract scenario exercises: a trigger kind, or the context, malformed input or outbound clients. */
export type ScenarioKind = FunctionKind | 'context' | 'malformed' | 'outbound';
export const SCENARIO_KINDS: readonly ScenarioKind[] = [
  'http',
  'queue',
  'topic',
  'storage',
  'schedule',
  'event',
  'context',
  'malformed',
  'outbound',
];
