import { loadCliConfig } from './config-check.ts';
import { loadApp } from './load-app.ts';

/** `polycloud check [dir]`: validates the config and the app, and lists the functions; exit 1 on any error. */
export async function checkCommand(dir: string): Promise<number> {
  const config = await loadCliConfig(dir);
  const app = await loadApp(dir);
  console.log(`${app.name}: provider ${config.provider}, ${app.functions.size} functions`);
  for (const [name, def] of app.functions) console.log(`  ${name} (${def.kind})`);
  return 0;
}
