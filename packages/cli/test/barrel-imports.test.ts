import { describe, expect, it } from 'vitest';
import { barrelImports, indexExports } from '../src/barrel-imports.ts';

const INDEX = [
  "export { type App, defineApp, mergeApps } from './app.ts';",
  "export type { CloudEvent } from './cloud-event.ts';",
  'export {',
  '  HttpError,',
  '  InvalidEventError as BadInput,',
  "} from './errors.ts';",
  "export * from './everything-else.ts';",
  "export { thing } from 'another-package';",
].join('\n');
const exports = indexExports(INDEX, '/core/src/index.ts');

describe('indexExports', () => {
  it('maps each value re-exported by name to its module, under the name it is exported as', () => {
    expect(Object.fromEntries(exports)).toEqual({
      defineApp: { module: '/core/src/app.ts', name: 'defineApp' },
      mergeApps: { module: '/core/src/app.ts', name: 'mergeApps' },
      HttpError: { module: '/core/src/errors.ts', name: 'HttpError' },
      BadInput: { module: '/core/src/errors.ts', name: 'InvalidEventError' },
    });
  });
});

describe('barrelImports', () => {
  it('imports each name from its own module, types left out', () => {
    const source = "import { defineApp, type App, HttpError } from '@polycloud/core';\nexport default 1;\n";
    expect(barrelImports(source, '@polycloud/core', exports)).toBe(
      'import { defineApp } from "/core/src/app.ts"; import { HttpError } from "/core/src/errors.ts";\nexport default 1;\n',
    );
  });

  it('keeps local names and the names the modules export them under', () => {
    const source = 'import {\n  BadInput,\n  defineApp as define,\n} from "@polycloud/core"';
    expect(barrelImports(source, '@polycloud/core', exports)).toBe(
      'import { InvalidEventError as BadInput } from "/core/src/errors.ts"; import { defineApp as define } from "/core/src/app.ts";',
    );
  });

  it('leaves a statement it cannot map in full as it is', () => {
    for (const source of [
      "import { defineApp, fromEverythingElse } from '@polycloud/core';", // behind `export *`
      "import { defineApp /* why */ } from '@polycloud/core';",
      "import type { App } from '@polycloud/core';",
      "import * as core from '@polycloud/core';",
      "import { defineApp } from '@polycloud/core/adapter';",
      "import { defineApp } from 'other';",
    ])
      expect(barrelImports(source, '@polycloud/core', exports)).toBe(source);
  });
});
