/**
 * The same app written four ways (TypeScript or JavaScript, in an ES module or a CommonJS package,
 * npm init's default) behaves the same in `invoke` and `dev`: HttpError(404) answers 404, and the
 * request the handler gets is an instance of the HttpRequest the app imports (one copy of core).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, DevProcess, tempApp } from './support/cli-process.ts';

const handlerBody = (variant: string) => `(req) => {
      if (req.params.id === 'missing') throw new HttpError(404, 'no item ' + req.params.id);
      return { variant: '${variant}', id: req.params.id, oneCore: req instanceof HttpRequest, cjs: typeof __dirname === 'string' };
    }`;

const esmSource = (
  variant: string,
) => `import { defineApp, HttpError, HttpRequest, http } from '@polycloud/core';
import { prefix } from './prefix${variant.startsWith('ts') ? '' : '.js'}';
export default defineApp({
  name: '${variant}',
  functions: {
    ${variant.replace('-', '')}: http('GET ' + prefix + '/items/:id', ${handlerBody(variant)}),
  },
});
`;

const variants = {
  // TypeScript in a CommonJS package: compiled to require(); the extensionless import is resolved too.
  'ts-cjs': {
    'package.json': '{ "name": "ts-cjs", "version": "1.0.0", "type": "commonjs" }',
    'src/prefix.ts': "export const prefix = '/ts-cjs';\n",
    'src/app.ts': esmSource('ts-cjs').replace(
      "typeof __dirname === 'string'",
      "typeof __dirname === 'string'",
    ),
  },
  'ts-esm': {
    'package.json': '{ "name": "ts-esm", "version": "1.0.0", "type": "module" }',
    'src/prefix.ts': "export const prefix = '/ts-esm';\n",
    'src/app.ts': esmSource('ts-esm').replace("typeof __dirname === 'string'", 'false'),
  },
  'js-cjs': {
    'package.json': '{ "name": "js-cjs", "version": "1.0.0" }',
    'src/prefix.js': "exports.prefix = '/js-cjs';\n",
    'src/app.js': `const { defineApp, HttpError, HttpRequest, http } = require('@polycloud/core');
const { prefix } = require('./prefix');
module.exports = defineApp({
  name: 'js-cjs',
  functions: {
    jscjs: http('GET ' + prefix + '/items/:id', ${handlerBody('js-cjs')}),
  },
});
`,
  },
  'js-esm': {
    'package.json': '{ "name": "js-esm", "version": "1.0.0", "type": "module" }',
    'src/prefix.js': "export const prefix = '/js-esm';\n",
    'src/app.js': esmSource('js-esm').replace("typeof __dirname === 'string'", 'false'),
  },
} as const;

const apps = Object.fromEntries(Object.entries(variants).map(([name, files]) => [name, tempApp(files)]));
afterAll(() => {
  for (const app of Object.values(apps)) app.remove();
});

describe.each(Object.keys(variants))('an app in %s', (variant) => {
  const dir = () => apps[variant]!.dir;
  const fn = variant.replace('-', '');
  const isCjs = variant.endsWith('cjs');

  it('answers through invoke, with HttpError(404) as a 404 and one copy of core', () => {
    const ok = cli(['invoke', fn, dir(), '--event', '-'], {
      input: JSON.stringify({ path: `/${variant}/items/7` }),
    });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const printed = JSON.parse(ok.stdout);
    expect(printed.status).toBe(200);
    expect(JSON.parse(printed.body)).toEqual({
      variant,
      id: '7',
      oneCore: true,
      cjs: isCjs && variant.startsWith('js') ? true : isCjs,
    });
    const missing = cli(['invoke', fn, dir(), '--event', '-'], {
      input: JSON.stringify({ path: `/${variant}/items/missing` }),
    });
    expect(missing.status).toBe(0);
    expect(JSON.parse(missing.stdout)).toMatchObject({ status: 404 });
    expect(JSON.parse(JSON.parse(missing.stdout).body)).toEqual({ error: 'no item missing' });
  }, 120_000);

  it('passes check', () => {
    const out = cli(['check', dir()]);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe(`${variant}: provider node, 1 functions\n  ${fn} (http)\n`);
  }, 120_000);
});

describe.each([
  ['CommonJS', ['ts-cjs', 'js-cjs']],
  ['ES module', ['ts-esm', 'js-esm']],
])('polycloud dev serving the %s apps', (_system, names) => {
  let dev: DevProcess | undefined;
  afterAll(async () => {
    await dev?.stop();
  });

  it('answers 404 for HttpError(404) and the app sees one copy of core', async () => {
    dev = new DevProcess([...names.map((n) => apps[n]!.dir), '--port', '0']);
    const url = await dev.url();
    for (const variant of names) {
      const missing = await fetch(`${url}/${variant}/items/missing`);
      expect(missing.status, variant).toBe(404);
      expect(await missing.json()).toEqual({ error: 'no item missing' });
      const ok = await fetch(`${url}/${variant}/items/3`);
      expect(ok.status, variant).toBe(200);
      expect(await ok.json(), variant).toMatchObject({ variant, oneCore: true });
    }
  }, 120_000);
});
