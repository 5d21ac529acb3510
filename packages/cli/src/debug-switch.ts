/** Whether stack traces of unexpected errors are shown: `--debug`, or POLYCLOUD_DEBUG=1 (reaches `dev`'s child too). */
export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.POLYCLOUD_DEBUG === '1' || env.POLYCLOUD_DEBUG === 'true';
}
