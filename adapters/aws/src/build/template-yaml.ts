import { stringify } from 'yaml';

/**
 * template.yaml's text, written by the `yaml` package (build time only: never in a function bundle).
 * - `version: '1.1'`: CloudFormation reads YAML 1.1, where `y`, `n`, `on`, `off`, `yes`, `no` are
 *   booleans; in 1.1 mode such strings are quoted, so `"y"` stays a string.
 * - `aliasDuplicateObjects: false`: an object used twice is written twice, never as an anchor and
 *   alias (`&a1` / `*a1`), which CloudFormation's transform does not expand.
 * - `lineWidth: 0`: long strings (policies, JSON in env vars) stay on one line instead of folding.
 */
export function templateYaml(template: unknown): string {
  return stringify(template, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0 });
}
