/**
 * The system tools the tests use as oracles (the package managers' and languages' own readers and
 * comparators), each with the Debian package that installs it. `haveOracle(name)` is the one gate every
 * oracle test uses: true when the tool answers; when it does not, false outside CI (the tests skip, and the
 * run ends with one line per missing oracle, `skip: rpm is missing (apt-get install rpm): N skipped tests in
 * M files: …`), and a thrown error with CI set (`.ci/run` and the test workflow install them all). A unit-tier
 * file may not ask.
 * An oracle wrapper never answers for a missing tool: it asks here first, or throws.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { missing, refuseInUnitTier } from './skips.js';

export const MAVEN_ARTIFACT_JAR = '/usr/share/maven/lib/maven-artifact-3.x.jar';

export type OracleName =
  | 'rpm'
  | 'go'
  | 'bundler'
  | 'cmark-gfm'
  | 'python3-apt'
  | 'maven'
  | 'docker'
  | 'dpkg'
  | 'python3-packaging';

interface Oracle {
  /** What the skip line says is needed. */
  what: string;
  /** The Debian package that brings it. */
  apt: string;
  /** True when the tool answers. */
  probe: () => boolean;
}

/** The command runs and exits 0. */
function answers(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
  return !r.error && r.status === 0;
}

export const ORACLES: Record<OracleName, Oracle> = {
  rpm: { what: 'rpm', apt: 'rpm', probe: () => answers('rpm', ['--version']) },
  go: { what: 'go', apt: 'golang-go', probe: () => answers('go', ['version']) },
  bundler: {
    what: "Ruby's Bundler",
    apt: 'ruby-bundler',
    probe: () => answers('ruby', ['-rbundler', '-e', 'Bundler::LockfileParser']),
  },
  'cmark-gfm': { what: 'cmark-gfm', apt: 'cmark-gfm', probe: () => answers('cmark-gfm', ['--version']) },
  'python3-apt': {
    what: "libapt's comparator (apt_pkg for /usr/bin/python3)",
    apt: 'python3-apt',
    probe: () => answers('/usr/bin/python3', ['-c', 'import apt_pkg']),
  },
  maven: {
    what: `maven's ${MAVEN_ARTIFACT_JAR} and java`,
    apt: 'maven',
    probe: () => existsSync(MAVEN_ARTIFACT_JAR) && answers('java', ['-version']),
  },
  docker: { what: 'the docker CLI', apt: 'docker.io', probe: () => answers('docker', ['--version']) },
  dpkg: { what: 'dpkg', apt: 'dpkg', probe: () => answers('dpkg', ['--version']) },
  'python3-packaging': {
    what: "python3 with 'packaging'",
    apt: 'python3-packaging',
    probe: () => answers('python3', ['-c', 'import packaging']),
  },
};

const known = new Map<OracleName, boolean>();

/**
 * True when the oracle is installed. Outside CI a missing one is noted for the end-of-run skip line and
 * false is returned (gate the tests with it: `describe.runIf(haveOracle('rpm'))`); with CI set it throws.
 */
export function haveOracle(name: OracleName): boolean {
  refuseInUnitTier(ORACLES[name].what, 'oracle');
  let ok = known.get(name);
  if (ok === undefined) {
    ok = ORACLES[name].probe();
    known.set(name, ok);
  }
  if (!ok) missing(name, ORACLES[name].what, `apt-get install ${ORACLES[name].apt}`);
  return ok;
}

/** For an oracle wrapper: throws, naming the package, when the oracle is missing (never an empty answer). */
export function requireOracle(name: OracleName): void {
  let ok = known.get(name);
  if (ok === undefined) {
    ok = ORACLES[name].probe();
    known.set(name, ok);
  }
  if (!ok)
    throw new Error(
      `${ORACLES[name].what} is needed here (apt-get install ${ORACLES[name].apt}); gate the test with haveOracle('${name}')`,
    );
}
