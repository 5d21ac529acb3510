import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/** An ES256 key pair standing in for IAP's, with its JWKS, to sign assertions in tests. */
export function iapKeys(kid = 'test-kid') {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid,
    privateKey,
    jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] },
  };
}

export function signAssertion(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${enc({ alg: 'ES256', kid, typ: 'JWT' })}.${enc(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** An assertion with any JOSE header and signature bytes: `alg: none`, a missing kid, and so on. */
export function assertionWith(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  signature = '',
): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc(header)}.${enc(claims)}.${signature}`;
}

/** An HS256 assertion: an HMAC keyed with `secret`, as an attacker who knows the public key could make one. */
export function hmacAssertion(
  secret: Uint8Array | string,
  kid: string,
  claims: Record<string, unknown>,
): string {
  const unsigned = assertionWith({ alg: 'HS256', kid, typ: 'JWT' }, claims).slice(0, -1);
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
