/**
 * Deliberately broken toy drivers, each wrapping the reference driver with one bug a real adapter
 * could have. They exist to prove the kit fails, and says where.
 */
import type { AdapterDriver, DriverSession } from '../src/index.ts';
import { startReference } from '../src/reference-driver.ts';

function broken(name: string, patch: (session: DriverSession) => Partial<DriverSession>): AdapterDriver {
  return {
    name,
    async start(app) {
      const session = startReference(app);
      return { ...session, ...patch(session) };
    },
  };
}

/** Keeps only the first Set-Cookie (a front door without multi-value headers). */
export const dropsSecondCookie = broken('drops-second-cookie', (s) => ({
  async http(fn, req) {
    const res = await s.http(fn, req);
    return { ...res, cookies: res.cookies.slice(0, 1) };
  },
}));

/** Acknowledges every message, failed or not (the bug that loses data). */
export const acknowledgesFailures = broken('acknowledges-failures', (s) => ({
  async messages(fn, batch, options) {
    await s.messages(fn, batch, options);
    return { failed: [] };
  },
  async malformed(kind, fn) {
    const outcome = await s.malformed(kind, fn);
    return kind === 'queue' || kind === 'topic' ? { ok: true } : outcome;
  },
}));

/** URL-decodes the storage key the provider already decoded (S3 style `+` → space, `%xx` → char). */
export const decodesKeysTwice = broken('decodes-keys-twice', (s) => ({
  storage(fn, change) {
    // Decodes every valid escape run, leaving a lone `%` alone, as lenient decoders do.
    const key = change.key.replaceAll('+', ' ').replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
    return s.storage(fn, { ...change, key });
  },
}));

/** Sorts the query string (what a naive record-based front door does) and keeps the last header value. */
export const flattensQueryAndHeaders = broken('flattens-query-and-headers', (s) => ({
  http(fn, req) {
    const query = req.query ? [...new Map(req.query).entries()] : undefined;
    const headers = req.headers ? [...new Map(req.headers).entries()] : undefined;
    return s.http(fn, { ...req, query, headers });
  },
}));

/** Answers errors with the stack trace in the body. */
export const leaksStackTraces = broken('leaks-stack-traces', (s) => ({
  async http(fn, req) {
    const res = await s.http(fn, req);
    if (res.status !== 500) return res;
    const body = new TextEncoder().encode('Error: boom\n    at handler (/srv/app/src/handler.ts:10:5)');
    return { ...res, body };
  },
}));

/** Reads bodies as UTF-8 text, the classic binary corruption. */
export const textBodies = broken('text-bodies', (s) => ({
  async http(fn, req) {
    const asText = (b: Uint8Array) => new TextEncoder().encode(new TextDecoder().decode(b));
    const res = await s.http(fn, req.body ? { ...req, body: asText(req.body) } : req);
    return { ...res, body: asText(res.body) };
  },
}));

/** Lets the native error escape instead of answering (an uncaught exception in the adapter). */
export const throwsOnMalformed = broken('throws-on-malformed', () => ({
  malformed() {
    throw new TypeError("Cannot read properties of undefined (reading 'body')");
  },
}));

/** Never starts. */
export const cannotStart: AdapterDriver = {
  name: 'cannot-start',
  start: async () => {
    throw new Error('port 3000 already in use');
  },
};
