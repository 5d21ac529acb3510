import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type App, AppDefinitionError, ConfigError } from '@polycloud/core';
import { assertNoRouteClash } from '@polycloud/core/adapter';
import { isCommonJs, registerCommonJsLoader } from './app-module-system.ts';
import { CliError } from './cli-errors.ts';

/** Where an app's entry may be, in this order: TypeScript first, then plain JavaScript. */
export const APP_ENTRIES = [
  'src/app.ts',
  'src/app.mts',
  'src/app.cts',
  'src/app.js',
  'src/app.mjs',
  'src/app.cjs',
] as const;

/** Finds an app directory's entry module (`src/app.ts` or one of {@link APP_ENTRIES}). */
export function appEntry(dir: string): string {
  const root = resolve(dir);
  if (!existsSync(root)) throw new CliError(`${dir}: no such directory`);
  if (!statSync(root).isDirectory()) throw new CliError(`${dir}: not a directory (give the app's folder)`);
  for (const candidate of APP_ENTRIES) {
    const entry = join(root, candidate);
    if (existsSync(entry)) return entry;
  }
  throw new CliError(
    `${dir}: no src/app.ts (nor .mts, .cts, .js, .mjs, .cjs); its default export must be defineApp({ functions: { ... } })`,
  );
}

/**
 * Imports an app directory's entry (the CLI registers tsx's loader, so TypeScript loads as well as
 * JavaScript). An app in a CommonJS package (`"type": "commonjs"`, `.cts`, `.cjs`) gets tsx's
 * CommonJS hooks too; the runtime that serves it is then loaded the same way (importLikeApp), so
 * both use one @polycloud/core.
 */
export async function loadApp(dir: string): Promise<App> {
  const entry = appEntry(dir);
  const shown = shortPath(entry);
  let mod: { default?: unknown };
  try {
    if (isCommonJs(entry)) await registerCommonJsLoader();
    mod = (await import(pathToFileURL(entry).href)) as { default?: unknown };
  } catch (error) {
    // Definition mistakes are the app's expected failures: one line. Anything else is the app's own
    // error while loading: its first line and where it happened, the stack with --debug.
    if (error instanceof AppDefinitionError || error instanceof ConfigError)
      throw new CliError(`${shown}: ${error.message}`);
    throw new AppLoadError(shown, error);
  }
  // `module.exports = defineApp(...)` arrives as the default export; a transpiled `exports.default` one level down.
  const candidate = isApp(mod.default)
    ? mod.default
    : isApp((mod.default as { default?: unknown } | undefined)?.default)
      ? (mod.default as { default: App }).default
      : undefined;
  if (!candidate) {
    throw new CliError(
      `${shown}: the default export must be defineApp({ functions: { ... } }) (export default, or module.exports in CommonJS)`,
    );
  }
  try {
    assertNoRouteClash(candidate.functions);
  } catch (error) {
    throw new CliError(`${shown}: ${(error as Error).message}`);
  }
  return candidate;
}

function isApp(value: unknown): value is App {
  return typeof value === 'object' && value !== null && (value as App).functions instanceof Map;
}

/** The app's module threw while loading (a syntax error, an import that fails, its own code). */
export class AppLoadError extends Error {
  override readonly name = 'AppLoadError';
  constructor(
    readonly entry: string,
    override readonly cause: unknown,
  ) {
    super(`${entry} failed to load: ${firstLine(cause)}${where(cause)}`);
  }
}

function firstLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // esbuild (through tsx): "Transform failed with 1 error:\n/abs/src/app.ts:3:13: ERROR: Expected ..."
  const syntax = /^(\/[^\n]+?):(\d+):(\d+): ERROR: (.+)$/m.exec(error.message);
  if (syntax) return `syntax error at ${shortPath(syntax[1]!)}:${syntax[2]}:${syntax[3]}: ${syntax[4]}`;
  return `${error.name}: ${error.message}`.split('\n')[0]!;
}

/** Relative to the working directory when inside it, else absolute. */
export function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

/** ` (at src/app.ts:12:7)`: the first stack frame in a file outside node_modules. */
function where(error: unknown): string {
  if (!(error instanceof Error) || !error.stack || /: ERROR: /.test(error.message)) return '';
  for (const line of error.stack.split('\n').slice(1)) {
    const m = /^at (?:.* \()?((?:file:\/\/)?\/[^()]+?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!m || m[1]!.includes('/node_modules/')) continue;
    const file = m[1]!.startsWith('file://') ? new URL(m[1]!).pathname : m[1]!;
    return ` (at ${shortPath(file)}:${m[2]}:${m[3]})`;
  }
  return '';
}
