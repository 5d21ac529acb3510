/**
 * AWS as deployed by the generated SAM template: an HTTP API (payload 2.0) routing by each
 * function's `HttpApi` events, in front of one aws-lambda-ric process per function fed by a
 * Runtime API server. The event is the documented API Gateway v2 shape; the answer is read the way
 * API Gateway reads a payload 2.0 response.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningProcess, start } from '../../../adapters/aws/test/support/child-process.ts';
import { RuntimeApiServer } from '../../../adapters/aws/test/support/runtime-api.ts';
import { parseYaml } from '../../../adapters/aws/test/support/sam-schema.ts';
import { repoRoot } from './build.ts';
import {
  closeServer,
  type Front,
  type FrontRequest,
  type FrontResponse,
  isTextBody,
  listen,
  urlOf,
} from './front.ts';

const RIC = join(repoRoot, 'node_modules/aws-lambda-ric/index.mjs');

interface Lambda {
  name: string;
  api: RuntimeApiServer;
  process: RunningProcess;
}

interface HttpApiRoute {
  lambda: string;
  method: string;
  regex: RegExp;
  statics: number;
  greedy: boolean;
}

interface SamResource {
  Type: string;
  Properties: {
    FunctionName: string;
    CodeUri: string;
    Handler: string;
    Environment?: { Variables?: Record<string, string> };
    Events?: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
}

export interface AwsDeployment extends Front {
  /** Invokes one function with a raw event (an SQS batch, say), as its event source mapping would. */
  invoke(functionName: string, event: unknown): Promise<{ kind: 'response' | 'error'; body: string }>;
  readonly template: { Resources: Record<string, SamResource>; Globals?: Record<string, any> };
  /** Everything one function's aws-lambda-ric process has written (its JSON log lines among it). */
  output(functionName: string): string;
}

/** The SAM template a build wrote, parsed. */
export function readTemplate(distDir: string): AwsDeployment['template'] {
  return parseYaml(readFileSync(join(distDir, 'template.yaml'), 'utf8')) as AwsDeployment['template'];
}

/**
 * `refs` are what CloudFormation resolved for the stack: each resource's `Ref` value by logical id
 * (a queue's URL, a topic's ARN, a bucket's name), used to resolve the `Fn::Sub` environment values
 * the template sets. A value that needs a resource not in `refs` is left out of the environment.
 */
export async function startAws(
  distDir: string,
  env: Record<string, string>,
  refs: Record<string, string> = {},
): Promise<AwsDeployment> {
  const template = readTemplate(distDir);
  const globals = resolveEnvironment(template.Globals?.Function?.Environment?.Variables ?? {}, refs);
  const lambdas = new Map<string, Lambda>();
  const routes: HttpApiRoute[] = [];
  const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Serverless::Function');
  await Promise.all(
    functions.map(async (resource) => {
      const p = resource.Properties;
      const api = await RuntimeApiServer.start(p.FunctionName);
      const taskRoot = join(distDir, p.CodeUri);
      const proc = start(process.execPath, [RIC, p.Handler], {
        name: `aws-lambda-ric ${p.FunctionName}`,
        cwd: taskRoot,
        env: {
          PATH: process.env.PATH,
          TZ: 'UTC',
          AWS_LAMBDA_RUNTIME_API: api.address,
          _HANDLER: p.Handler,
          LAMBDA_TASK_ROOT: taskRoot,
          AWS_LAMBDA_FUNCTION_NAME: p.FunctionName,
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
          AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${p.FunctionName}`,
          AWS_LAMBDA_LOG_STREAM_NAME: '2026/12/07/[$LATEST]0123456789abcdef',
          AWS_REGION: 'us-east-1',
          ...globals,
          ...resolveEnvironment(p.Environment?.Variables ?? {}, refs),
          ...env,
        },
      });
      lambdas.set(p.FunctionName, { name: p.FunctionName, api, process: proc });
      for (const event of Object.values(p.Events ?? {})) {
        if (event.Type !== 'HttpApi') continue;
        routes.push(
          httpApiRoute(p.FunctionName, String(event.Properties.Method), String(event.Properties.Path)),
        );
      }
    }),
  );
  // HTTP API route selection: the most specific path wins, a greedy {proxy+} last.
  routes.sort((a, b) => Number(a.greedy) - Number(b.greedy) || b.statics - a.statics);

  const invoke = async (functionName: string, event: unknown) => {
    const lambda = lambdas.get(functionName);
    if (!lambda) throw new Error(`no Lambda ${functionName} in the template`);
    const outcome = await Promise.race([
      lambda.api.invoke(event, { timeoutMs: 20_000 }),
      lambda.process.exited,
    ]);
    return { kind: outcome.kind, body: outcome.body };
  };

  const server = await listen(async (req) => {
    const route = routes.find(
      (r) => (r.method === req.method || r.method === 'ANY') && r.regex.test(req.rawPath),
    );
    // What HTTP API answers itself when no route matches.
    if (!route) return json(404, { message: 'Not Found' });
    const outcome = await invoke(route.lambda, apiGatewayV2(req, route));
    if (outcome.kind === 'error') return json(500, { message: 'Internal Server Error' });
    return fromPayloadV2(JSON.parse(outcome.body));
  });

  return {
    url: urlOf(server),
    template,
    invoke,
    output(functionName) {
      const lambda = lambdas.get(functionName);
      if (!lambda) throw new Error(`no Lambda ${functionName} in the template`);
      return lambda.process.output();
    },
    async close() {
      await closeServer(server);
      for (const l of lambdas.values()) {
        await l.process.stop();
        await l.api.close();
      }
    },
  };
}

/** Environment values as CloudFormation resolves them: strings as they are, `Fn::Sub` over `refs`. */
function resolveEnvironment(
  variables: Record<string, unknown>,
  refs: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'object' && value !== null && 'Fn::Sub' in value) {
      const pattern = String((value as { 'Fn::Sub': unknown })['Fn::Sub']);
      const ids = [...pattern.matchAll(/\$\{([\w:]+)\}/g)].map((m) => m[1]!);
      if (ids.every((id) => id in refs)) out[name] = pattern.replace(/\$\{([\w:]+)\}/g, (_, id) => refs[id]!);
    } else throw new Error(`template environment ${name}: unsupported value ${JSON.stringify(value)}`);
  }
  return out;
}

function httpApiRoute(lambda: string, method: string, path: string): HttpApiRoute {
  const segments = path.split('/').slice(1);
  const greedy = segments.at(-1)?.endsWith('+}') ?? false;
  const source = segments
    .map((s) =>
      s.endsWith('+}')
        ? '/.+'
        : s.startsWith('{')
          ? '/[^/]+'
          : `/${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    )
    .join('');
  return {
    lambda,
    method: method.toUpperCase(),
    regex: new RegExp(`^${source || '/'}$`),
    statics: segments.filter((s) => !s.startsWith('{')).length,
    greedy,
  };
}

/** The documented HTTP API payload 2.0 event (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html). */
function apiGatewayV2(req: FrontRequest, route: HttpApiRoute): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of req.headers) {
    const key = name.toLowerCase();
    if (key === 'cookie')
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
    // Payload 2.0 joins repeated headers with commas.
    else headers[key] = key in headers ? `${headers[key]},${value}` : value;
  }
  // Text types travel as text, the rest base64 (isBase64Encoded). Text that is not UTF-8 goes as
  // base64 too, as the contract kit's API Gateway events do: never re-encoded lossily here.
  const text = isTextBody(req.headers) && isUtf8(req.body);
  const routeKey = `${route.method} ${route.regex.source}`;
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey,
    rawPath: req.rawPath,
    rawQueryString: req.rawQuery,
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'diff0api',
      domainName: 'diff0api.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'diff0api',
      http: {
        method: req.method,
        path: safeDecodeURI(req.rawPath),
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: '07/Dec/2026:03:00:00 +0000',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: req.body.length > 0 && !text,
  };
  if (cookies.length) event.cookies = cookies;
  if (req.body.length > 0)
    event.body = text ? Buffer.from(req.body).toString('utf8') : Buffer.from(req.body).toString('base64');
  return event;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function safeDecodeURI(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** How HTTP API reads a payload 2.0 answer: a result without statusCode is a 200 JSON body. */
function fromPayloadV2(result: any): FrontResponse {
  if (typeof result !== 'object' || result === null || !('statusCode' in result))
    return {
      status: 200,
      headers: [['content-type', 'application/json']],
      body: Buffer.from(JSON.stringify(result)),
    };
  const headers: [string, string][] = Object.entries((result.headers ?? {}) as Record<string, string>).map(
    ([k, v]) => [k.toLowerCase(), String(v)],
  );
  for (const c of (result.cookies ?? []) as string[]) headers.push(['set-cookie', c]);
  const raw = typeof result.body === 'string' ? result.body : '';
  const body = result.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  return { status: Number(result.statusCode), headers, body: new Uint8Array(body) };
}

function json(status: number, value: unknown): FrontResponse {
  return {
    status,
    headers: [['content-type', 'application/json']],
    body: Buffer.from(JSON.stringify(value)),
  };
}
