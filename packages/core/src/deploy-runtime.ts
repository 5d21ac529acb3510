/**
 * The Node.js major every build deploys to: AWS `nodejs22.x`, Cloud Run functions `nodejs22`, an Azure
 * function app on Node 22, the node build's `node:22-slim` image. One value, so the four agree.
 *
 * Why 22 (checked December 2026): Node 20 is past its upstream end of life (2026-04-30); Lambda blocks
 * creating `nodejs20.x` functions since 2026-08-31 and updating them since 2026-09-30, and Cloud Run
 * functions decommissioned `nodejs20` on 2026-10-30. Node 22 is GA on all three providers (Lambda and
 * Cloud Run functions deprecate it on 2027-04-30). The bundles are compiled for Node 20.19 (esbuild
 * `target: node20`), so the same output also runs on Node 20.19+ and 24.
 *
 * @example
 * ```ts
 * import { DEPLOY_NODE_MAJOR } from '@polycloud/core/adapter';
 * const runtime = `nodejs${DEPLOY_NODE_MAJOR}.x`; // 'nodejs22.x'
 * ```
 */
export const DEPLOY_NODE_MAJOR = 22;
