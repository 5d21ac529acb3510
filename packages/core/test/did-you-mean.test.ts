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

  it('suggests nothing for a word that is not close to any candidate', () => {
    expect(closestMatch('oracle', ['aws', 'azure', 'gcp', 'node'])).toBeUndefined();
    expect(closestMatch('x', ['aws'])).toBeUndefined();
    expect(didYouMean('frobnicate', ['dev', 'build'])).toBe('');
    expect(didYouMean('dve', ['dev', 'build'])).toBe(' (did you mean "dev"?)');
  });
});
