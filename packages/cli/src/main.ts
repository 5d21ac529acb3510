// Only what every run needs is imported up front: help and version answer without loading core,
// esbuild or the app; each command loads its own modules.
import { type Invocation, parseArguments } from './arguments.ts';
import { UsageError } from './cli-errors.ts';
import { debugEnabled } from './debug-switch.ts';
import { COMMAND_HELP, cliVersion, GLOBAL_HELP } from './help.ts';

/** Runs the CLI; returns the exit code: 0 ok, 1 failure, 2 wrong usage. */
export async function main(argv: string[]): Promise<number> {
  let command: string | undefined;
  let debug = debugEnabled();
  try {
    const parsed = await parseArguments(argv);
    debug ||= parsed.debug;
    // The dev server runs in a child process: it reads the switch from the environment.
    if (debug) process.env.POLYCLOUD_DEBUG = '1';
    const { invocation } = parsed;
    if (invocation.kind === 'help') {
      // `polycloud` alone is a mistake in a script: the help goes to stderr with exit code 2.
      if (invocation.implicit) {
        console.error(GLOBAL_HELP);
        return 2;
      }
      console.log(invocation.command ? COMMAND_HELP[invocation.command] : GLOBAL_HELP);
      return 0;
    }
    if (invocation.kind === 'version') {
      console.log(cliVersion());
      return 0;
    }
    command = invocation.command;
    return await run(invocation);
  } catch (error) {
    const { reportError } = await import('./error-report.ts');
    const { text, code } = reportError(error, command, debug);
    console.error(text);
    return code;
  }
}

async function run({ command, positional, options }: Extract<Invocation, { kind: 'run' }>): Promise<number> {
  switch (command) {
    case 'dev': {
      const { devCommand } = await import('./dev-command.ts');
      return await devCommand(positional.length ? positional : ['.'], {
        port: options.has('--port') ? portOption(options.get('--port')!) : undefined,
        host: options.get('--host'),
      });
    }
    case 'invoke': {
      const [fn, dir = '.', ...extra] = positional;
      if (!fn) throw new UsageError('which function? polycloud invoke <function> [dir] [--event file.json]');
      if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
      const { invokeCommand } = await import('./invoke-command.ts');
      return await invokeCommand(dir, fn, {
        eventFile: options.get('--event'),
        provider: options.get('--provider'),
      });
    }
    case 'build': {
      if (positional.length > 1) throw new UsageError('build takes at most one directory');
      const { buildCommand } = await import('./build-command.ts');
      await buildCommand(positional[0] ?? '.', options.get('--provider'), (line) => console.log(line));
      return 0;
    }
    case 'check': {
      if (positional.length > 1) throw new UsageError('check takes at most one directory');
      const { checkCommand } = await import('./check-command.ts');
      return await checkCommand(positional[0] ?? '.', {
        strict: options.has('--strict'),
        json: options.has('--json'),
      });
    }
  }
}

function portOption(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a whole number 0..65535, got "${value}"`);
  return port;
}
