/*
 * Hand-written, not `google-auth-library`: import + first access and ID token took 250 ms here against
 * 351 ms with google-auth-library 10.9.1 (import alone 216 ms); how it was measured, and how the
 * protocol is tested, is written in metadata-server.ts, which this file's access tokens go through.
 */
import { metadataGet } from './metadata-server.ts';

/** OAuth access tokens of the instance's service account from the metadata server, cached until near expiry. */
export class MetadataAccessTokens {
  readonly #host: string;
  #cached?: { token: string; refreshAt: number };
  #pending?: Promise<string>;

  constructor(host: string) {
    this.#host = host;
  }

  async token(): Promise<string> {
    if (this.#cached && Date.now() < this.#cached.refreshAt) return this.#cached.token;
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetch(): Promise<string> {
    const response = await metadataGet(
      this.#host,
      'instance/service-accounts/default/token',
      'an access token',
    );
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string')
      throw new Error(`metadata server at ${this.#host}: no access_token`);
    const ttl = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 300_000;
    // Refresh a minute early (or halfway for very short tokens).
    this.#cached = { token: body.access_token, refreshAt: Date.now() + Math.max(ttl - 60_000, ttl / 2) };
    return body.access_token;
  }
}
