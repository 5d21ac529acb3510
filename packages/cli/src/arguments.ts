import { UsageError } from './cli-errors.ts';
import { COMMANDS, type CommandName } from './help.ts';

/** The options each command takes a value for. */
const VALUE_OPTIONS: Record<Exclude<CommandName, 'help'>, readonly string[]> = {
  dev: ['--port', '--host'],
  invoke: ['--event', '--provider'],
  build: ['--provider'],
  check: [],
};

/** The options each command takes as a switch, without a value. */
const SWITCH_OPTIONS: Record<Exclude<CommandName, 'help'>, readonly string[]> = {
  dev: [],
  invoke: [],
  build: [],
  check: ['--strict', '--json'],
};

export type Invocation =
  | {
      kind: 'help';
      command?: Exclude<CommandName, 'help'> /** No command was given at all. */;
      implicit?: boolean;
    }
  | { kind: 'version' }
  | {
      kind: 'run';
      command: Exclude<CommandName, 'help'>;
      positional: string[];
      options: Map<string, string>;
    };

export interface ParsedArguments {
  invocation: Invocation;
  debug: boolean;
}

/**
 * Reads `polycloud <command> [args]`. `--debug` is taken anywhere; `-h`/`--help` anywhere asks for
 * help (a command's own when one is given); `-v`/`--version` only in place of a command.
 */
export async function parseArguments(argv: readonly string[]): Promise<ParsedArguments> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [first, ...rest] = args;
  const wantsHelp = args.some((a) => a === '-h' || a === '--help');
  if (first === undefined) return { invocation: { kind: 'help', implicit: true }, debug };
  if (first === '-v' || first === '--version') return { invocation: { kind: 'version' }, debug };
  if (first === '-h' || first === '--help') return { invocation: { kind: 'help' }, debug };
  if (first === 'help') {
    const topic = rest.find((a) => !a.startsWith('-'));
    return {
      invocation: { kind: 'help', command: topic === undefined ? undefined : await command(topic) },
      debug,
    };
  }
  const name = await command(first);
  if (wantsHelp) return { invocation: { kind: 'help', command: name }, debug };
  const allowed = VALUE_OPTIONS[name];
  const switches = SWITCH_OPTIONS[name];
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const option = eq === -1 ? arg : arg.slice(0, eq);
    if (switches.includes(option) && eq === -1) {
      options.set(option, 'true');
      continue;
    }
    if (!allowed.includes(option)) {
      const known = [...allowed, ...switches, '--help', '--debug'];
      throw new UsageError(`unknown option ${option}${await suggestion(option, known)}`, name);
    }
    const value = eq === -1 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--')))
      throw new UsageError(`${option} needs a value`, name);
    options.set(option, value);
  }
  return { invocation: { kind: 'run', command: name, positional, options }, debug };
}

async function command(word: string): Promise<Exclude<CommandName, 'help'>> {
  const runnable = COMMANDS.filter((c) => c !== 'help');
  if ((runnable as readonly string[]).includes(word)) return word as Exclude<CommandName, 'help'>;
  throw new UsageError(`unknown command "${word}"${await suggestion(word, COMMANDS)}`);
}

/** Core is loaded for the suggestion only when there is a mistake to suggest for. */
async function suggestion(word: string, candidates: readonly string[]): Promise<string> {
  const { didYouMean } = await import('@polycloud/core/adapter');
  return didYouMean(word, candidates);
}
