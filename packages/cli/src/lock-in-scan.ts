import { relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One place an app depends on a provider: an import of a provider's package, or a read of `raw`. */
export interface LockInFinding {
  kind: 'import' | 'raw';
  /** Path relative to the app directory, `/`-separated. */
  file: string;
  line: number;
  column: number;
  /** The function whose handler contains it; undefined at module scope (in every function's bundle). */
  function?: string;
  /** For imports: the module specifier, and whose it is. */
  specifier?: string;
  provider?: string;
  /** The source text, trimmed to one line. */
  text: string;
}

export interface LockInReport {
  /** App files the compiler followed from the entry (node_modules and .d.ts excluded). */
  files: string[];
  findings: LockInFinding[];
}

/**
 * Package name patterns that tie code to one provider. `@polycloud/<provider>` counts too: the
 * neutral API is `@polycloud/core`.
 */
const PROVIDER_PACKAGES: [RegExp, string][] = [
  [/^@aws-sdk\//, 'AWS'],
  [/^aws-sdk(\/|$)/, 'AWS'],
  [/^aws-lambda(\/|$)/, 'AWS'],
  [/^@aws-lambda-powertools\//, 'AWS'],
  [/^@aws-cdk\/|^aws-cdk-lib(\/|$)/, 'AWS'],
  [/^@types\/aws-lambda$/, 'AWS'],
  [/^@azure\//, 'Azure'],
  [/^@google-cloud\//, 'Google Cloud'],
  [/^googleapis(\/|$)/, 'Google Cloud'],
  [/^firebase(-[\w-]+)?(\/|$)/, 'Firebase (Google)'],
  [/^@firebase\//, 'Firebase (Google)'],
  [/^@polycloud\/(aws|azure|gcp|node)(\/|$)/, 'a polycloud adapter'],
];

export function providerOf(specifier: string): string | undefined {
  for (const [pattern, provider] of PROVIDER_PACKAGES) if (pattern.test(specifier)) return provider;
  return undefined;
}

/** polycloud types whose `raw` is the provider's untouched input. */
const RAW_CARRIERS = new Set([
  'Context',
  'InvocationContext',
  'InvocationInit',
  'Message',
  'StorageEvent',
  'ScheduleEvent',
]);

/**
 * Scans an app for provider lock-in with the TypeScript compiler: a program rooted at the app's
 * entry follows its local imports (the compiler resolves them as the bundler will), and each app
 * file's syntax tree is walked for module specifiers (static and dynamic `import`, `export … from`,
 * `require`, `import x = require()`) naming a provider package, and for reads of `.raw` on
 * polycloud's context, messages and events (the type checker tells those from any other `raw`;
 * where types cannot be resolved, any `.raw` read is reported). Findings inside a function's
 * handler (a property of `functions: { … }` in the app) name that function.
 *
 * @example
 * const { findings } = scanLockIn('examples/todo-api', 'examples/todo-api/src/app.ts');
 * for (const f of findings) console.log(`${f.file}:${f.line} ${f.text}`);
 */
export function scanLockIn(appDir: string, entry: string): LockInReport {
  const root = resolve(appDir);
  const program = ts.createProgram([resolve(entry)], {
    allowImportingTsExtensions: true,
    allowJs: true,
    experimentalDecorators: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    types: [],
  });
  const checker = program.getTypeChecker();
  const appFiles = program
    .getSourceFiles()
    .filter(
      (f) =>
        !f.isDeclarationFile &&
        !f.fileName.includes(`${sep}node_modules${sep}`) &&
        !f.fileName.includes('/node_modules/') &&
        resolve(f.fileName).startsWith(root + sep),
    );
  const findings: LockInFinding[] = [];
  for (const file of appFiles) {
    const rel = relative(root, resolve(file.fileName)).split(sep).join('/');
    const handlers = handlerRanges(file);
    const at = (
      node: ts.Node,
      rest: Omit<LockInFinding, 'file' | 'line' | 'column' | 'function' | 'text'>,
    ) => {
      const start = node.getStart(file);
      const { line, character } = file.getLineAndCharacterOfPosition(start);
      const owner = handlers.find((h) => start >= h.pos && start < h.end)?.name;
      const lineText = file.text.split('\n')[line] ?? '';
      findings.push({
        ...rest,
        file: rel,
        line: line + 1,
        column: character + 1,
        ...(owner ? { function: owner } : {}),
        text: lineText.trim().slice(0, 160),
      });
    };
    const visit = (node: ts.Node): void => {
      const specifier = moduleSpecifier(node);
      if (specifier) {
        const provider = providerOf(specifier.text);
        if (provider) at(node, { kind: 'import', specifier: specifier.text, provider });
      } else if (isRawRead(node, checker)) {
        at(node, { kind: 'raw' });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return {
    files: appFiles.map((f) => relative(root, resolve(f.fileName)).split(sep).join('/')).sort(),
    findings,
  };
}

function moduleSpecifier(node: ts.Node): ts.StringLiteralLike | undefined {
  if (
    (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
    node.moduleSpecifier &&
    ts.isStringLiteralLike(node.moduleSpecifier)
  )
    return node.moduleSpecifier;
  if (
    ts.isImportEqualsDeclaration(node) &&
    ts.isExternalModuleReference(node.moduleReference) &&
    ts.isStringLiteralLike(node.moduleReference.expression)
  )
    return node.moduleReference.expression;
  if (ts.isCallExpression(node)) {
    const [arg] = node.arguments;
    const callee = node.expression;
    const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
    if ((isImport || isRequire) && arg && ts.isStringLiteralLike(arg)) return arg;
  }
  if (
    ts.isImportTypeNode(node) &&
    ts.isLiteralTypeNode(node.argument) &&
    ts.isStringLiteralLike(node.argument.literal)
  )
    return node.argument.literal;
  return undefined;
}

/** `x.raw`, `x['raw']` or `{ raw } = x` where x is polycloud's context, message or event. */
function isRawRead(node: ts.Node, checker: ts.TypeChecker): boolean {
  let object: ts.Expression | undefined;
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'raw') object = node.expression;
  else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))
    object = node.argumentExpression.text === 'raw' ? node.expression : undefined;
  else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
    const name = node.propertyName ?? node.name;
    if (!ts.isIdentifier(name) || name.text !== 'raw') return false;
    const decl = node.parent.parent;
    if (ts.isVariableDeclaration(decl) && decl.initializer) object = decl.initializer;
    else if (ts.isParameter(decl)) return carriesRaw(checker.getTypeAtLocation(decl));
  }
  if (!object) return false;
  // String.raw`…` is a tagged template, not provider input.
  if (ts.isIdentifier(object) && object.text === 'String') return false;
  return carriesRaw(checker.getTypeAtLocation(object));
}

function carriesRaw(type: ts.Type): boolean {
  // Unresolved types (an app outside a workspace, say): report the read rather than miss it.
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  const types = type.isUnionOrIntersection() ? type.types : [type];
  return types.some((t) => {
    const symbol = t.getSymbol() ?? t.aliasSymbol;
    if (!symbol || !RAW_CARRIERS.has(symbol.getName())) return false;
    return (symbol.getDeclarations() ?? []).some((d) =>
      /[/\\](packages[/\\]core|@polycloud[/\\]core)[/\\]/.test(d.getSourceFile().fileName),
    );
  });
}

/**
 * Source ranges of each function's definition: the properties of a `functions: { … }` object
 * literal (what `defineApp` takes), by name.
 */
function handlerRanges(file: ts.SourceFile): { name: string; pos: number; end: number }[] {
  const out: { name: string; pos: number; end: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAssignment(node) &&
      propertyName(node.name) === 'functions' &&
      ts.isObjectLiteralExpression(node.initializer)
    ) {
      for (const p of node.initializer.properties) {
        const name = p.name ? propertyName(p.name) : undefined;
        if (name) out.push({ name, pos: p.getStart(file), end: p.end });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}
