/**
 * `x-ms-client-principal` as App Service authentication (Easy Auth) and Static Web Apps send it, read
 * field by field from Microsoft's documented shapes:
 * - App Service: base64 of `{ auth_typ, claims: [{ typ, val }], name_typ, role_typ }`, with the caller's
 *   id also in `x-ms-client-principal-id`
 *   (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities);
 * - Static Web Apps: base64 of `{ identityProvider, userId, userDetails, userRoles }`
 *   (https://learn.microsoft.com/azure/static-web-apps/user-information).
 * A principal that cannot be read is an InvalidEventError naming the header (a 400), never a crash.
 */
import { InvalidEventError } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { identityFromPrincipal } from '../../src/index.ts';

const NAME_ID = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const appService = (claims: unknown, extra: Record<string, unknown> = {}) =>
  encode({ auth_typ: 'aad', claims, name_typ: 'name', role_typ: 'roles', ...extra });

function refusal(header: string): InvalidEventError {
  try {
    identityFromPrincipal(header, undefined);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEventError);
    return error as InvalidEventError;
  }
  throw new Error('the principal was accepted');
}

describe('App Service principals', () => {
  it('claims become an object; a claim type given once is a string, repeated ones keep every value in order', () => {
    const id = identityFromPrincipal(
      appService([
        { typ: NAME_ID, val: 'user-1' },
        { typ: 'roles', val: 'admin' },
        { typ: 'roles', val: 'reader' },
        { typ: 'roles', val: 'writer' },
        { typ: 'name', val: 'Ada' },
      ]),
      undefined,
    );
    expect(id).toStrictEqual({
      source: 'azure:appservice',
      subject: 'user-1',
      claims: { [NAME_ID]: 'user-1', roles: ['admin', 'reader', 'writer'], name: 'Ada', auth_typ: 'aad' },
    });
  });
  it('the subject is x-ms-client-principal-id first, then the name identifier claim, then `sub`', () => {
    const claims = [
      { typ: 'sub', val: 'sub-1' },
      { typ: NAME_ID, val: 'nid-1' },
    ];
    expect(identityFromPrincipal(appService(claims), 'pid-1').subject).toBe('pid-1');
    expect(identityFromPrincipal(appService(claims), undefined).subject).toBe('nid-1');
    expect(identityFromPrincipal(appService([{ typ: 'sub', val: 'sub-1' }]), undefined).subject).toBe(
      'sub-1',
    );
  });
  it('a repeated name identifier gives its first value as the subject, never the array', () => {
    const id = identityFromPrincipal(
      appService([
        { typ: NAME_ID, val: 'first' },
        { typ: NAME_ID, val: 'second' },
      ]),
      undefined,
    );
    expect(id.subject).toBe('first');
    const subs = identityFromPrincipal(
      appService([
        { typ: 'sub', val: 's1' },
        { typ: 'sub', val: 's2' },
      ]),
      undefined,
    );
    expect(subs.subject).toBe('s1');
  });
  it('no subject key at all when nothing names the caller (an empty principal id is no subject)', () => {
    const id = identityFromPrincipal(appService([{ typ: 'roles', val: 'admin' }]), undefined);
    expect('subject' in id).toBe(false);
    expect('subject' in identityFromPrincipal(appService([]), '')).toBe(false);
  });
  it('a principal without claims is an identity with only auth_typ; auth_typ that is no string is left out', () => {
    expect(identityFromPrincipal(encode({ auth_typ: 'aad' }), 'pid')).toStrictEqual({
      source: 'azure:appservice',
      subject: 'pid',
      claims: { auth_typ: 'aad' },
    });
    expect(identityFromPrincipal(encode({ auth_typ: 7, claims: [] }), undefined).claims).toStrictEqual({});
  });
  it('a claim typed `__proto__` is dropped: it can neither change the claims object nor appear in it', () => {
    const id = identityFromPrincipal(
      appService([
        { typ: '__proto__', val: 'x' },
        { typ: 'roles', val: 'admin' },
      ]),
      undefined,
    );
    expect(Object.getPrototypeOf(id.claims)).toBe(Object.prototype);
    expect(Object.keys(id.claims)).toEqual(['roles', 'auth_typ']);
  });
});

describe('Static Web Apps principals', () => {
  it('identityProvider marks the shape: every field is a claim, userId the subject', () => {
    const principal = {
      identityProvider: 'github',
      userId: 'd75b260a64504067bfc5b2905e3b8182',
      userDetails: 'octocat',
      userRoles: ['anonymous', 'authenticated'],
    };
    expect(identityFromPrincipal(encode(principal), 'ignored')).toStrictEqual({
      source: 'azure:staticwebapps',
      subject: 'd75b260a64504067bfc5b2905e3b8182',
      claims: principal,
    });
  });
  it('a userId that is no string gives no subject', () => {
    const id = identityFromPrincipal(encode({ identityProvider: 'aad', userId: 5 }), undefined);
    expect('subject' in id).toBe(false);
    expect(id.claims).toEqual({ identityProvider: 'aad', userId: 5 });
  });
});

describe('malformed principals are refused naming the header', () => {
  it('not base64', () => {
    const e = refusal('%%% not base64 %%%');
    expect(e.message).toContain('not valid base64');
    expect(e.message).toContain('headers.x-ms-client-principal');
  });
  it('JSON that is no object: null, a number, a string, an array', () => {
    for (const value of [null, 5, 'user', [1, 2]]) {
      expect(refusal(encode(value)).message).toContain('must decode to a JSON object');
    }
  });
  it('claims that are no array', () => {
    expect(refusal(encode({ auth_typ: 'aad', claims: { roles: 'admin' } })).message).toContain(
      'claims must be an array',
    );
  });
  it('a claim without string typ and val, named by its index', () => {
    for (const bad of [{ typ: 'roles' }, { val: 'admin' }, { typ: 1, val: 'a' }, null, 'roles']) {
      const e = refusal(appService([{ typ: 'ok', val: 'ok' }, bad]));
      expect(e.message).toContain('each claim needs string typ and val');
      expect(e.message).toContain('headers.x-ms-client-principal.claims[1]');
    }
  });
});
