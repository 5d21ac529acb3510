import { ConfigError, InvalidEventError } from '@polycloud/core';
import { buildCommand } from './build-command.ts';
import { UsageError } from './load-app.ts';

const USAGE = `usage: polycloud dev [dir...] [--port N]
       polycloud invoke <function> --event <file.json> [dir]
       polycloud build --provider <aws|azure|gcp|node> [dir]
       polycloud check [dir] [--strict] [--json]`;

interface Parsed {
  positional: string[];
  flags: Map<string, string>;
}

const VALUE_FLAGS = new Set(['--port', '--host', '--event', '--provider']);
const BOOLEAN_FLAGS = new Set(['--strict', '--json']);

function parse(args: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      const [name, inline] = arg.split('=', 2) as [string, string | undefined];
      if (BOOLEAN_FLAGS.has(name) && inline === undefined) {
        flags.set(name, 'true');
        continue;
      }
      if (!VALUE_FLAGS.has(name)) throw new UsageError(`unknown option ${name}`);
      const value = inline ?? args[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
      flags.set(name, value);
    } else positional.push(arg);
  }
  return { positional, flags };
}

/** Returns the exit code: 0 ok, 1 failure, 2 bad arguments. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { positional, flags } = parse(rest);
    switch (command) {
      case 'dev': {
        const { devCommand } = await import('./dev-command.ts');
        return await devCommand(positional.length ? positional : ['.'], {
          port: flags.has('--port') ? portFlag(flags.get('--port')!) : undefined,
          host: flags.get('--host'),
        });
      }
      case 'invoke': {
        const [fn, dir = '.'] = positional;
        const eventFile = flags.get('--event');
        if (!fn || !eventFile || positional.length > 2)
          throw new UsageError('invoke needs <function> and --event <file.json>');
        const { invokeCommand } = await import('./invoke-command.ts');
        return await invokeCommand(dir, fn, eventFile);
      }
      case 'build': {
        if (positional.length > 1) throw new UsageError('build takes at most one directory');
        await buildCommand(positional[0] ?? '.', flags.get('--provider'), (line) => console.log(line));
        return 0;
      }
      case 'check': {
        const { checkCommand } = await import('./check-command.ts');
        if (positional.length > 1) throw new UsageError('check takes at most one directory');
        return await checkCommand(positional[0] ?? '.', {
          strict: flags.has('--strict'),
          json: flags.has('--json'),
        });
      }
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`polycloud: ${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof InvalidEventError) {
      console.error(`polycloud: ${error.message}`);
      return 1;
    }
    console.error(error);
    return 1;
  }
}

function portFlag(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0..65535, got ${value}`);
  return port;
}
