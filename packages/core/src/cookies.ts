import { decodeLenient } from './percent-decode.ts';

/**
 * Parses Cookie header values (several headers allowed, as HTTP/2 and API Gateway v2 send them).
 * The first occurrence of a name wins: browsers send the most specific path first.
 */
export function parseCookies(headerValues: readonly string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const header of headerValues) {
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      const name = part.slice(0, eq).trim();
      if (!name || name in out) continue;
      let value = part.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      out[name] = decodeLenient(value);
    }
  }
  return out;
}
