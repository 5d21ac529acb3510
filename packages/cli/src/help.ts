import { readFileSync } from 'node:fs';

/** The `polycloud` package's version (package.json sits one level above both src/ and dist/). */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export const COMMANDS = ['dev', 'invoke', 'build', 'check', 'help'] as const;
export type CommandName = (typeof COMMANDS)[number];

export const GLOBAL_HELP = `polycloud: write serverless functions once, run them on AWS Lambda, Azure Functions,
Google Cloud Functions or your own server.

usage: polycloud <command> [options]

commands:
  dev [dir...]                      serve apps locally and restart on every change
  invoke <function> [dir]           run one function once with a request or event
  build --provider <name> [dir]     bundle the app for aws, azure, gcp or node into dir/dist/<name>
  check [dir] [--strict] [--json]   validate the config and the app, list its functions, report lock-in
  help [command]                    show this help, or a command's

options:
  -h, --help       show help (after a command: that command's help)
  -v, --version    print the version
  --debug          print the stack trace of unexpected errors (also: POLYCLOUD_DEBUG=1)

An app directory holds src/app.ts (or .mts, .cts, .js, .mjs, .cjs) whose default export is
defineApp({ functions: { ... } }), and optionally polycloud.config.json. dir defaults to ".".
Exit codes: 0 success, 1 failure, 2 wrong usage.`;

export const COMMAND_HELP: Record<Exclude<CommandName, 'help'>, string> = {
  dev: `usage: polycloud dev [dir...] [--port <n>] [--host <address>]

Serves one or more apps on the node runtime (http routes, queues, topics and schedules in memory)
and restarts the server when a file of an app changes: sources, polycloud.config.*, package.json,
tsconfig.json. Saves that replace a file (editors' atomic save, sed -i), new and deleted files and
folders are all seen. A load error (syntax, a bad config, a missing import) or a crash is reported
in one line and dev waits for the next change; a port in use stops it with exit code 1.

options:
  --port <n>          port to listen on (default: providers.node.port, else 3000; 0: any free port)
  --host <address>    address to listen on (default 127.0.0.1)

environment: POLYCLOUD_PORT, POLYCLOUD_HOST (as the options), POLYCLOUD_WATCH=poll (poll files every
300 ms instead of file-system events, for network or container mounts that do not report changes).`,
  invoke: `usage: polycloud invoke <function> [dir] [--event <file.json>] [--provider <aws|gcp>]

Runs one function of the app once, in this process, and prints the result as JSON on stdout.
Exit code 0 when it succeeded, 1 when it failed (an http status >= 500, a thrown error) or when the
request matches none of the function's routes (the handler is then not run).

--event <file.json>   the input (without it: an empty one, see below). Formats:

  http function, neutral request (every key optional):
    { "method": "GET", "path": "/items/42", "query": { "tag": ["a", "b"] },
      "headers": { "content-type": "application/json" }, "body": { "any": "json" } }
    "body" is a string or JSON (sent as JSON text); "bodyBase64" for bytes. The method defaults to
    the route's first method, the path to the route's path when it has no :params or *.
    Prints { "status", "headers", "cookies", "body" | "bodyBase64" }.

  queue and topic functions, neutral message:
    { "body": <string or JSON>, "attributes": { "k": "v" }, "id": "m1", "deliveryCount": 1 }
  storage functions:  { "key": "path/to/object", "type": "created", "size": 12 }
  schedule functions: { "scheduledTime": "2026-01-01T00:00:00Z" }
  any event function, or any kind: a CloudEvent { "specversion": "1.0", "id", "source", "type", "data" }
    Prints { "ok": true, "result": ... } or, on failure, { "ok": false, "error": ... } on stderr.

--provider aws        the input is a native AWS event (API Gateway v1/v2, Function URL, ALB, SQS,
                      SNS, S3, EventBridge, ...), run through @polycloud/aws's Lambda handler exactly
                      as Lambda would; prints the handler's native result.
--provider gcp        the input is the HTTP delivery Cloud Run functions gets
                      { "method", "path", "headers", "body" | "bodyBase64" } (an http call, a Pub/Sub
                      push, a CloudEvent in binary or structured mode, ...), sent to the function as
                      @polycloud/gcp registers it with the functions framework; prints
                      { "status", "headers", "body" }.`,
  build: `usage: polycloud build --provider <aws|azure|gcp|node> [dir]

Bundles the app into dir/dist/<provider> in the form that provider deploys: aws (a SAM template and
one handler per function), azure (a Functions v4 app), gcp (a functions-framework package), node (a
server). Needs the provider's package installed: @polycloud/aws, @polycloud/azure, @polycloud/gcp or
@polycloud/node.

options:
  --provider <name>   the target; default: "provider" of polycloud.config.json, POLYCLOUD_PROVIDER`,
  check: `usage: polycloud check [dir] [--strict] [--json]

Validates polycloud.config.json against the JSON Schema shipped as polycloud/config.schema.json
(unknown keys are errors), loads the app (two functions on one route are an error), lists its
functions, and reports provider lock-in: per function, every provider-specific import
(@aws-sdk/*, aws-lambda, @azure/*, @google-cloud/*, firebase-*, ...) and every ctx.raw read, with
file and line, found by the TypeScript parser following the app's local imports.
Exit code 1 on any error.

options:
  --strict   exit code 1 when lock-in is found
  --json     print the report as JSON (for CI)`,
};
