import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';

/**
 * Whether an app's entry is CommonJS, as Node decides it: `.cts`/`.cjs` are, `.mts`/`.mjs` are
 * not, and `.ts`/`.js` follow the nearest package.json's `"type"` (CommonJS unless "module", npm
 * init's default).
 */
export function isCommonJs(entry: string): boolean {
  const ext = extname(entry);
  if (ext === '.cts' || ext === '.cjs') return true;
  if (ext === '.mts' || ext === '.mjs') return false;
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown }).type !== 'module';
      } catch {
        return true;
      }
    }
    if (dirname(dir) === dir) return true;
  }
}

let commonJsLoader: Promise<void> | undefined;

/** tsx's CommonJS hooks, for an app whose TypeScript compiles to require() (extensionless imports included). */
export function registerCommonJsLoader(): Promise<void> {
  commonJsLoader ??= import('tsx/cjs/api').then(({ register }) => {
    register();
  });
  return commonJsLoader;
}

/**
 * Loads a polycloud package (`@polycloud/node`, `@polycloud/aws`, `@polycloud/core`) the way the app
 * loads its imports: required from the app's entry for a CommonJS app, imported for an ES module
 * app. The app and the runtime then hold one and the same @polycloud/core, so the runtime
 * recognises what the app throws and the app's `instanceof HttpRequest` holds for what it receives.
 */
export async function importLikeApp<T>(entry: string, specifier: string): Promise<T> {
  if (!isCommonJs(entry)) return (await import(specifier)) as T;
  await registerCommonJsLoader();
  return createRequire(entry)(specifier) as T;
}
