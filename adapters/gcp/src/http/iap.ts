import type { KeyObject } from 'node:crypto';
import type { Identity } from '@polycloud/core';

/** IAP's published signing keys (ES256, rotated). */
export const IAP_JWKS_URL = 'https://www.gstatic.com/iap/verify/public_key-jwk';
export const IAP_ISSUER = 'https://cloud.google.com/iap';
export const IAP_HEADER = 'x-goog-iap-jwt-assertion';

/**
 * One key of IAP's JWK set. Declared here rather than taken from `node:crypto`, whose `JsonWebKey`
 * export newer `@types/node` majors dropped (it became the global WebCrypto type).
 */
export interface IapJwk {
  kid?: string;
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
  alg?: string;
  [member: string]: unknown;
}

export interface IapOptions {
  /** Expected `aud`: `/projects/NUMBER/global/backendServices/ID` or `/projects/NUMBER/apps/PROJECT_ID`. */
  audience: string;
  /** Static keys (tests, air-gapped setups); otherwise fetched from `jwksUrl`. */
  jwks?: { keys: IapJwk[] };
  jwksUrl?: string;
  /** Tolerated clock difference for exp/iat, seconds (default 30). */
  clockSkewSec?: number;
  /** Answer 401 when the header is absent (the function is only reachable through IAP). */
  required?: boolean;
}

/** Why a signed header was refused; answered as 401 without details. */
export class IapVerificationError extends Error {
  override readonly name = 'IapVerificationError';
}

const KEYS_TTL_MS = 3_600_000;

/**
 * Verifies `x-goog-iap-jwt-assertion` (ES256 JWT): signature with IAP's keys, issuer, audience
 * and lifetime. Only a verified assertion yields an identity; plain `x-goog-authenticated-user-*`
 * headers are client-settable and ignored.
 */
export class IapVerifier {
  readonly #options: IapOptions;
  #keys?: Map<string, KeyObject>;
  #fetchedAt = 0;
  #pending?: Promise<Map<string, KeyObject>>;

  constructor(options: IapOptions) {
    this.#options = options;
    if (options.jwks) this.#keys = importKeys(options.jwks.keys);
  }

  async verify(token: string, now = Date.now()): Promise<Identity> {
    return this.verifyNow(token, now);
  }

  /**
   * `verify` without a promise when the signing key is at hand (static keys, or fetched ones still
   * fresh): the framework runs each request in a domain, where every promise costs. Throws or
   * rejects with the same errors as `verify`.
   */
  verifyNow(token: string, now = Date.now()): Identity | Promise<Identity> {
    const parts = token.split('.');
    if (parts.length !== 3) throw new IapVerificationError('not a compact JWS');
    const [h, p, s] = parts as [string, string, string];
    const header = decodeSegment(h, 'header') as { alg?: unknown; kid?: unknown };
    if (header.alg !== 'ES256') throw new IapVerificationError(`unexpected alg ${String(header.alg)}`);
    const kid = header.kid;
    if (typeof kid !== 'string') throw new IapVerificationError('missing kid');
    const key = this.#keysAtHand()?.get(kid);
    if (key) return this.#check(h, p, s, key, now);
    return this.#keyMap().then(async (keys) => {
      const found = keys.get(kid) ?? (await this.#keyMap(true)).get(kid);
      if (!found) throw new IapVerificationError(`unknown kid ${kid}`);
      return this.#check(h, p, s, found, now);
    });
  }

  #check(h: string, p: string, s: string, key: KeyObject, now: number): Identity {
    const signature = Buffer.from(s, 'base64url');
    const ok = nodeCrypto().verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key, dsaEncoding: 'ieee-p1363' },
      signature,
    );
    if (!ok) throw new IapVerificationError('bad signature');
    const claims = decodeSegment(p, 'payload') as Record<string, unknown>;
    const skew = (this.#options.clockSkewSec ?? 30) * 1000;
    if (claims.iss !== IAP_ISSUER) throw new IapVerificationError('wrong issuer');
    const aud = claims.aud;
    if (!(aud === this.#options.audience || (Array.isArray(aud) && aud.includes(this.#options.audience))))
      throw new IapVerificationError('wrong audience');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 + skew < now)
      throw new IapVerificationError('expired');
    if (typeof claims.iat === 'number' && claims.iat * 1000 - skew > now)
      throw new IapVerificationError('issued in the future');
    return {
      source: 'gcp:iap',
      subject: typeof claims.sub === 'string' ? claims.sub : undefined,
      claims,
    };
  }

  /** The keys `#keyMap()` would answer without fetching, if any. */
  #keysAtHand(): Map<string, KeyObject> | undefined {
    if (this.#options.jwks) return this.#keys;
    return this.#keys && Date.now() - this.#fetchedAt < KEYS_TTL_MS ? this.#keys : undefined;
  }

  async #keyMap(refresh = false): Promise<Map<string, KeyObject>> {
    if (this.#options.jwks) return this.#keys!;
    const fresh = this.#keys && Date.now() - this.#fetchedAt < KEYS_TTL_MS;
    if (fresh && !refresh) return this.#keys!;
    // A refresh for an unknown kid happens at most once a minute: a forged kid cannot make us hammer the endpoint.
    if (refresh && this.#keys && Date.now() - this.#fetchedAt < 60_000) return this.#keys;
    this.#pending ??= this.#fetchKeys().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetchKeys(): Promise<Map<string, KeyObject>> {
    const url = this.#options.jwksUrl ?? IAP_JWKS_URL;
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new IapVerificationError(`cannot fetch IAP keys from ${url}: ${response.status}`);
    const body = (await response.json()) as { keys?: IapJwk[] };
    if (!Array.isArray(body.keys)) throw new IapVerificationError(`${url}: no "keys" array`);
    this.#keys = importKeys(body.keys);
    this.#fetchedAt = Date.now();
    return this.#keys;
  }
}

function importKeys(keys: readonly IapJwk[]): Map<string, KeyObject> {
  const out = new Map<string, KeyObject>();
  for (const jwk of keys) {
    if (typeof jwk.kid !== 'string') continue;
    out.set(jwk.kid, nodeCrypto().createPublicKey({ key: jwk, format: 'jwk' }));
  }
  return out;
}

function decodeSegment(segment: string, what: string): unknown {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value;
  } catch {
    throw new IapVerificationError(`malformed JWT ${what}`);
  }
}

/**
 * node:crypto on first use: the framework loads this module with every function, IAP or not, and
 * importing node:crypto cost about 4 ms of a cold start (issue 12).
 */
function nodeCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}
