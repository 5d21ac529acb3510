/** IapVerifier (http/iap.ts) on its own: why each forged or stale assertion is refused, as jose reports it. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

describe('IapVerifier clock skew and claims', () => {
  const at = now * 1000;

  it('an assertion issued up to 30 s ahead (clocks differ) verifies; further ahead is refused', async () => {
    const ahead = (s: number) => signAssertion(keys.privateKey, keys.kid, claims({ iat: now + s }));
    await expect(verifier.verify(ahead(30), at)).resolves.toMatchObject({ source: 'gcp:iap' });
    await expect(verifier.verify(ahead(31), at)).rejects.toThrow('issued in the future');
  });

  it('clockSkewSec sets the tolerance for both iat and exp', async () => {
    const strict = new IapVerifier({ audience: AUD, jwks: keys.jwks, clockSkewSec: 5 });
    const token = (extra: Record<string, unknown>) => signAssertion(keys.privateKey, keys.kid, claims(extra));
    await expect(strict.verify(token({ iat: now + 5 }), at)).resolves.toMatchObject({ source: 'gcp:iap' });
    await expect(strict.verify(token({ iat: now + 6 }), at)).rejects.toThrow('issued in the future');
    await expect(strict.verify(token({ exp: now - 4 }), at)).resolves.toMatchObject({ source: 'gcp:iap' });
    await expect(strict.verify(token({ exp: now - 10 }), at)).rejects.toThrow(/"exp"/);
    const none = new IapVerifier({ audience: AUD, jwks: keys.jwks, clockSkewSec: 0 });
    await expect(none.verify(token({ iat: now + 1 }), at)).rejects.toThrow('issued in the future');
  });

  it('an assertion without iat verifies (IAP always sets it; nothing to compare without it)', async () => {
    await expect(
      verifier.verify(signAssertion(keys.privateKey, keys.kid, claims({ iat: undefined })), at),
    ).resolves.toMatchObject({ subject: 'accounts.google.com:42' });
  });

  it('a sub that is not a string gives no subject; the claims are kept as signed', async () => {
    const identity = await verifier.verify(signAssertion(keys.privateKey, keys.kid, claims({ sub: 42 })), at);
    expect(identity.subject).toBeUndefined();
    expect(identity.claims).toMatchObject({ sub: 42, iss: IAP_ISSUER });
  });

  it('refusals are IapVerificationError by name too (what a log line shows)', async () => {
    const error = await verifier.verify('not.a.jwt', at).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IapVerificationError);
    expect((error as Error).name).toBe('IapVerificationError');
  });
});

describe('IapVerifier key fetching (IAP rotates its keys: cached an hour, an unknown kid refetched at most once a minute)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function keyServer() {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(keys.jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
    return { url, hits: () => hits, close: () => new Promise((r) => server.close(r)) };
  }
  const tokenAt = (ms: number, kid = keys.kid) => {
    const t = Math.floor(ms / 1000);
    return signAssertion(
      kid === keys.kid ? keys.privateKey : fresh.privateKey,
      kid,
      claims({ iat: t, exp: t + 600 }),
    );
  };

  it('the key set is fetched once and kept for an hour', async () => {
    const server = await keyServer();
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      const start = Date.now();
      const remote = new IapVerifier({ audience: AUD, jwksUrl: server.url });
      await remote.verify(tokenAt(start), start);
      expect(server.hits()).toBe(1);
      vi.setSystemTime(start + 20 * 60_000);
      await remote.verify(tokenAt(Date.now()), Date.now());
      expect(server.hits()).toBe(1);
      vi.setSystemTime(start + 61 * 60_000);
      await remote.verify(tokenAt(Date.now()), Date.now());
      expect(server.hits()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('an unknown kid refetches the key set, but not again within a minute', async () => {
    const server = await keyServer();
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      const start = Date.now();
      const remote = new IapVerifier({ audience: AUD, jwksUrl: server.url });
      await remote.verify(tokenAt(start), start);
      vi.setSystemTime(start + 40_000);
      await expect(remote.verify(tokenAt(Date.now(), 'fresh-kid'), Date.now())).rejects.toThrow(
        IapVerificationError,
      );
      expect(server.hits()).toBe(1);
      vi.setSystemTime(start + 61_000);
      await expect(remote.verify(tokenAt(Date.now(), 'fresh-kid'), Date.now())).rejects.toThrow(
        IapVerificationError,
      );
      expect(server.hits()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('a refusal keeps what jose said as its cause', async () => {
    const error = (await verifier.verify('not.a.jwt').catch((e: unknown) => e)) as Error;
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toBe(error.message);
  });
});
