#!/usr/bin/env node
// The `scanrook` command: Node's compile cache on (Node >= 22.1, OS temp folder), then the CLI bundle (.ci/build.mjs).
import module from 'node:module';
try { module.enableCompileCache?.(); } catch { /* only an optimisation */ }
await import('./cli-main.js');
