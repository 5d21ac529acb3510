/**
 * Every AWS contract driver's unsupported declarations, checked together: each reason cites AWS's
 * documentation, no driver exceeds the kit's budget, and no driver declares unsupported what a sibling
 * on the same native source runs. The drivers are read from the contract test files themselves, so a
 * new contract file is checked without being listed here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkUnsupportedDeclarations } from '@polycloud/testing';
import { describe, expect, it } from 'vitest';
import { type LambdaDriverOptions, lambdaDriver } from '../support/lambda-driver.ts';

const TEST_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

function contractDriverOptions(): LambdaDriverOptions[] {
  // Contract suites live in test/contract/ (older layout: test/contract-*.test.ts).
  const files = readdirSync(TEST_DIR, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.test.ts') && /(^|\/)contract(\/|[^/]*\.test\.ts$)/.test(f),
  );
  const options: LambdaDriverOptions[] = [];
  for (const file of files) {
    for (const m of readFileSync(join(TEST_DIR, file), 'utf8').matchAll(/lambdaDriver\((\{[^)]*\})\)/g)) {
      options.push(new Function(`return (${m[1]});`)() as LambdaDriverOptions);
    }
  }
  return options;
}

describe('AWS contract drivers: unsupported declarations', () => {
  const drivers = contractDriverOptions().map(lambdaDriver);

  it('finds every contract driver', () => {
    expect(drivers.length).toBeGreaterThanOrEqual(13);
  });

  it('cite the documentation, stay within the budget, and never contradict a sibling on the same source', () => {
    expect(checkUnsupportedDeclarations(drivers)).toEqual([]);
  });
});
