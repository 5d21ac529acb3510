import { loadApp } from './load-app.ts';
import { loadConfig } from './load-config.ts';

/** `polycloud check [dir]`: loads the config and the app, and lists the functions; exit 1 on any error. */
export async function checkCommand(dir: string): Promise<number> {
  const config = await loadConfig(dir);
  const app = await loadApp(dir);
  console.log(`${app.name}: provider ${config.provider}, ${app.functions.size} functions`);
  for (const [name, def] of app.functions) console.log(`  ${name} (${def.kind})`);
  return 0;
}
