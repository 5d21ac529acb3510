import { readFileSync } from 'node:fs';
import { CliError } from './cli-errors.ts';

/**
 * The JSON input of `polycloud invoke`: the `--event` file (`-` for stdin), or `{}` without one.
 * A missing file or bad JSON is a one-line error naming the file.
 */
export function readInvokeInput(eventFile: string | undefined): unknown {
  if (eventFile === undefined) return {};
  let text: string;
  try {
    text = readFileSync(eventFile === '-' ? 0 : eventFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`--event ${eventFile}: no such file`);
    if (code === 'EISDIR') throw new CliError(`--event ${eventFile}: is a directory, not a JSON file`);
    throw new CliError(`--event ${eventFile}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`--event ${eventFile}: not valid JSON (${(error as Error).message})`);
  }
}

/** Top-level keys by which a native provider event is recognised, to point at `--provider`. */
const NATIVE_MARKERS: [string, string][] = [
  ['requestContext', 'aws'],
  ['routeKey', 'aws'],
  ['httpMethod', 'aws'],
  ['Records', 'aws'],
  ['detail-type', 'aws'],
];

/** `aws` when the input looks like a native AWS event (API Gateway, SQS, SNS, S3, EventBridge), else undefined. */
export function nativeProviderOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  return NATIVE_MARKERS.find(([key]) => key in input)?.[1];
}
