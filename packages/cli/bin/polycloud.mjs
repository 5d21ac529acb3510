#!/usr/bin/env node
// The CLI and the apps it loads are TypeScript: tsx registers a loader (esbuild-based) first.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
