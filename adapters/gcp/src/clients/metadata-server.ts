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
