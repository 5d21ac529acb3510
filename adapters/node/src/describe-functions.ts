import type { AppRuntime } from '@polycloud/core/adapter';

/** One line per function: how to reach it on the node runtime. */
export function describeFunctions(runtime: AppRuntime, baseUrl: string): string[] {
  const lines: string[] = [];
  for (const fn of runtime.functions.values()) {
    const def = fn.def;
    const name = fn.name.padEnd(18);
    switch (def.kind) {
      case 'http':
        lines.push(
          `${name} http      ${(def.route.methods.join(',') || 'ANY').padEnd(12)} ${baseUrl}${def.route.path}`,
        );
        break;
      case 'queue':
        lines.push(
          `${name} queue     ${def.queue.padEnd(12)} POST ${baseUrl}/_polycloud/queues/${def.queue}`,
        );
        break;
      case 'topic':
        lines.push(
          `${name} topic     ${def.topic.padEnd(12)} POST ${baseUrl}/_polycloud/topics/${def.topic}`,
        );
        break;
      case 'storage':
        lines.push(
          `${name} storage   ${def.bucket.padEnd(12)} POST ${baseUrl}/_polycloud/functions/${fn.name} (CloudEvent)`,
        );
        break;
      case 'schedule':
        lines.push(
          `${name} schedule  ${def.cron.padEnd(12)} POST ${baseUrl}/_polycloud/functions/${fn.name} to run now`,
        );
        break;
      case 'event':
        lines.push(
          `${name} event     ${(def.types.join(',') || '*').padEnd(12)} POST ${baseUrl}/_polycloud/events (CloudEvent)`,
        );
        break;
    }
  }
  return lines;
}
