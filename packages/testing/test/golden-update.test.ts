import { describe, expect, it } from 'vitest';
import { goldenUpdateRequested } from '../src/golden-update.ts';

describe('golden update mode', () => {
  it('is off unless the variable is exactly 1', () => {
    expect(goldenUpdateRequested('UPDATE_GOLDEN', {})).toBe(false);
    expect(goldenUpdateRequested('UPDATE_GOLDEN', { UPDATE_GOLDEN: 'true' })).toBe(false);
    expect(goldenUpdateRequested('UPDATE_GOLDEN', { UPDATE_GOLDEN: '1' })).toBe(true);
    expect(goldenUpdateRequested('UPDATE_GOLDEN', { UPDATE_GOLDEN: '1', CI: 'false' })).toBe(true);
  });

  it('refuses to run in CI', () => {
    for (const CI of ['true', '1', 'yes']) {
      expect(() =>
        goldenUpdateRequested('POLYCLOUD_UPDATE_GOLDENS', { POLYCLOUD_UPDATE_GOLDENS: '1', CI }),
      ).toThrow(/POLYCLOUD_UPDATE_GOLDENS=1 rewrites goldens and is refused in CI/);
    }
    // Without the update request, CI is no reason to fail.
    expect(goldenUpdateRequested('UPDATE_GOLDEN', { CI: 'true' })).toBe(false);
  });

  it('every golden test asks through it (no golden test reads its update variable directly)', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const root = resolve(import.meta.dirname, '../../..');
    for (const adapter of ['aws', 'azure', 'gcp']) {
      const candidates = [
        `adapters/${adapter}/test/golden.test.ts`,
        `adapters/${adapter}/test/golden/golden.test.ts`,
      ];
      const text = candidates
        .map((p) => {
          try {
            return readFileSync(resolve(root, p), 'utf8');
          } catch {
            return '';
          }
        })
        .join('');
      expect(text, adapter).toContain('goldenUpdateRequested(');
      expect(text, adapter).not.toMatch(/process\.env\.(POLYCLOUD_)?UPDATE_GOLDENS?\b/);
    }
  });
});
