#!/usr/bin/env node
// `npm create polycloud@latest my-app`: copies template/ into my-app and writes its package.json.
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = 'usage: npm create polycloud@latest <directory>';
const here = dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(join(here, '../package.json'), 'utf8'));

function fail(message) {
  console.error(`create-polycloud: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
if (args.includes('--version')) {
  console.log(version);
  process.exit(0);
}
const [target, ...extra] = args;
if (!target || target.startsWith('-') || extra.length > 0) fail(USAGE);
const dir = resolve(target);
if (existsSync(dir) && readdirSync(dir).length > 0) fail(`${target} exists and is not empty`);
// npm package names: lower case, no spaces; the folder name is the app name.
const name = basename(dir)
  .toLowerCase()
  .replace(/[^a-z0-9._-]+/g, '-')
  .replace(/^[._-]+/, '');
if (!name) fail(`cannot make a package name from "${target}"`);

cpSync(join(here, '../template'), dir, { recursive: true });
// npm never packs a file named .gitignore: the template ships it as gitignore.
renameSync(join(dir, 'gitignore'), join(dir, '.gitignore'));
// The polycloud packages release together (one version): the app asks for the one this was released with.
const range = `^${version}`;
const pkg = {
  name,
  version: '0.1.0',
  private: true,
  type: 'module',
  scripts: {
    dev: 'polycloud dev',
    test: 'tsc --noEmit && vitest run',
    typecheck: 'tsc --noEmit',
    'build:aws': 'polycloud build --provider aws',
    'build:azure': 'polycloud build --provider azure',
    'build:gcp': 'polycloud build --provider gcp',
    'build:node': 'polycloud build --provider node',
  },
  dependencies: { '@polycloud/core': range },
  devDependencies: {
    '@polycloud/aws': range,
    '@polycloud/azure': range,
    '@polycloud/gcp': range,
    '@polycloud/node': range,
    '@polycloud/testing': range,
    '@types/node': '^20.19.0',
    polycloud: range,
    typescript: '^6.0.3',
    vitest: '^4.1.12',
  },
  engines: { node: '>=20.19' },
};
writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  join(dir, 'README.md'),
  readFileSync(join(dir, 'README.md'), 'utf8').replaceAll('{{name}}', name),
);
const where = relative(process.cwd(), dir) || '.';
console.log(`Created ${name} in ${where}. Next:

  cd ${where}
  npm install
  npm test          # typecheck + the app's tests
  npm run dev       # serves it on http://127.0.0.1:3000
`);
