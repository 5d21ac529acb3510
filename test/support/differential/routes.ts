import type { App } from '@polycloud/core';
import { type HttpFunction, Router } from '@polycloud/core/adapter';

export interface HttpRoute {
  name: string;
  methods: readonly string[];
}

/**
 * A URL map from the app's declared routes, as a user configures the load balancer or gateway in
 * front of per-function URLs (Cloud Run functions have no shared router): a request goes to the
 * function whose route path matches, preferring one that serves its method; undefined when no
 * route's path matches. The function then enforces its own method.
 */
export function urlMap(app: App): (method: string, rawPath: string) => string | undefined {
  const router = new Router<string>();
  const compiled = [...app.functions]
    .filter(([, def]) => def.kind === 'http')
    .map(([name, def]) => ({ name, route: router.add((def as HttpFunction).route, name) }));
  return (method, rawPath) => {
    const match = router.match(method, rawPath);
    if (match.status === 200) return match.target;
    return compiled.find((c) => router.matchesPath(c.route, rawPath))?.name;
  };
}
