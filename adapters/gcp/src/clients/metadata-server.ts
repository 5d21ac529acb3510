/*
 * Why hand-written and not `google-auth-library` (issue 16: "keep the hand-written one, say why with
 * the number"): an access token and an ID token from the metadata server are two documented GETs.
 * Measured on this project's machine (Node 20.20, fresh processes, interleaved, median of 11, one
 * access token then one ID token from a double of the metadata server on 127.0.0.1; the machine was
 * loaded by other work): 250 ms here (import 5 ms; the same two requests by bare fetch took 197 ms,
 * mostly loading undici) against 351 ms with google-auth-library 10.9.1 (the last line supporting
 * Node 20; import alone 216 ms). On a quieter run: 106 ms against 200 ms (import 101 ms).
 * The protocol (Metadata-Flavor both ways, paths, answers) is tested against that double in
 * test/unit/pubsub-publisher.test.ts and test/unit/function-client.test.ts; the real metadata server
 * runs only on Google Cloud and has no emulator.
 */
/**
 * One GET to the metadata server with `Metadata-Flavor: Google` (it refuses requests without it),
 * bounded to 3 s. Anything that is not the metadata server (a captive proxy, a wrong host) lacks the
 * same header in its answer, so that is refused too. `what` and `hint` go into the error messages.
 */
export async function metadataGet(host: string, path: string, what: string, hint = ''): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`http://${host}/computeMetadata/v1/${path}`, {
      headers: { 'Metadata-Flavor': 'Google' },
      signal: AbortSignal.timeout(3_000),
    });
  } catch (error) {
    throw new Error(
      `cannot reach the metadata server at ${host} for ${what} (${(error as Error).message})${hint}`,
    );
  }
  if (!response.ok || response.headers.get('metadata-flavor') !== 'Google') {
    throw new Error(`metadata server at ${host} refused ${what}: HTTP ${response.status}`);
  }
  return response;
}
