/** The six trigger kinds a function can have. */
export type FunctionKind = 'http' | 'queue' | 'topic' | 'storage' | 'schedule' | 'event';
export const FUNCTION_KINDS: readonly FunctionKind[] = [
  'http',
  'queue',
  'topic',
  'storage',
  'schedule',
  'event',
];
