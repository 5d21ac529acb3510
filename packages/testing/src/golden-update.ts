/**
 * Whether a golden test may rewrite its goldens (`POLYCLOUD_UPDATE_GOLDENS=1` / `UPDATE_GOLDEN=1`).
 * Regenerating is a local, reviewed step; in CI (`CI` set to anything but `false`/`0`/empty) asking
 * for it is an error, so a pipeline can never bless whatever the code outputs today.
 *
 * @example
 * const UPDATE = goldenUpdateRequested('POLYCLOUD_UPDATE_GOLDENS');
 * if (UPDATE) writeFileSync(file, JSON.stringify(actual, null, 2));
 */
export function goldenUpdateRequested(variable: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[variable] !== '1') return false;
  const ci = env.CI;
  if (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') {
    throw new Error(
      `${variable}=1 rewrites goldens and is refused in CI (CI=${ci}): regenerate locally, review every diff against the provider's documentation, and commit`,
    );
  }
  return true;
}
