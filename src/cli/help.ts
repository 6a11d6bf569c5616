/**
 * The CLI's help: `scanrook --help` (the commands), `scanrook <command> --help` (that command's
 * options), and the few lines of usage a usage error prints under its message. Each fits 100 columns.
 */
import { CLI_DEFAULTS } from '../settings/defaults.js';

const D = CLI_DEFAULTS;

export type HelpTopic = 'scanrook' | 'scan' | 'bin' | 'db' | 'db build' | 'db info' | 'db selftest';

const TOP = `scanrook: find vulnerable packages in a container image (the engine of the ScanRook action)

usage: scanrook <command> [options]

commands:
  scan <image-ref | archive.tar[.gz] | oci-layout-folder>   scan an image
  bin <file>                    scan one static binary (Go build info, Rust audit data, YARA)
  db build --from DIR --out FILE  build a vulnerability DB file from OSV data (air-gapped use)
  db info FILE                  what a DB file holds
  db selftest                   check the bundled SQLite engine
  --version                     print the version

Run \`scanrook <command> --help\` for its options.
exit codes: 0 pass (or warn), 1 fail by policy, 2 usage error, 3 the scan failed`;

const SCAN_OPTIONS = `output:
  --format table|json|sarif|markdown   what to print (default table; markdown: the job summary)
  -o, --output FILE              write it to FILE instead of stdout (the folder must exist)
  -q, --quiet                    no progress on stderr        -v, --verbose   more of it
what to scan:
  --mode light|deep              analysers to run (default ${D.mode}; deep adds lockfiles, jars, YARA)
  --platform OS/ARCH             image to pick from a multi-platform index (default ${D.platform})
  --ref REF                      image to pick from an archive holding several
  --max-image-size SIZE          e.g. 2GB or 512MiB, 0 = no limit (default ${D['max-image-size']})
  --max-packages N               0 = no limit (default ${D['max-packages']})
  --timeout DURATION             e.g. 15m, 0 = no limit (default ${D.timeout})
the verdict (as the action's inputs of the same names; lists repeat or take commas):
  --severity-threshold S         critical|high|medium|low|negligible|unknown|none (default ${D['severity-threshold']})
  --fixed-only-gate true|false   only findings with a fix fail (default ${D['fixed-only-gate']})
  --fail-on-kev true|false       a finding in CISA KEV fails whatever its severity (default ${D['fail-on-kev']})
  --epss-threshold P             a finding with an EPSS score >= P (0-1) fails (default none)
  --fail-on-status LIST          done, partial_failed, failed or none (default ${D['fail-on-status']})
  --warn-on-status LIST          (default ${D['warn-on-status']})
  --fail-on-reasons LIST         reason codes that fail whatever the status (default none)
  --warn-on-reasons LIST         reason codes that warn whatever the status (default none)
  --ignore-file FILE             suppressions (YAML: id, package/purl, reason, expires)
  --vex FILE                     OpenVEX not_affected/fixed statements suppress (repeatable)
vulnerability data:
  --db-path DIR|FILE             offline data: OSV's layout (<Ecosystem>/all.zip) or a DB file
  --db-url URL                   where to download OSV data (default: OSV's public bucket)
  --db-max-age DURATION          older data is refreshed, else reported vulndb_stale (default ${D['db-max-age']})
  --db-cache-dir DIR             keeps the DB between runs (default ~/.cache/scanrook)
  --no-db-cache                  do not keep or reuse a DB between runs
  --yara-rules DIR               your own YARA rules, run in deep mode next to the built-in set`;

const HELP: Record<HelpTopic, string> = {
  scanrook: TOP,
  scan: `usage: scanrook scan <image-ref | archive.tar[.gz] | oci-layout-folder> [options]

An existing file or folder, or a name ending in .tar/.tar.gz/.tgz, is read as an archive; anything
else is an image saved with \`docker save\`. Force either with docker:REF or file:PATH.

${SCAN_OPTIONS}

exit codes: 0 pass (or warn), 1 fail by policy, 2 usage error, 3 the scan failed`,
  bin: `usage: scanrook bin <file> [options]

One static binary outside any image: Go build info, Rust cargo-auditable data, YARA in deep mode.
Same options, report and exit codes as \`scanrook scan\` (--max-image-size limits the file).

${SCAN_OPTIONS}`,
  db: `usage: scanrook db <build | info | selftest> …

  db build --from DIR --out FILE   build a DB file from OSV data laid out as OSV publishes it
      [--nvd DIR] [--epss FILE] [--kev FILE]   join in NVD ratings, EPSS scores, the CISA KEV list
  db info FILE                     what a DB file holds (ecosystems, records, age)
  db selftest                      open an in-memory SQLite database (checks the bundled engine)

Run \`scanrook db <command> --help\` for one of them.`,
  'db build': `usage: scanrook db build --from DIR --out FILE [--nvd DIR] [--epss FILE] [--kev FILE]

Builds a DB file from OSV data laid out as OSV publishes it (<Ecosystem>/all.zip and/or *.json), for
\`scanrook scan --db-path FILE\` (or the action's \`db-path:\`) where there is no network.
  --nvd DIR      NVD / CVE 5 records: CVSS ratings for findings that lack one
  --epss FILE    FIRST EPSS scores (the daily CSV, gzipped or not)
  --kev FILE     the CISA Known Exploited Vulnerabilities catalogue (JSON)
exit codes: 0 built, 2 usage error, 3 the file could not be written`,
  'db info': `usage: scanrook db info FILE

What a DB file holds: its ecosystems, record counts and age.`,
  'db selftest': `usage: scanrook db selftest

Opens an in-memory SQLite database with the bundled engine and prints its version as JSON.`,
};

export function helpText(topic: HelpTopic): string {
  return HELP[topic];
}

/** The few lines a usage error prints under its message. */
export function shortUsage(topic: HelpTopic): string {
  const first = HELP[topic].split('\n').find((l) => l.startsWith('usage:')) ?? 'usage: scanrook <command> [options]';
  const more = topic === 'scanrook' ? 'scanrook --help' : `scanrook ${topic} --help`;
  return `${first}\nRun \`${more}\` for more.`;
}

export const COMMANDS = ['scan', 'bin', 'db', 'help', 'version', '--help', '--version'] as const;
export const DB_COMMANDS = ['build', 'info', 'selftest'] as const;
