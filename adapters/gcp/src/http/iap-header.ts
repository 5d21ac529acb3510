/**
 * The header IAP signs its assertion into. Its own module: the http entry reads it on every request,
 * while the verifier (iap.ts) is imported only with the first assertion.
 */
export const IAP_HEADER = 'x-goog-iap-jwt-assertion';
