import type { App } from '@polycloud/core';
import type { LockInFinding, LockInReport } from './lock-in-scan.ts';

export interface LockInOutput {
  json: boolean;
  strict: boolean;
}

/** What to do about each kind of finding (README "Move off a provider" says more). */
const ADVICE: Record<string, string> = {
  sdk: "a provider SDK: use polycloud's Queue, Topic or FunctionClient where one fits; otherwise put the call behind your own token and provide one implementation per provider (defineApp({ services: [provide(...)] }) or a ContainerModule)",
  adapter:
    'a polycloud adapter imported by the app: import from @polycloud/core; provider settings belong in polycloud.config.json',
  raw: 'provider input read directly: use the neutral fields (req.headers, req.identity, message.attributes…); if you must, branch on ctx.provider with a path for every provider',
};

const adviceKey = (f: LockInFinding) =>
  f.kind === 'raw' ? 'raw' : f.provider === 'a polycloud adapter' ? 'adapter' : 'sdk';

/**
 * Prints the lock-in report (text for people, `--json` for CI) and returns the exit code:
 * 1 with `--strict` when anything was found, else 0.
 */
export function printLockIn(
  app: App,
  provider: string,
  report: LockInReport,
  output: LockInOutput,
  write: (line: string) => void,
): number {
  const { findings } = report;
  if (output.json) {
    write(
      JSON.stringify(
        {
          app: app.name,
          provider,
          functions: [...app.functions.keys()],
          files: report.files,
          findings: findings.map((f) => ({ ...f, function: f.function ?? null })),
        },
        null,
        2,
      ),
    );
  } else if (findings.length === 0) {
    write(
      `lock-in: ${report.files.length} files followed from the entry; no provider-specific imports, no ctx.raw`,
    );
  } else {
    write(`lock-in: ${report.files.length} files followed from the entry; ${findings.length} findings`);
    const groups = new Map<string, LockInFinding[]>();
    for (const f of findings) {
      const key = f.function ?? '';
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    for (const [fn, list] of [...groups].sort(([a], [b]) =>
      a === '' ? 1 : b === '' ? -1 : a.localeCompare(b),
    )) {
      write(`  ${fn || 'every function (module scope: in each bundle)'}`);
      for (const f of list) {
        const what = f.kind === 'raw' ? 'ctx.raw' : `import ${f.specifier} (${f.provider})`;
        write(`    ${f.file}:${f.line}:${f.column}  ${what}`);
        write(`      ${f.text}`);
      }
    }
    write('  what to do:');
    for (const key of new Set(findings.map(adviceKey))) write(`    - ${ADVICE[key]}`);
  }
  return output.strict && findings.length > 0 ? 1 : 0;
}
