#!/usr/bin/env node
/**
 * Every user-visible output of the bundled CLI and action on the shared images, written to one folder with the
 * run-dependent parts (timings, clock times, temp paths) normalised, so two builds compare with `diff -r`.
 * Used to show that a refactor changes no output: run it on the old dist and on the new one, then diff.
 *
 *   node bench/snapshot/outputs.mjs OUT_DIR [--dist DIR] [--node NODE]
 *
 * CLI: `scan` on every shared image (good and bad) × light/deep × json/table against a DB built from the shared
 * OSV data, the demo image against the demo DB, `bin` on the scratch-go binary, usage errors and `--help`.
 * Action: dist/index.js run as GitHub runs it (Node 24) against a local recorder of the REST API, on the demo
 * image and two shared images: outputs, job summary, workflow commands, SARIF, JSON report, comment body.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const args = process.argv.slice(2);
const out = resolve(args[0] ?? 'snapshot-out');
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const repo = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');
const dist = resolve(opt('--dist', join(repo, 'dist')));
const node24 = join(dirname(createRequire(join(repo, 'package.json')).resolve('node/package.json')), 'bin', 'node');
const node = opt('--node', node24);
const shared = resolve(repo, '..', 'shared');
const work = mkdtempSync(join(tmpdir(), 'scanrook-snap-'));

/** Run-dependent text → fixed tokens. */
function normalise(text) {
  return text
    .split(work)
    .join('<WORK>')
    .split(repo)
    .join('<REPO>')
    .split(shared)
    .join('<SHARED>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<TIME>')
    .replace(/"(duration_ms|elapsed_ms|ms|took_ms|[a-z_]*_ms)": \d+(\.\d+)?/g, '"$1": <MS>')
    .replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, '<DUR>')
    .replace(/"age_seconds": \d+/g, '"age_seconds": <AGE>')
    .replace(/, \d+ h old\b/g, ', <N> h old')
    .replace(/\(\d+(\.\d+)? ?(ms|s)\)/g, '(<DUR>)')
    .replace(/^ {2}read [\d.]+ [KMG]i?B\n/gm, '')
    .replace(/"stages": \{[^}]*\}/g, (m) => m.replace(/: \d+/g, ': <MS>'));
}

if (args[0] === '--renormalise') {
  // Applies the current normalisation to an existing snapshot folder (after the rules changed).
  for (const f of readdirSync(args[1]))
    writeFileSync(join(args[1], f), normalise(readFileSync(join(args[1], f), 'utf8')));
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function save(name, text) {
  writeFileSync(join(out, name), normalise(text));
}

const cli = (argv, env = {}) =>
  spawnSync(node, [join(dist, 'cli.js'), ...argv], {
    encoding: 'utf8',
    cwd: work,
    env: { ...process.env, HOME: work, ...env },
    maxBuffer: 256 << 20,
    timeout: 300_000,
  });

function record(name, r) {
  save(`${name}.out`, r.stdout ?? '');
  save(`${name}.err`, `${r.stderr ?? ''}\nexit ${r.status}\n`);
}

// The DB: built once from the shared OSV data by the product's own `db build`, then used as a file.
const db = join(work, 'shared-osv.db');
const osvDirs = join(work, 'osv');
mkdirSync(osvDirs);
const built = cli(['db', 'build', '--from', join(shared, 'data', 'osv'), '--out', db]);
save('db-build.out', `${built.stdout}\n${built.stderr}\nexit ${built.status}\n`);
if (built.status !== 0) {
  console.error(built.stderr);
  process.exit(1);
}

const images = [
  ...readdirSync(join(shared, 'images'))
    .filter((f) => /\.tar(\.gz)?$/.test(f))
    .map((f) => join(shared, 'images', f)),
  ...readdirSync(join(shared, 'images', 'bad')).map((f) => join(shared, 'images', 'bad', f)),
].sort();

for (const img of images) {
  const tag = img.slice(join(shared, 'images').length + 1).replace(/\//g, '__');
  for (const mode of ['light', 'deep']) {
    for (const format of ['json', 'table']) {
      record(
        `cli-scan-${tag}-${mode}-${format}`,
        cli(['scan', img, '--mode', mode, '--format', format, '--db-path', db, '--no-db-cache']),
      );
    }
  }
}
const demo = join(repo, 'test/fixtures/demo/debian-bookworm-dpkg.docker.tar');
const demoDb = join(repo, 'test/fixtures/demo/osv');
for (const format of ['json', 'table']) {
  record(`cli-demo-${format}`, cli(['scan', demo, '--format', format, '--db-path', demoDb, '--no-db-cache']));
  record(
    `cli-demo-${format}-critical`,
    cli(['scan', demo, '--format', format, '--db-path', demoDb, '--no-db-cache', '--severity-threshold', 'unknown']),
  );
}
record(
  'cli-demo-missing-db',
  cli(['scan', demo, '--format', 'json', '--db-path', join(work, 'nope'), '--no-db-cache']),
);
record(
  'cli-demo-timeout',
  cli(['scan', demo, '--format', 'json', '--db-path', demoDb, '--no-db-cache', '--max-packages', '3']),
);
record(
  'cli-demo-size',
  cli(['scan', demo, '--format', 'table', '--db-path', demoDb, '--no-db-cache', '--max-image-size', '1MB']),
);

// `bin` on the Go binary of the scratch-go image (extracted with tar).
const goDir = join(work, 'go');
mkdirSync(goDir);
spawnSync('tar', ['-xf', join(shared, 'images', 'scratch-go.docker.tar'), '-C', goDir]);
for (const entry of readdirSync(goDir, { recursive: true })) {
  const p = join(goDir, String(entry));
  if (/layer\.tar$|blobs\/sha256\/[0-9a-f]{64}$/.test(p))
    spawnSync('tar', ['-xf', p, '-C', goDir], { stdio: 'ignore' });
}
const goBins = readdirSync(goDir, { recursive: true })
  .map(String)
  .filter((p) => /(^|\/)(app|hello|server|main)$/.test(p));
for (const b of goBins.slice(0, 1)) {
  for (const mode of ['light', 'deep'])
    record(
      `cli-bin-${mode}`,
      cli(['bin', join(goDir, b), '--mode', mode, '--format', 'json', '--db-path', db, '--no-db-cache']),
    );
  record('cli-bin-table', cli(['bin', join(goDir, b), '--db-path', db, '--no-db-cache']));
}

for (const [name, argv] of Object.entries({
  help: ['--help'],
  version: ['--version'],
  none: [],
  unknown: ['scna'],
  'bad-mode': ['scan', demo, '--mode', 'Deep'],
  'bad-threshold': ['scan', demo, '--severity-threshold', 'HIGH'],
  'bad-platform': ['scan', demo, '--platform', 'linux'],
  'bad-size': ['scan', demo, '--max-image-size', '12XB'],
  'two-args': ['scan', 'a', 'b'],
  'db-none': ['db'],
  'db-info': ['db', 'info', db],
  'bad-format': ['scan', demo, '--format', 'xml'],
  'bad-flag': ['scan', demo, '--frmat', 'json'],
}))
  record(`cli-usage-${name}`, cli(argv));

// The action against a recorder of GitHub's REST API.
const requests = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => {
    body += d;
  });
  req.on('end', () => {
    requests.push(`${req.method} ${req.url}\n${body}`);
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET') {
      res.end('[]');
      return;
    }
    if (req.url.includes('/code-scanning/sarifs')) {
      res.statusCode = 202;
      res.end('{"id":"abc","url":"x"}');
      return;
    }
    res.statusCode = 201;
    res.end(
      JSON.stringify({
        id: 1,
        html_url: 'https://github.com/o/r/pull/2#issuecomment-1',
        body: '',
        user: { login: 'github-actions[bot]', type: 'Bot' },
      }),
    );
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const api = `http://127.0.0.1:${server.address().port}`;

async function action(name, inputs, event = 'pull_request') {
  const dir = join(work, `action-${name}`);
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  writeFileSync(join(dir, 'out'), '');
  writeFileSync(join(dir, 'summary'), '');
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: join(dir, 'out'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: join(shared, 'github', 'event-pull_request-opened.json'),
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_REPOSITORY_OWNER: 'Codertocat',
    GITHUB_SHA: '9f7e1c0a4d2b3e5f6a7b8c9d0e1f2a3b4c5d6e7f',
    GITHUB_REF: 'refs/pull/2/merge',
    GITHUB_API_URL: api,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'scan',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: join(dir, 'tmp'),
    GITHUB_HEAD_REF: 'changes',
    GITHUB_BASE_REF: 'master',
    'INPUT_GITHUB-TOKEN': 'ghs_snapshotToken0123456789',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  requests.length = 0;
  const child = spawn(node24, [join(dist, 'index.js')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise((r) => child.on('close', r));
  save(`action-${name}.log`, `${stdout}\n--- stderr\n${stderr}\nexit ${code}\n`);
  save(`action-${name}.outputs`, readFileSync(join(dir, 'out'), 'utf8').replace(/ghadelimiter_[0-9a-f-]+/g, '<DELIM>'));
  save(`action-${name}.summary.md`, readFileSync(join(dir, 'summary'), 'utf8'));
  save(`action-${name}.requests`, requests.join('\n====\n').replace(/"sarif":"[^"]*"/g, '"sarif":"<GZ>"'));
  for (const f of readdirSync(dir)) {
    if (/\.(json|sarif)$/.test(f)) save(`action-${name}.${f}`, readFileSync(join(dir, f), 'utf8'));
  }
}

const dockerfile = (dir) => {
  mkdirSync(dir, { recursive: true });
};
dockerfile(join(work, 'action-demo'));
writeFileSync(join(work, 'action-demo', 'Dockerfile'), 'FROM debian:12\nLABEL a=b\nCMD ["bash"]\n');
await action('demo', {
  'image-tar': demo,
  'db-path': demoDb,
  'db-cache': 'false',
  'upload-sarif': 'true',
  dockerfile: 'Dockerfile',
});
await action('demo-Deep-HIGH', {
  'image-tar': demo,
  'db-path': demoDb,
  'db-cache': 'false',
  mode: 'Deep',
  'severity-threshold': 'HIGH',
});
await action('demo-push', { 'image-tar': demo, 'db-path': demoDb, 'db-cache': 'false' }, 'push');
await action('no-db', { 'image-tar': demo, 'db-path': join(work, 'missing'), 'db-cache': 'false' });
await action('two-images', {
  'image-tar': `${join(shared, 'images', 'alpine-3.11.docker.tar.gz')}\n${join(shared, 'images', 'rpm-rocky9.docker.tar')}`,
  'db-path': db,
  'db-cache': 'false',
  mode: 'deep',
});
await action('bad', {
  'image-tar': join(shared, 'images', 'bad', 'truncated-half.tar'),
  'db-path': db,
  'db-cache': 'false',
});
await action('bad-input', { 'image-tar': demo, mode: 'fast' });
server.close();
if (!existsSync(join(out, 'cli-demo-json.out'))) process.exit(1);
rmSync(work, { recursive: true, force: true });
console.log(`snapshot written to ${out} (${readdirSync(out).length} files)`);
