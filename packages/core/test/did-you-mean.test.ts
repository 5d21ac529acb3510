import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean } from '../src/adapter.ts';

describe('closestMatch', () => {
  it('finds typos: a missing, extra, wrong or swapped letter, in any case', () => {
    expect(closestMatch('provder', ['$schema', 'app', 'provider', 'providers'])).toBe('provider');
    expect(closestMatch('azur', ['aws', 'azure', 'gcp', 'node'])).toBe('azure');
    expect(closestMatch('gpc', ['aws', 'azure', 'gcp', 'node'])).toBe('gcp');
    expect(closestMatch('Providers', ['app', 'provider', 'providers'])).toBe('providers');
    expect(closestMatch('buidl', ['dev', 'build', 'check', 'invoke'])).toBe('build');
  });

  it('allows a third of the word in edits: two for six letters', () => {
    expect(closestMatch('provdr', ['provider'])).toBe('provider');
    expect(closestMatch('prvdr', ['provider'])).toBeUndefined();
  });

  it('takes the first of equally close candidates, a swap counting one edit like a substitution', () => {
    expect(closestMatch('cat', ['bat', 'hat'])).toBe('bat');
    expect(closestMatch('gpc', ['gpx', 'gcp'])).toBe('gpx');
    expect(closestMatch('gpc', ['gcp', 'gpx'])).toBe('gcp');
  });

  it('counts a swap only of two adjacent letters that trade places', () => {
    // "ac" → "ba" and "ca" → "ab" are two substitutions each: one letter matching across is no swap.
    expect(closestMatch('ac', ['ba'])).toBeUndefined();
    expect(closestMatch('ca', ['ab'])).toBeUndefined();
    expect(closestMatch('ab', ['ba'])).toBe('ba');
  });

  it('suggests nothing for a word that is not close to any candidate', () => {
    expect(closestMatch('oracle', ['aws', 'azure', 'gcp', 'node'])).toBeUndefined();
    expect(closestMatch('x', ['aws'])).toBeUndefined();
    expect(didYouMean('frobnicate', ['dev', 'build'])).toBe('');
    expect(didYouMean('dve', ['dev', 'build'])).toBe(' (did you mean "dev"?)');
  });
});
