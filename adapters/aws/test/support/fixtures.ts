import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real provider payloads, copied with their attribution into test/fixtures (see its SOURCES.md). */
export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/aws');

export function fixture(relative: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, relative), 'utf8')) as Record<string, unknown>;
}

/** Every fixture file as `dir/name.json`, sorted. */
export function allFixtures(): string[] {
  return readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(FIXTURES_DIR, d.name))
        .filter((f) => f.endsWith('.json'))
        .map((f) => `${d.name}/${f}`),
    )
    .sort();
}
