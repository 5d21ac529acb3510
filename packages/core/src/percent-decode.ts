/** decodeURIComponent that keeps a malformed value as it is (cookie values, CloudEvent header values). */
export function decodeLenient(value: string): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: a fast path; decodeURIComponent returns a value without '%' unchanged
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
