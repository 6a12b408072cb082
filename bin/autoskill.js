#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm run build`).
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2));
// Let pending stdout writes flush before exiting; long-running commands never reach here early.
process.exitCode = code;
