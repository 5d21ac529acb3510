import type { Logger } from '@polycloud/core';

/**
 * A Logger whose real child (with execution id and trace fields) is built on the first log call:
 * most invocations never log, and building it (trace parsing, field merging) costs microseconds.
 */
export function lazyLogger(make: () => Logger): Logger {
  let log: Logger | undefined;
  const get = () => {
    log ??= make();
    return log;
  };
  return {
    debug: (message, fields) => get().debug(message, fields),
    info: (message, fields) => get().info(message, fields),
    warn: (message, fields) => get().warn(message, fields),
    error: (message, fields) => get().error(message, fields),
    child: (fields) => get().child(fields),
  };
}
