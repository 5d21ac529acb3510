import { type FSWatcher, readdirSync, type Stats, statSync, watch } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** Folders never watched: dependencies, build output, version control. */
const IGNORED_FOLDERS = new Set(['node_modules', 'dist', 'coverage']);
/** Files whose change restarts the app. */
const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.json']);

/** Hidden entries (`.git`, editors' `.app.ts.swp`) and backups (`app.ts~`) are never an app's code. */
function ignoredName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || IGNORED_FOLDERS.has(name);
}

/** A file that matters to the app: sources, JSON (config, package.json, tsconfig.json). */
export function isWatchedFile(name: string): boolean {
  return !ignoredName(name) && SOURCE_EXTENSIONS.has(extname(name));
}

export interface TreeWatcherOptions {
  /** Called with the changed path (relative to its root) for every change of a watched file or folder. */
  onChange: (path: string) => void;
  /** Poll instead of file-system events (also the fallback when events are unavailable). */
  poll?: boolean;
  pollIntervalMs?: number;
  /** Told once when file-system events fail and polling takes over. */
  onFallback?: (reason: string) => void;
}

/**
 * Watches folder trees for changes, robust to the ways files really change:
 *
 * - it watches folders, never files: an editor's atomic save (write a temporary file, rename it over
 *   the original, as vim, JetBrains IDEs and `sed -i` do) replaces the file's inode, and a watch on
 *   the file would go on watching the old, deleted one — which is how `fs.watch(dir, { recursive })`
 *   on Linux in Node 20 (one inotify watch per file) loses a file after its first atomic save;
 * - a new folder gets its own watch as soon as it appears, a deleted one's watch is dropped;
 * - where events are unavailable (inotify limits, some network and container mounts) it polls.
 */
export class TreeWatcher {
  readonly #roots: string[];
  readonly #options: TreeWatcherOptions;
  readonly #watchers = new Map<string, FSWatcher>();
  #pollTimer: NodeJS.Timeout | undefined;
  #snapshot = new Map<string, string>();
  #closed = false;

  constructor(roots: readonly string[], options: TreeWatcherOptions) {
    this.#roots = [...roots];
    this.#options = options;
  }

  start(): void {
    if (this.#options.poll) {
      this.#startPolling();
      return;
    }
    try {
      for (const root of this.#roots) this.#watchTree(root);
    } catch (error) {
      this.#fallBack(error);
    }
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#pollTimer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  /** Folders currently watched through file-system events (for tests). */
  get watchedFolders(): string[] {
    return [...this.#watchers.keys()];
  }

  #watchTree(dir: string): void {
    if (this.#watchers.has(dir) || this.#closed) return;
    const watcher = watch(dir, { persistent: true }, (_event, name) => {
      if (name !== null) this.#event(dir, String(name));
    });
    // A watched folder that is deleted ends its watch with an error on some systems: the parent
    // folder's event has already told us.
    watcher.on('error', () => this.#unwatch(dir));
    this.#watchers.set(dir, watcher);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !ignoredName(entry.name)) this.#watchTree(join(dir, entry.name));
    }
  }

  #event(dir: string, name: string): void {
    if (this.#closed || ignoredName(name)) return;
    const path = join(dir, name);
    const stats = statOrUndefined(path);
    if (stats?.isDirectory()) {
      if (!this.#watchers.has(path)) {
        try {
          this.#watchTree(path);
        } catch (error) {
          // The folder vanished again, or events ran out: polling sees what is left.
          if (statOrUndefined(path)) {
            this.#fallBack(error);
            return;
          }
        }
        this.#report(path);
      }
      return;
    }
    if (!stats && this.#watchers.has(path)) {
      this.#unwatch(path);
      this.#report(path);
      return;
    }
    if (isWatchedFile(name)) this.#report(path);
  }

  #unwatch(dir: string): void {
    for (const [path, watcher] of this.#watchers) {
      if (path === dir || path.startsWith(dir + sep)) {
        watcher.close();
        this.#watchers.delete(path);
      }
    }
  }

  #report(path: string): void {
    const root = this.#roots.find((r) => path === r || path.startsWith(r + sep)) ?? '';
    this.#options.onChange(relative(root, path) || path);
  }

  #fallBack(error: unknown): void {
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
    this.#options.onFallback?.((error as NodeJS.ErrnoException).code ?? String(error));
    this.#startPolling();
  }

  #startPolling(): void {
    this.#snapshot = this.#scan();
    const tick = () => {
      if (this.#closed) return;
      const next = this.#scan();
      for (const [path, stamp] of next) if (this.#snapshot.get(path) !== stamp) this.#report(path);
      for (const path of this.#snapshot.keys()) if (!next.has(path)) this.#report(path);
      this.#snapshot = next;
      this.#pollTimer = setTimeout(tick, this.#options.pollIntervalMs ?? 300);
    };
    this.#pollTimer = setTimeout(tick, this.#options.pollIntervalMs ?? 300);
  }

  /** Every watched file and folder with a stamp that changes when it is written or replaced. */
  #scan(): Map<string, string> {
    const out = new Map<string, string>();
    const visit = (dir: string) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (ignoredName(entry.name)) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          out.set(path, 'dir');
          visit(path);
        } else if (isWatchedFile(entry.name)) {
          const stats = statOrUndefined(path);
          if (stats) out.set(path, `${stats.ino}:${stats.size}:${stats.mtimeMs}`);
        }
      }
    };
    for (const root of this.#roots) visit(root);
    return out;
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
