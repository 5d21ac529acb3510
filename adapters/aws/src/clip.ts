/**
 * Event content quoted in an error message or log line is clipped: a message must name what failed,
 * not carry a 200 KB header name or object key into every log line and 400 body.
 */
export function clip(text: string, max = 64): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}
