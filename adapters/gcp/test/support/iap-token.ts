import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

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
