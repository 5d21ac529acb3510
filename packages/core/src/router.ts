import { AppDefinitionError } from './errors.ts';
import { decodeSegment } from './http-request.ts';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export interface RouteSpec {
  /** Upper-case methods; empty means any method. */
  methods: readonly string[];
  /** The path pattern: `/todos/:id`, `/files/*`. */
  path: string;
}

/**
 * Parses `'GET,POST /todos/:id'`, `'ANY /echo/*'` or `'/health'`.
 * @coldStart
 */
export function parseRoute(route: string): RouteSpec {
  const trimmed = route.trim();
  const space = trimmed.indexOf(' ');
  const methodPart = space === -1 ? '' : trimmed.slice(0, space);
  const path = space === -1 ? trimmed : trimmed.slice(space + 1).trim();
  if (!path.startsWith('/')) throw new AppDefinitionError(`route "${route}": the path must start with "/"`);
  const methods: string[] = [];
  if (methodPart !== '' && methodPart.toUpperCase() !== 'ANY' && methodPart !== '*') {
    // One method needs no split (and no regular expression compiled at cold start: see escapeRegExp).
    const parts =
      methodPart.includes(',') || methodPart.includes('|') ? methodPart.split(/[,|]/) : [methodPart];
    for (const part of parts) {
      const m = part.trim().toUpperCase();
      if (!(HTTP_METHODS as readonly string[]).includes(m)) {
        throw new AppDefinitionError(
          `route "${route}": unknown method "${m}" (valid: ANY, ${HTTP_METHODS.join(', ')})`,
        );
      }
      methods.push(m);
    }
  }
  // A `*` segment with another segment after it.
  if (path.includes('/*/')) throw new AppDefinitionError(`route "${route}": "*" must be last`);
  return { methods, path };
}

type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string } | { kind: 'rest' };

export interface CompiledRoute<T> {
  target: T;
  methods: readonly string[];
  segments: Segment[];
  hasRest: boolean;
  staticCount: number;
  /** Matches a path without any `%` in one step; params are then already decoded. */
  regex: RegExp;
  names: string[];
}

export type RouteMatch<T> =
  | { status: 200; target: T; params: Record<string, string> }
  | { status: 404 }
  | { status: 405; allow: string[] };

/**
 * Matches on raw (still percent-encoded) segments and decodes each parameter exactly once, so an
 * encoded `/` (`%2F`) stays inside its segment. More specific routes win: static segments beat
 * params, params beat `*`.
 */
export class Router<T> {
  readonly #routes: CompiledRoute<T>[] = [];

  add(spec: RouteSpec, target: T): CompiledRoute<T> {
    const route = compileRoute(spec, target);
    this.#routes.push(route);
    if (this.#routes.length > 1) this.#routes.sort(bySpecificity);
    return route;
  }

  /** The params when this one route matches method and path, else undefined. */
  matchRoute(route: CompiledRoute<T>, method: string, rawPath: string): Record<string, string> | undefined {
    if (!allows(route.methods, method)) return undefined;
    return rawPath.includes('%') ? matchSegments(route, rawParts(rawPath)) : matchPlain(route, rawPath);
  }

  /** Whether this one route's path matches, whatever the method. */
  matchesPath(route: CompiledRoute<T>, rawPath: string): boolean {
    const params = rawPath.includes('%')
      ? matchSegments(route, rawParts(rawPath))
      : matchPlain(route, rawPath);
    return params !== undefined;
  }

  match(method: string, rawPath: string): RouteMatch<T> {
    // Without any `%` nothing needs decoding: one regex per route. Otherwise segment by segment.
    const parts = rawPath.includes('%') ? rawParts(rawPath) : undefined;
    let allow: Set<string> | undefined;
    let pathMatched = false;
    for (const route of this.#routes) {
      const params = parts ? matchSegments(route, parts) : matchPlain(route, rawPath);
      if (!params) continue;
      pathMatched = true;
      if (allows(route.methods, method)) return { status: 200, target: route.target, params };
      allow ??= new Set();
      for (const m of route.methods) allow.add(m);
    }
    if (!pathMatched || !allow) return { status: 404 };
    if (allow.has('GET')) allow.add('HEAD');
    return { status: 405, allow: [...allow].sort() };
  }

  get routes(): readonly { methods: readonly string[]; target: T }[] {
    return this.#routes;
  }
}

/**
 * A route's segments and its regular expression, built once per cold start. Plain loops, no
 * callbacks: each callback is one more function for V8 to compile on the cold start (see
 * packages/cli/src/eager-compile.ts).
 * @coldStart
 */
function compileRoute<T>(spec: RouteSpec, target: T): CompiledRoute<T> {
  const parts = spec.path.split('/');
  const segments: Segment[] = [];
  for (let i = 1; i < parts.length; i++) {
    const s = parts[i]!;
    segments.push(
      s === '*'
        ? { kind: 'rest' }
        : s.startsWith(':')
          ? { kind: 'param', name: s.slice(1) }
          : { kind: 'static', value: s },
    );
  }
  const hasRest = segments.length > 0 && segments[segments.length - 1]!.kind === 'rest';
  if (hasRest) segments.pop();
  const names: string[] = [];
  let staticCount = 0;
  let source = '^';
  for (const seg of segments) {
    if (seg.kind === 'param') {
      names.push(seg.name);
      source += '/([^/]+)';
    } else if (seg.kind === 'static') {
      staticCount++;
      source += `/${escapeRegExp(seg.value)}`;
    } else source += '/';
  }
  // Lazy rest so a trailing slash is not part of it, as the segment matcher treats it.
  source += hasRest ? '(?:/(.*?))?/?$' : '/?$';
  return { target, methods: spec.methods, segments, hasRest, staticCount, regex: new RegExp(source), names };
}

/** More specific routes first: no `*` before `*`, more segments, more static ones, explicit methods. */
function bySpecificity<T>(a: CompiledRoute<T>, b: CompiledRoute<T>): number {
  return (
    Number(a.hasRest) - Number(b.hasRest) ||
    b.segments.length - a.segments.length ||
    b.staticCount - a.staticCount ||
    // Explicit methods beat ANY on the same path, whatever the order the routes were added in.
    Number(a.methods.length === 0) - Number(b.methods.length === 0)
  );
}

/** @coldStart */
function allows(methods: readonly string[], method: string): boolean {
  return methods.length === 0 || methods.includes(method) || (method === 'HEAD' && methods.includes('GET'));
}

function rawParts(rawPath: string): string[] {
  const parts = rawPath.split('/');
  parts.shift();
  // A trailing slash is the same resource (`/todos/` = `/todos`), as API Gateway treats it.
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** @coldStart */
function matchPlain<T>(route: CompiledRoute<T>, rawPath: string): Record<string, string> | undefined {
  // A route without params or `*` captures nothing: test() spares the match array.
  if (route.names.length === 0 && !route.hasRest) return route.regex.test(rawPath) ? {} : undefined;
  const m = route.regex.exec(rawPath);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const { names } = route;
  for (let i = 0; i < names.length; i++) params[names[i]!] = m[i + 1]!;
  if (route.hasRest) params['*'] = m[names.length + 1] ?? '';
  return params;
}

/**
 * A static segment as regular-expression source. Most segments hold no special character: they are
 * checked by hand, because V8 compiles a regular expression on its first use (15–35 µs each on a
 * cold start here, measured in fresh processes).
 * @coldStart
 */
function escapeRegExp(text: string): string {
  for (let i = 0; i < text.length; i++)
    if (REGEXP_SPECIAL.includes(text[i]!)) return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text;
}

const REGEXP_SPECIAL = '.*+?^$(){}|[]\\';

function matchSegments<T>(route: CompiledRoute<T>, parts: string[]): Record<string, string> | undefined {
  const { segments } = route;
  if (route.hasRest ? parts.length < segments.length : parts.length !== segments.length) return undefined;
  let params: Record<string, string> | undefined;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const part = parts[i]!;
    if (seg.kind === 'static') {
      if (seg.value !== part && seg.value !== decodeSegment(part)) return undefined;
    } else if (seg.kind === 'param') {
      if (part === '') return undefined;
      params ??= {};
      params[seg.name] = decodeSegment(part);
    }
  }
  params ??= {};
  if (route.hasRest) {
    params['*'] = parts
      .slice(segments.length)
      .map((p) => decodeSegment(p).replaceAll('/', '%2F'))
      .join('/');
  }
  return params;
}
