import { loadCliConfig } from './config-check.ts';
import { appEntry, loadApp } from './load-app.ts';
import { type LockInOutput, printLockIn } from './lock-in-report.ts';
import { scanLockIn } from './lock-in-scan.ts';

/**
 * `polycloud check [dir] [--strict] [--json]`: validates the config and the app, lists the functions,
 * and reports provider lock-in (provider imports and ctx.raw reads, with file and line); exit 1
 * on any error, or with --strict on any finding.
 */
export async function checkCommand(
  dir: string,
  output: LockInOutput = { json: false, strict: false },
): Promise<number> {
  const config = await loadCliConfig(dir);
  const app = await loadApp(dir);
  if (!output.json) {
    console.log(`${app.name}: provider ${config.provider}, ${app.functions.size} functions`);
    for (const [name, def] of app.functions) console.log(`  ${name} (${def.kind})`);
  }
  const report = scanLockIn(dir, appEntry(dir));
  return printLockIn(app, config.provider, report, output, (line) => console.log(line));
}
