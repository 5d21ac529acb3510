/** IapVerifier (http/iap.ts) on its own: why each forged or stale assertion is refused, as jose reports it. */
import { describe, expect, it } from 'vitest';
import { IAP_ISSUER, IapVerificationError, IapVerifier } from '../../src/index.ts';
import { assertionWith, hmacAssertion, iapKeys, signAssertion } from '../support/iap-token.ts';

const AUD = '/projects/1/apps/iap-unit';
const keys = iapKeys();
const fresh = iapKeys('fresh-kid');
const verifier = new IapVerifier({ audience: AUD, jwks: keys.jwks });
const now = Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({
  iss: IAP_ISSUER,
  aud: AUD,
  sub: 'accounts.google.com:42',
  iat: now,
  exp: now + 600,
  ...extra,
});

describe('IapVerifier', () => {
  it('a valid assertion gives the identity with every claim', async () => {
    await expect(verifier.verify(signAssertion(keys.privateKey, keys.kid, claims()))).resolves.toEqual({
      source: 'gcp:iap',
      subject: 'accounts.google.com:42',
      claims: claims(),
    });
  });

  it.each([
    [
      'a fresh ES256 key not in the JWKS',
      () => signAssertion(fresh.privateKey, fresh.kid, claims()),
      /no applicable key/,
    ],
    [
      'a fresh key claiming the published kid',
      () => signAssertion(fresh.privateKey, keys.kid, claims()),
      /signature verification failed/,
    ],
    ['no kid', () => assertionWith({ alg: 'ES256' }, claims(), 'c2ln'), /missing kid/],
    ['alg none', () => assertionWith({ alg: 'none', kid: keys.kid }, claims()), /"alg" .* not allowed/],
    [
      'HS256',
      () => hmacAssertion(JSON.stringify(keys.jwks.keys[0]), keys.kid, claims()),
      /"alg" .* not allowed/,
    ],
    ['ES384', () => assertionWith({ alg: 'ES384', kid: keys.kid }, claims(), 'c2ln'), /"alg" .* not allowed/],
    [
      'another audience',
      () => signAssertion(keys.privateKey, keys.kid, claims({ aud: '/projects/2/apps/x' })),
      /"aud"/,
    ],
    [
      'another issuer',
      () => signAssertion(keys.privateKey, keys.kid, claims({ iss: 'https://evil.example' })),
      /"iss"/,
    ],
    [
      'expired past the skew',
      () => signAssertion(keys.privateKey, keys.kid, claims({ exp: now - 31 })),
      /"exp"/,
    ],
    [
      'issued in the future',
      () => signAssertion(keys.privateKey, keys.kid, claims({ iat: now + 120 })),
      /issued in the future/,
    ],
    [
      'no exp',
      () => signAssertion(keys.privateKey, keys.kid, claims({ exp: undefined })),
      /missing required "exp"/,
    ],
  ])('%s: refused with IapVerificationError', async (_what, token, reason) => {
    const error = await verifier.verify(token()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IapVerificationError);
    expect((error as Error).message).toMatch(reason);
  });

  it('an assertion expired within the clock skew still verifies', async () => {
    const token = signAssertion(keys.privateKey, keys.kid, claims({ exp: now - 10 }));
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'accounts.google.com:42' });
  });
});
