#!/usr/bin/env node
// `npm run docs`: regenerates the generated documentation (docs/troubleshooting.md, README.md's input and
// output tables) from the code, with src/docs/generated.ts; `--check` writes nothing and exits 1 naming the
// stale files. The TypeScript sources run through Vite's module runner (Vite comes with vitest, resolved from
// it): Node 20 cannot run .ts, and the sources import each other with .js suffixes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const vite = createRequire(createRequire(import.meta.url).resolve('vitest/package.json')).resolve('vite');
const { runnerImport } = await import(pathToFileURL(vite).href);
const load = async (rel) =>
  (await runnerImport(join(root, rel), { root, configFile: false, logLevel: 'error' })).module;

const { generatedFiles, DOCS_COMMAND } = await load('src/docs/generated.ts');
const { INPUTS_NOT_WIRED_YET } = await load('src/action/inputs.ts');
const read = (rel) => readFileSync(join(root, rel), 'utf8');

const stale = [];
for (const { path, text } of generatedFiles(read, INPUTS_NOT_WIRED_YET)) {
  const file = join(root, path);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
  stale.push(path);
  if (!check) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}
if (check && stale.length) {
  console.error(`out of date: ${stale.join(', ')} (run \`${DOCS_COMMAND}\` and commit them)`);
  process.exit(1);
}
console.log(stale.length ? `${check ? 'stale' : 'rewrote'}: ${stale.join(', ')}` : 'generated docs are up to date');
