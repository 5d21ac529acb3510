import type { App } from '../app.ts';
import type { PolycloudConfig } from '../config.ts';

/** What `polycloud build --provider P` hands to `@polycloud/P/build`. */
export interface BuildOptions {
  /** The app directory (holds polycloud.config.* and src/app.ts). */
  appDir: string;
  /** Absolute path of the module whose default export is the app. */
  entry: string;
  /** `dist/<provider>` inside appDir; already emptied. */
  outDir: string;
  app: App;
  config: PolycloudConfig;
  /**
   * Bundles `source` (an ES module text resolved from appDir) into `outfile` with esbuild. With
   * `splitting` (ESM only), what the entry reaches only through `import()` goes into chunks written
   * next to `outfile` and loaded on first use. `entryAwaitsStartupOnly`: see the CLI's `BundleOptions`.
   */
  bundle(
    source: string,
    outfile: string,
    options?: {
      external?: string[];
      format?: 'esm' | 'cjs';
      minify?: boolean;
      splitting?: boolean;
      entryAwaitsStartupOnly?: boolean;
    },
  ): Promise<{
    /** Bytes of JavaScript written: the entry plus every chunk. */
    bytes: number;
    /** Every JavaScript file written, the entry first. */
    files: string[];
    /** The entry and the chunks it imports statically: what loads before its first line runs. */
    startup: string[];
  }>;
  /** Progress line to the terminal. */
  log(line: string): void;
}

export interface BuildReport {
  files: string[];
}

export type BuildFn = (options: BuildOptions) => Promise<BuildReport>;
