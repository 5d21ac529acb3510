/*
 * Hand-written, not `google-auth-library`: import + first access and ID token took 250 ms here against
 * 351 ms with google-auth-library 10.9.1 (import alone 216 ms); how it was measured, and how the
 * protocol is tested, is written in metadata-server.ts, which this file's ID tokens go through.
 */
import type { IdTokenMode } from '../options.ts';
import { metadataGet } from './metadata-server.ts';

/** Where FunctionClient calls get their `Authorization: Bearer` ID token. */
export interface IdTokenSource {
  /** An ID token whose `aud` is `audience`, or undefined to call without one. */
  token(audience: string): Promise<string | undefined>;
}

/** Refresh this long before `exp`, so a token never expires in flight. */
const REFRESH_MARGIN_MS = 300_000;

/**
 * ID tokens from the metadata server of the instance's service account:
 * `GET /computeMetadata/v1/instance/service-accounts/default/identity?audience=...` with
 * `Metadata-Flavor: Google` (the server refuses requests without it). Cached per audience until
 * shortly before expiry; concurrent first calls share one request.
 */
export class MetadataIdTokens implements IdTokenSource {
  readonly #host: string;
  readonly #cache = new Map<string, { token: string; refreshAt: number }>();
  readonly #pending = new Map<string, Promise<string>>();

  constructor(host: string) {
    this.#host = host;
  }

  async token(audience: string): Promise<string> {
    const cached = this.#cache.get(audience);
    if (cached && Date.now() < cached.refreshAt) return cached.token;
    let pending = this.#pending.get(audience);
    if (!pending) {
      pending = this.#fetch(audience).finally(() => this.#pending.delete(audience));
      this.#pending.set(audience, pending);
    }
    return pending;
  }

  async #fetch(audience: string): Promise<string> {
    const response = await metadataGet(
      this.#host,
      `instance/service-accounts/default/identity?audience=${encodeURIComponent(audience)}&format=full`,
      `an ID token for ${audience}`,
      '; outside Google Cloud set providers.gcp.idToken to "none" or { "static": "<token>" }',
    );
    const token = (await response.text()).trim();
    const exp = expiryOf(token);
    this.#cache.set(audience, {
      token,
      refreshAt: exp === undefined ? Date.now() + 600_000 : exp - REFRESH_MARGIN_MS,
    });
    return token;
  }
}

function expiryOf(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function idTokenSource(
  mode: IdTokenMode,
  metadataHost: string,
  env: NodeJS.ProcessEnv = process.env,
): IdTokenSource {
  if (typeof mode === 'object') return { token: async () => mode.static };
  if (mode === 'none') return { token: async () => undefined };
  // Cloud Run (and so gen2 functions) sets K_SERVICE; elsewhere only an explicit metadata host means one exists.
  if (mode === 'auto' && !env.K_SERVICE && !env.GCE_METADATA_HOST) return { token: async () => undefined };
  return new MetadataIdTokens(metadataHost);
}
