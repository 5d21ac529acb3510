import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repoRoot, STACK_FRAME } from './support/cli-process.ts';

const version = JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8'))
  .version as string;

describe('polycloud help and version', () => {
  it('prints the global help for --help, -h and help, on stdout with exit code 0', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const out = cli(args);
      expect(out.status, args.join(' ')).toBe(0);
      expect(out.stdout).toMatch(/^usage: polycloud <command> \[options\]$/m);
      for (const command of ['dev', 'invoke', 'build', 'check'])
        expect(out.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      expect(out.stderr).toBe('');
    }
  });

  it('prints the version for --version and -v', () => {
    for (const args of [['--version'], ['-v']]) {
      const out = cli(args);
      expect(out.status).toBe(0);
      expect(out.stdout.trim()).toBe(version);
    }
  });

  it("prints a command's own help for `<command> --help`, `<command> -h` and `help <command>`", () => {
    const build = cli(['build', '--help']);
    expect(build.status).toBe(0);
    expect(build.stdout).toMatch(/^usage: polycloud build --provider <aws\|azure\|gcp\|node> \[dir\]$/m);
    expect(cli(['help', 'build']).stdout).toBe(build.stdout);
    expect(cli(['dev', '-h']).stdout).toMatch(/^usage: polycloud dev \[dir\.\.\.\]/m);
    // invoke's help documents its input formats.
    const invoke = cli(['invoke', '--help']).stdout;
    expect(invoke).toMatch(/neutral request/);
    expect(invoke).toMatch(/"method": "GET", "path": "\/items\/42"/);
    expect(invoke).toMatch(/--provider aws/);
    expect(invoke).toMatch(/CloudEvent/);
  });
});

describe('polycloud usage mistakes: one line, exit code 2', () => {
  it.each([
    [['buidl'], 'polycloud: unknown command "buidl" (did you mean "build"?) (see polycloud --help)'],
    [['frobnicate'], 'polycloud: unknown command "frobnicate" (see polycloud --help)'],
    [
      ['dev', '--prot', '3000'],
      'polycloud dev: unknown option --prot (did you mean "--port"?) (see polycloud dev --help)',
    ],
    [
      ['dev', '--port', 'x'],
      'polycloud dev: --port must be a whole number 0..65535, got "x" (see polycloud dev --help)',
    ],
    [
      ['invoke'],
      'polycloud invoke: which function? polycloud invoke <function> [dir] [--event file.json] (see polycloud invoke --help)',
    ],
    [['invoke', 'fn', '--event'], 'polycloud invoke: --event needs a value (see polycloud invoke --help)'],
    [
      ['build', '--provider', 'azur', 'examples/echo'],
      'polycloud build: --provider is "azur" (did you mean "azure"?); valid providers are: aws, azure, gcp, node (see polycloud build --help)',
    ],
  ])('%j', (args, line) => {
    const out = cli(args);
    expect(out.status).toBe(2);
    expect(out.stderr).toBe(`${line}\n`);
    expect(out.stdout).toBe('');
  });

  it('prints the help on stderr with exit code 2 when no command is given', () => {
    const out = cli([]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/^usage: polycloud <command>/m);
    expect(out.stdout).toBe('');
  });

  it('never prints a stack for a usage mistake', () => {
    expect(cli(['build', '--nope']).stderr).not.toMatch(STACK_FRAME);
  });
});
