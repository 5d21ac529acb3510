import { type Identity, InvalidEventError } from '@polycloud/core';
import { fromBase64, fromUtf8, parseJson } from '@polycloud/core/adapter';

const WHERE = 'headers.x-ms-client-principal';

/**
 * Identity from App Service authentication (Easy Auth). Only called when the config declares that
 * authentication is on: then the platform strips client-sent `x-ms-client-principal*` headers and sets
 * its own, so the header is verified. Without it the header is an ordinary client header and ignored.
 * Two shapes exist: App Service `{ auth_typ, claims: [{ typ, val }] }` and Static Web Apps
 * `{ identityProvider, userId, userDetails, userRoles }`.
 */
export function identityFromPrincipal(header: string, principalId: string | undefined): Identity {
  const bytes = fromBase64(header);
  if (!bytes) throw new InvalidEventError('not valid base64', WHERE);
  const value = parseJson(fromUtf8(bytes), WHERE);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEventError('must decode to a JSON object', WHERE);
  }
  const principal = value as Record<string, unknown>;
  if (typeof principal.identityProvider === 'string') {
    const claims: Record<string, unknown> = { ...principal };
    return {
      source: 'azure:staticwebapps',
      ...(typeof principal.userId === 'string' ? { subject: principal.userId } : {}),
      claims,
    };
  }
  const claims: Record<string, unknown> = {};
  if (principal.claims !== undefined) {
    if (!Array.isArray(principal.claims)) throw new InvalidEventError('claims must be an array', WHERE);
    principal.claims.forEach((c, i) => {
      const claim = c as { typ?: unknown; val?: unknown };
      if (typeof claim?.typ !== 'string' || typeof claim.val !== 'string')
        throw new InvalidEventError('each claim needs string typ and val', `${WHERE}.claims[${i}]`);
      if (claim.typ === '__proto__') return;
      // A claim type may repeat (roles, groups): keep every value.
      const prior = claims[claim.typ];
      claims[claim.typ] =
        prior === undefined ? claim.val : Array.isArray(prior) ? [...prior, claim.val] : [prior, claim.val];
    });
  }
  if (typeof principal.auth_typ === 'string') claims.auth_typ = principal.auth_typ;
  const subject =
    principalId ??
    firstString(claims['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier']) ??
    firstString(claims.sub);
  return { source: 'azure:appservice', ...(subject ? { subject } : {}), claims };
}

/** A claim's value: a string, or the list of a repeated claim type (only strings: each `val` was checked). */
function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value[0] as string;
  return undefined;
}
