#!/usr/bin/env node
// Bundles the action (dist/index.js) and the CLI (dist/cli-main.js, run by the dist/cli.js launcher) with @vercel/ncc, and ships sql.js's
// WebAssembly beside them (ncc cannot inline it). ncc type-checks src/ (tsconfig.json); tests and benches
// are type-checked by `npm run typecheck` (tsconfig.test.json), which `npm run build` runs first.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Build into a fresh folder and swap it in at the end, so whatever runs dist/ meanwhile never sees it half built.
const finalDist = join(root, 'dist');
const dist = join(root, `.dist-build-${process.pid}`);
const tmp = join(dist, '.build');
const require = createRequire(import.meta.url);
const ncc = join(dirname(require.resolve('@vercel/ncc/package.json')), 'dist', 'ncc', 'cli.js');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

function bundle(entry, outName) {
  const out = join(tmp, outName);
  execFileSync(
    process.execPath,
    [ncc, 'build', join(root, entry), '-o', out, '--quiet', '--no-source-map-register', '--license', 'licenses.txt'],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  return out;
}

const actionOut = bundle('src/action/main.ts', 'action');
const cliOut = bundle('src/cli.ts', 'cli');

for (const [dir, name] of [
  [actionOut, 'index.js'],
  [cliOut, 'cli-main.js'],
]) {
  const files = readdirSync(dir);
  for (const f of files) {
    if (f === 'index.js') renameSync(join(dir, f), join(dist, name));
    else if (f === 'licenses.txt')
      renameSync(join(dir, f), join(dist, name === 'index.js' ? 'licenses.txt' : 'licenses-cli.txt'));
    else if (f === 'package.json') {
      /* ncc's {"type":"module"} marker: dist/package.json below covers both */
    } else if (f.endsWith('.wasm')) {
      /* shipped explicitly below */
    } else throw new Error(`unexpected ncc output ${dir}/${f}: ship it deliberately`);
  }
}
rmSync(tmp, { recursive: true, force: true });

copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), join(dist, 'sql-wasm.wasm'));
copyFileSync(require.resolve('sql.js/dist/sql-wasm.js'), join(dist, 'sql-wasm.cjs'));
// The YARA-X engine (WebAssembly + its ES module glue) is loaded at run time from dist/yara-x/ (src/yara/engine.ts).
const yaraX = dirname(require.resolve('@virustotal/yara-x/package.json'));
mkdirSync(join(dist, 'yara-x'));
for (const f of ['yara_x_js.js', 'yara_x_js_bg.wasm']) copyFileSync(join(yaraX, 'pkg', f), join(dist, 'yara-x', f));
const yaraXVersion = JSON.parse(readFileSync(join(yaraX, 'package.json'), 'utf8')).version;
writeFileSync(join(dist, 'yara-x', 'VERSION'), yaraXVersion + '\n');
// The package ships no licence file: its licence (package.json "license") is BSD-3-Clause, VirusTotal.
for (const lic of ['licenses.txt', 'licenses-cli.txt']) {
  const file = join(dist, lic);
  if (existsSync(file))
    writeFileSync(
      file,
      readFileSync(file, 'utf8') +
        `\n@virustotal/yara-x ${yaraXVersion}\nBSD-3-Clause (package.json "license"); Copyright (c) VirusTotal. Shipped as dist/yara-x/.\n`,
    );
}
writeFileSync(join(dist, 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n');

// Bundled CommonJS (sql.js) reads __dirname/__filename, which ES modules lack: define them for the bundle.
const shim =
  "import { fileURLToPath as __scanrookFileURLToPath } from 'node:url';\n" +
  "import { dirname as __scanrookDirname } from 'node:path';\n" +
  'const __filename = __scanrookFileURLToPath(import.meta.url);\n' +
  'const __dirname = __scanrookDirname(__filename);\n';
for (const name of ['index.js', 'cli-main.js']) {
  const file = join(dist, name);
  let text = readFileSync(file, 'utf8');
  if (/\b(const|let|var)\s+__(dirname|filename)\b/.test(text))
    throw new Error(`${name} declares __dirname itself: review the shim`);
  text = text.replace(/^#!.*\n/, '');
  writeFileSync(file, shim + text);
}
// dist/cli.js (package.json "bin") is a launcher: it turns on Node's compile cache, then runs the bundle. With
// the cache, a run after the first skips compiling the 1.3 MB bundle (~30 ms of each scan's start-up). The
// cache lives where Node puts it by default, the OS temp folder (NODE_COMPILE_CACHE moves it,
// NODE_DISABLE_COMPILE_CACHE=1 turns it off); Node 20 and 22.0 have no enableCompileCache: nothing changes
// there. The action (dist/index.js) runs once per step, so a cache would cost it a write and save nothing.
writeFileSync(
  join(dist, 'cli.js'),
  [
    '#!/usr/bin/env node',
    "// The `scanrook` command: Node's compile cache on (Node >= 22.1, OS temp folder), then the CLI bundle (.ci/build.mjs).",
    "import module from 'node:module';",
    'try { module.enableCompileCache?.(); } catch { /* only an optimisation */ }',
    "await import('./cli-main.js');",
    '',
  ].join('\n'),
);
chmodSync(join(dist, 'cli.js'), 0o755);
for (const f of ['index.js', 'cli.js', 'cli-main.js'])
  if (!existsSync(join(dist, f))) throw new Error(`dist/${f} missing`);
const old = join(root, `.dist-old-${process.pid}`);
if (existsSync(finalDist)) renameSync(finalDist, old);
renameSync(dist, finalDist);
rmSync(old, { recursive: true, force: true });
