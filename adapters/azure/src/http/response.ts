import type { Cookie, HttpResponseInit } from '@azure/functions';
import type { HttpResponse, Logger } from '@polycloud/core';

/**
 * The neutral response → Azure's HttpResponseInit. Set-Cookie values must travel as `cookies`
 * (Cookie objects): the library copies `headers` into a plain record, so of several Set-Cookie headers
 * only the last would survive. Attributes the Cookie type cannot carry (Partitioned, Priority, ...) are
 * dropped with a warning. The body goes as bytes, so binary bodies are byte-exact.
 * @coldStart
 */
export function toAzureResponse(res: HttpResponse, log?: Logger): HttpResponseInit {
  const init: HttpResponseInit = { status: res.status, headers: res.headers };
  if (res.cookies.length > 0) {
    const cookies: Cookie[] = [];
    for (const header of res.cookies) {
      const parsed = parseSetCookie(header);
      if (!parsed) {
        log?.warn('dropped a Set-Cookie without name=value', { setCookie: header });
        continue;
      }
      if (parsed.dropped.length > 0)
        log?.warn('Set-Cookie attributes Azure cannot carry were dropped', {
          cookie: parsed.cookie.name,
          dropped: parsed.dropped,
        });
      cookies.push(parsed.cookie);
    }
    init.cookies = cookies;
  }
  if (res.body.length > 0) init.body = res.body;
  return init;
}

export function parseSetCookie(header: string): { cookie: Cookie; dropped: string[] } | undefined {
  const parts = header.split(';');
  const first = parts[0]!;
  const eq = first.indexOf('=');
  if (eq <= 0) return undefined;
  const cookie: Cookie = { name: first.slice(0, eq).trim(), value: first.slice(eq + 1).trim() };
  const dropped: string[] = [];
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!.trim();
    if (!part) continue;
    const at = part.indexOf('=');
    const key = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
    const value = at === -1 ? '' : part.slice(at + 1).trim();
    switch (key) {
      case 'domain':
        cookie.domain = value;
        break;
      case 'path':
        cookie.path = value;
        break;
      case 'expires': {
        const time = Date.parse(value);
        if (Number.isNaN(time)) dropped.push(part);
        else cookie.expires = new Date(time);
        break;
      }
      case 'max-age': {
        const seconds = Number(value);
        if (value === '' || !Number.isInteger(seconds)) dropped.push(part);
        else cookie.maxAge = seconds;
        break;
      }
      case 'secure':
        cookie.secure = true;
        break;
      case 'httponly':
        cookie.httpOnly = true;
        break;
      case 'samesite': {
        const v = value.toLowerCase();
        if (v === 'strict') cookie.sameSite = 'Strict';
        else if (v === 'lax') cookie.sameSite = 'Lax';
        else if (v === 'none') cookie.sameSite = 'None';
        else dropped.push(part);
        break;
      }
      default:
        dropped.push(part);
    }
  }
  return { cookie, dropped };
}
