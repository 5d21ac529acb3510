import { driverThrew, ScenarioAssert } from '../contract-failure.ts';
import type { NeutralHttpRequest, ObservedHttpResponse } from '../driver.ts';
import type { ContractScenario, ScenarioContext } from '../scenario.ts';

export interface EchoBody {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string[]>;
  headers: Record<string, string>;
  cookies: Record<string, string>;
  bodyBase64: string;
  identity: unknown;
}

/** Sends through the driver; a throw becomes this scenario's failure, not an anonymous error. */
export async function send(
  t: ScenarioAssert,
  ctx: ScenarioContext,
  fn: string,
  request: NeutralHttpRequest,
): Promise<ObservedHttpResponse> {
  try {
    return await ctx.session.http(fn, request);
  } catch (error) {
    throw driverThrew(t.scenario, `driver.http(${fn}, ${request.method} ${request.path})`, error);
  }
}

export function text(body: Uint8Array): string {
  return new TextDecoder().decode(body);
}

export function json<T>(t: ScenarioAssert, res: ObservedHttpResponse, what: string): T {
  try {
    return JSON.parse(text(res.body)) as T;
  } catch {
    return t.fail(`${what}: response body is JSON`, 'a JSON body', text(res.body).slice(0, 300));
  }
}

/** Calls echoHttp and returns what it says it received, after checking it answered `status`. */
export async function echo(
  t: ScenarioAssert,
  ctx: ScenarioContext,
  request: NeutralHttpRequest,
  status = 200,
): Promise<EchoBody> {
  const res = await send(t, ctx, 'echoHttp', request);
  t.equal(res.status, status, `status of ${request.method} ${request.path}`);
  return json<EchoBody>(t, res, 'echo');
}

export function scenario(
  id: string,
  kind: ContractScenario['kind'],
  title: string,
  body: (t: ScenarioAssert, ctx: ScenarioContext) => Promise<void>,
): ContractScenario {
  return { id, kind, title, run: (ctx) => body(new ScenarioAssert(id), ctx) };
}
