import type { IncomingMessage } from 'node:http';

/**
 * Who may call `/_polycloud/*` (enqueue, invoke any function, list functions, read dead letters):
 *
 * - with a token (`internalToken` option or `POLYCLOUD_INTERNAL_TOKEN`): every such request must
 *   carry `Authorization: Bearer <token>`, else 401;
 * - without one, on a loopback address (127.0.0.1, ::1: `npm start`, tests): open, as the only
 *   clients are local;
 * - without one, on any other address (0.0.0.0 in a container, as the build binds): closed, 404,
 *   as if the endpoints did not exist. Queues and topics work regardless: the app's own
 *   `Queue.send`/`Topic.publish` never go through HTTP.
 */
export type InternalAccess = { mode: 'open' } | { mode: 'closed' } | { mode: 'token'; token: Buffer };

/** @coldStart */
export function internalAccess(host: string, token: string | undefined): InternalAccess {
  if (token) return { mode: 'token', token: Buffer.from(token) };
  return isLoopback(host) ? { mode: 'open' } : { mode: 'closed' };
}

/**
 * 0 when allowed, else the status to answer (401 or 404). node:crypto loads only when a token is
 * compared: a server without a token never pays for it at startup (issue 12's cold-start guard).
 */
export function internalDenied(access: InternalAccess, req: IncomingMessage): 0 | 401 | 404 {
  if (access.mode === 'open') return 0;
  if (access.mode === 'closed') return 404;
  // Stryker disable next-line StringLiteral: any fallback without a "bearer " prefix reads as no token
  const header = req.headers.authorization ?? '';
  // The auth scheme is a case-insensitive token (RFC 9110 §11.1): `bearer …` is the same credential.
  // Stryker disable next-line StringLiteral: whatever stands in for a missing credential fails the comparison (no token is that text)
  const given = Buffer.from(/^bearer /i.test(header) ? header.slice(7) : '');
  return given.length === access.token.length &&
    process.getBuiltinModule('node:crypto').timingSafeEqual(given, access.token)
    ? 0
    : 401;
}

/**
 * localhost, ::1 or an IPv4 address in 127.0.0.0/8 (four dot-separated runs of digits, the first
 * 127). A loop, not a regular expression: V8 compiles a regular expression on its first use, and
 * this runs at every server's start (issue 12).
 * @coldStart
 */
function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  if (!host.startsWith('127.')) return false;
  let dots = 1;
  let digits = 0;
  for (let i = 4; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0) return false;
      dots++;
      digits = 0;
    } else if (c >= 48 && c <= 57) digits++;
    else return false;
  }
  return dots === 3 && digits > 0;
}
