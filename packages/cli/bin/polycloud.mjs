#!/usr/bin/env node
// The CLI loads a user's TypeScript app: tsx registers a loader (esbuild-based) first.
import { register } from 'tsx/esm/api';

register();
// `#main` is the compiled CLI; inside the polycloud repository, node's `--conditions=source` picks
// the TypeScript source instead (package.json "imports").
const { main } = await import('#main');
process.exitCode = await main(process.argv.slice(2));
