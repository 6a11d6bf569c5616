/**
 * The real Docker engine the docker tests talk to (started by .ci/docker-tests.sh, which also loads the test
 * images). With SCANROOK_DOCKER_TESTS=1 the tests must run: a missing CLI, engine or image fails them.
 * Without it they skip, saying so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../helpers/shared.js';
import { noteSkip } from '../helpers/skips.js';

export const DOCKER_TESTS = process.env.SCANROOK_DOCKER_TESTS === '1';
export const ENGINE = process.env.SCANROOK_DOCKER_ENGINE ?? '';

if (!DOCKER_TESTS) {
  noteSkip(
    'docker-engine',
    'a real Docker engine with the test images loaded',
    'bash .ci/docker-tests.sh starts one and runs them',
  );
}

/** Images .ci/docker-tests.sh loads, with the shared archive each came from. */
export const LOADED: { ref: string; archive: string; wanted: string[] }[] = [
  { ref: 'test/small:1', archive: sharedPath('images', 'bad', 'small.docker.tar'), wanted: [] },
  {
    ref: 'alpine:3.10',
    archive: sharedPath('images', 'alpine-3.10.docker.tar.gz'),
    wanted: ['etc/os-release', 'lib/apk/db/installed'],
  },
  {
    ref: 'test/rpm-rocky9:9.2',
    archive: sharedPath('images', 'rpm-rocky9.docker.tar'),
    wanted: ['var/lib/rpm/rpmdb.sqlite'],
  },
  {
    ref: 'test/rpm-fedora38:38',
    archive: sharedPath('images', 'rpm-fedora38.docker-oci.tar'),
    wanted: ['usr/lib/sysimage/rpm/rpmdb.sqlite'],
  },
  {
    ref: 'scanrook-test/debian-bookworm:12',
    archive: sharedPath('images', 'debian-bookworm.oci.tar'),
    wanted: ['etc/os-release', 'var/lib/dpkg/status'],
  },
];
export const BIG_REF = 'scanrook-test/debian-bookworm:12';

/** Absolute path of the docker CLI on PATH (the engine's own CLI when run by .ci/docker-tests.sh). */
export function realDocker(): string {
  const r = spawnSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' });
  const p = r.stdout.trim();
  if (r.status !== 0 || !p.startsWith('/')) throw new Error('no docker CLI on PATH: the docker tests need one');
  return p;
}

/** Fails loudly when the engine or an image is missing (the tests were asked to run). */
export function requireEngine(): string {
  if (!process.env.DOCKER_HOST) throw new Error('DOCKER_HOST is not set: start an engine (bash .ci/docker-tests.sh)');
  const docker = realDocker();
  const v = execFileSync(docker, ['version', '--format', '{{.Client.Version}} / {{.Server.Version}}'], {
    encoding: 'utf8',
  });
  const layout =
    ENGINE === 'trixie' ? 'Docker 25+ layout' : ENGINE === 'bookworm' ? 'legacy layout' : 'layout not pinned';
  console.log(
    `docker engine ${ENGINE || '(unnamed)'}: client / server ${v.trim()} at ${process.env.DOCKER_HOST} (${layout})`,
  );
  for (const img of LOADED) {
    const r = spawnSync(docker, ['image', 'inspect', '--format', '{{.Id}}', img.ref], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`image ${img.ref} is not loaded in the engine (.ci/docker-tests.sh loads it): ${r.stderr}`);
  }
  return docker;
}

/**
 * A fault injector around the real CLI: runs the real `docker save`, passes its output through and, after
 * `KILL_AFTER` bytes, either SIGKILLs the real docker (mode `kill-docker`: the wrapper then exits 137, like a
 * shell reporting a killed child) or kills docker and then itself (mode `kill-self`: our child dies by
 * SIGKILL). Mode `gate`: after GATE_AT bytes it stops passing data until GATE_FILE exists (gives up after
 * 20 s: kills docker, exits 3), which only a reader that consumes while docker runs can open.
 */
export function writeWrapper(dir: string, realBin: string): string {
  const path = join(dir, 'docker-wrapper.mjs');
  writeFileSync(
    path,
    `#!${process.execPath}
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
const mode = process.env.WRAP_MODE;
const limit = Number(process.env.WRAP_BYTES);
const real = spawn(${JSON.stringify(realBin)}, process.argv.slice(2), { stdio: ['ignore', 'pipe', 'inherit'] });
let sent = 0;
let state = 'pass'; // pass | gated | killed | gave-up
function send(chunk) {
  if (!process.stdout.write(chunk)) { real.stdout.pause(); process.stdout.once('drain', () => { if (state === 'pass') real.stdout.resume(); }); }
}
real.stdout.on('data', (chunk) => {
  if (state === 'killed' || state === 'gave-up') return; // drop what is left in the pipe
  if (state === 'gated' || sent + chunk.length < limit || sent >= limit) { sent += chunk.length; send(chunk); return; }
  const room = limit - sent;
  send(chunk.subarray(0, room));
  sent = limit;
  if (mode !== 'gate') {
    state = 'killed';
    real.kill('SIGKILL');
    return;
  }
  state = 'gated';
  real.stdout.pause();
  const rest = chunk.subarray(room);
  const t0 = Date.now();
  const poll = setInterval(() => {
    if (existsSync(process.env.GATE_FILE)) {
      clearInterval(poll);
      state = 'pass';
      sent += rest.length;
      send(rest);
      if (process.stdout.writableNeedDrain === false) real.stdout.resume();
    } else if (Date.now() - t0 > 20000) {
      clearInterval(poll);
      state = 'gave-up';
      process.stderr.write('docker-wrapper: the gate was never opened\\n');
      real.kill('SIGKILL');
      real.stdout.resume();
    }
  }, 25);
});
real.on('close', (code) => {
  if (state === 'killed' && mode === 'kill-self') process.kill(process.pid, 'SIGKILL');
  else if (state === 'killed') process.exitCode = 137;
  else if (state === 'gave-up') process.exitCode = 3;
  else process.exitCode = code ?? 1;
});
`,
  );
  chmodSync(path, 0o755);
  return path;
}

/** A shell wrapper that runs the real CLI as user nobody (the socket then refuses it: permission denied). */
export function writeNobodyWrapper(dir: string, realBin: string): string {
  const path = join(dir, 'docker-as-nobody.sh');
  writeFileSync(
    path,
    `#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups ${JSON.stringify(realBin)} "$@"\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

/**
 * Processes left behind: live `docker save -- <ref>` processes (by command line), and zombie children of
 * this process.
 */
export function leftovers(ref: string): string[] {
  const found: string[] = [];
  const needle = `save\0--\0${ref}\0`;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const state = after[0];
      const ppid = Number(after[1]);
      if (cmd.includes(needle) && state !== 'Z') found.push(`${pid} (live: ${cmd.replace(/\0/g, ' ').trim()})`);
      if (state === 'Z' && ppid === process.pid) found.push(`${pid} (zombie child)`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Wait until `check` returns an empty list (processes take a moment to be reaped), or give up. */
export async function settle(check: () => string[], ms = 5000): Promise<string[]> {
  const end = Date.now() + ms;
  let left = check();
  while (left.length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    left = check();
  }
  return left;
}
