#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm run build`).
import module from 'node:module';

// V8's compiled code for our modules and dependencies is kept on disk (os.tmpdir(), or
// NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off) and reused by the next start:
// about a fifth less CPU to load what `serve` needs, which a restart pays before its first answer.
// Node ≥ 22.1; the cache is checked against each file's contents, so a rebuild never runs stale code.
module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');

const code = await main(process.argv.slice(2));
// Let pending stdout writes flush before exiting; long-running commands never reach here early.
process.exitCode = code;
