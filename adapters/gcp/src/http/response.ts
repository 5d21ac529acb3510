import type { Response } from '@google-cloud/functions-framework';
import type { HttpResponse } from '@polycloud/core';

/**
 * Neutral response → Express response through Node's own API: `res.send` would add an ETag-less
 * charset to content types and re-encode strings; the bytes must go out as the handler made them.
 */
export function writeResponse(res: Response, response: HttpResponse): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = response.status;
  const headers = response.headers;
  for (const name in headers) res.setHeader(name, headers[name]!);
  // An array keeps each Set-Cookie on its own header line.
  if (response.cookies.length > 0) res.setHeader('set-cookie', response.cookies);
  const body = response.body;
  res.end(body.length === 0 ? undefined : body);
}

/** A JSON answer for the non-http entry points (acknowledgement, rejection, failure). */
export function writeJson(
  res: Response,
  status: number,
  value: unknown,
  extra?: Record<string, string>,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = status;
  if (extra) for (const name in extra) res.setHeader(name, extra[name]!);
  if (value === undefined) {
    res.end();
    return;
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(value));
}
