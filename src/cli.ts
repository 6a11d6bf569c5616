#!/usr/bin/env node
/**
 * `scanrook` for local use: the same engine as the action.
 *   scanrook scan <image-ref|archive|oci-folder> [options]
 *   scanrook db selftest
 * Exit codes: 0 pass (or warn), 1 fail by policy, 2 usage error, 3 the scan failed (status `failed`) or a
 * `db` command could not finish.
 */
import { statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TOOL_VERSION } from './model/version.js';
import type { PolicySettings } from './policy/verdict.js';
import { reportJson } from './report/json.js';
import type { ScanDeps } from './scan/ports.js';
import { CLI_DEFAULTS } from './settings/defaults.js';
import { settingsFromFlags, UsageError } from './settings/flags.js';
import { binaryScanOptionsOf, scanOptionsOf } from './settings/scan-options.js';
import { errorText } from './util/error-text.js';
import type { Logger } from './util/logger.js';
import { safeLine, safeLines } from './util/safe-line.js';
import { wasmBaselineOnly, youngGenerationAtInitialSize } from './util/v8-flags.js';
import { defaultCacheDir } from './vulndb/cache.js';

// Start-up: only the modules above (argument parsing, usage text) are evaluated when the CLI starts. Each
// command loads what it uses when it runs: `import()` in "eager" mode keeps them in the one bundled file
// (no chunk files for the build to ship) but defers their evaluation, so `--help`, `--version` and `db`
// commands skip the scan engine, and a scan skips the DB-building, binary and table code it does not use.
const scanEngine = () =>
  Promise.all([
    import(/* webpackMode: "eager" */ './scan/deps.js'),
    import(/* webpackMode: "eager" */ './scan/run.js'),
    import(/* webpackMode: "eager" */ './scan/target.js'),
    import(/* webpackMode: "eager" */ './policy/verdict.js'),
    import(/* webpackMode: "eager" */ './vulndb/cache.js'),
  ]);
/** Only with --ignore-file or --vex: the YAML parser it brings costs every other scan ~3 ms of start-up. */
const suppressModules = () =>
  Promise.all([
    import(/* webpackMode: "eager" */ './policy/suppress/files.js'),
    import(/* webpackMode: "eager" */ './policy/suppress/types.js'),
  ]);
const vulndbModule = () => import(/* webpackMode: "eager" */ './vulndb/index.js');

export const EXIT = { pass: 0, fail: 1, usage: 2, scanFailed: 3 } as const;

const D = CLI_DEFAULTS;
const USAGE = `usage:
  scanrook scan <image-ref | archive.tar[.gz] | oci-layout-folder> [options]
      --mode light|deep         analysers to run (default ${D.mode})
      --platform OS/ARCH        image to pick from a multi-platform index (default ${D.platform})
      --ref REF                 image to pick from an archive holding several
      --format json|table       output format (default table)
      --output FILE             write the output to FILE instead of stdout
      --max-image-size SIZE     e.g. 2GB, 0 = no limit (default ${D['max-image-size']})
      --max-packages N          0 = no limit (default ${D['max-packages']})
      --timeout DURATION        e.g. 15m, 0 = no limit (default ${D.timeout})
      --severity-threshold S    critical|high|medium|low|negligible|unknown|none (default ${D['severity-threshold']})
      --db-path DIR|FILE        offline vulnerability data: a folder laid out as OSV publishes it
                                (<Ecosystem>/all.zip, loose *.json) or a DB built by \`scanrook db build\`
      --db-url URL              where to download OSV data (default ${D['db-url']})
      --db-max-age DURATION     older data is refreshed, else reported vulndb_stale (default ${D['db-max-age']}, 0 = never)
      --db-cache-dir DIR        keeps the DB between runs (default ${defaultCacheDir()})
      --no-db-cache             do not keep or reuse a DB between runs
      --ignore-file FILE        suppressions (YAML: id, package/purl, reason, expires)
      --vex FILE                OpenVEX document whose not_affected/fixed statements suppress (repeatable)
      --yara-rules DIR          your own YARA rules, run in deep mode next to the built-in set
      --quiet                   no progress on stderr
    An argument that names an existing file or folder, or ends in .tar/.tar.gz/.tgz, is read as an archive;
    anything else is an image reference saved with \`docker save\`. Force either with docker:REF or file:PATH.
  scanrook bin <file> [options]  one static binary outside any image: Go build info, Rust audit data, and
                                YARA in deep mode; same options, report and exit codes as scan
  scanrook db build --from DIR --out FILE   build a DB file from OSV data laid out as OSV publishes it
      [--nvd DIR] [--epss FILE] [--kev FILE]  join in NVD / CVE 5 CVSS ratings, FIRST EPSS scores (daily CSV,
                                gzipped or not) and the CISA KEV catalogue, for findings that lack a rating
  scanrook db info FILE         what a DB file holds (ecosystems, records, age)
  scanrook db selftest          open an in-memory SQLite database (checks the bundled engine)
  scanrook --version
exit codes: 0 pass (or warn), 1 fail by policy, 2 usage error, 3 the scan failed`;

/** One line on stderr, through safeLine (src/util/safe-line.ts): messages carry text read from the image. */
function say(line: string): void {
  process.stderr.write(`${safeLine(line)}\n`);
}

/** Text for a person on stdout (the table, `db info`), each line through safeLine; unchanged when ordinary. */
function printText(text: string): void {
  process.stdout.write(text.split('\n').map(safeLine).join('\n'));
}

function stderrLogger(verbose: boolean): Logger {
  return {
    debug: (m) => {
      if (verbose) say(`debug: ${m}`);
    },
    info: (m) => {
      if (verbose) say(m);
    },
    warn: (m) => say(`warning: ${m}`),
    error: (m) => say(`error: ${m}`),
  };
}

async function scanCommand(argv: string[], what: 'image' | 'binary' = 'image'): Promise<number> {
  const { settings, target, ref, format, output, quiet, verbose, dbCacheDir } = settingsFromFlags(
    argv,
    what === 'image' ? 'scan' : 'bin',
  );
  if (settings.mode !== 'deep') wasmBaselineOnly();
  youngGenerationAtInitialSize();
  const [
    { defaultScanDeps },
    { runScan },
    { targetFromArgument },
    { reportVerdict, DEFAULT_POLICY },
    { DiskCacheStore },
  ] = await scanEngine();
  const input = targetFromArgument(target, ref);
  const logger = stderrLogger(verbose);
  const progress = !quiet;
  // No suppression files: nothing to load, and findings pass unchanged (what `suppressor` gives for no rules).
  let suppress: NonNullable<ScanDeps['suppress']> = (findings) => findings;
  if (settings.ignoreFile !== null || settings.vex.length > 0) {
    const [{ formatProblem, loadSuppressionFiles, suppressor }, { hasErrors }] = await suppressModules();
    const suppressions = loadSuppressionFiles(settings.ignoreFile, settings.vex);
    for (const p of suppressions.problems) say(formatProblem(p));
    if (hasErrors(suppressions.problems))
      throw new UsageError(
        'the suppression files have errors (above): fix them, or nothing can be trusted to be suppressed as you meant',
      );
    suppress = suppressor(suppressions.rules, logger);
  }
  const { dbPath, dbUrl, dbCache, dbMaxAge } = settings;
  const deps = defaultScanDeps(
    logger,
    {
      settings: { dbPath, dbUrl, dbCache, dbMaxAge },
      cache: dbCache ? new DiskCacheStore(dbCacheDir ?? defaultCacheDir()) : null,
    },
    {
      suppress,
      ...(progress ? { onEvent: (e) => say(`[${e.stage}] ${e.status}: ${e.message}`) } : {}),
      ...(progress ? { onProgress: (m: string) => say(`  ${m}`) } : {}),
    },
  );
  const report =
    what === 'image'
      ? await runScan(input, scanOptionsOf(settings), deps)
      : await (await import(/* webpackMode: "eager" */ './bin/scan-binary.js')).scanBinary(
          target,
          binaryScanOptionsOf(settings),
          deps,
        );
  const policy: PolicySettings = { ...DEFAULT_POLICY, severityThreshold: settings.severityThreshold };
  const verdict = reportVerdict(report, policy);
  const text =
    format === 'json'
      ? reportJson(report)
      : (await import(/* webpackMode: "eager" */ './report/table/render.js')).renderTable(report, verdict);
  if (output) writeFileSync(output, text);
  else if (format === 'json') process.stdout.write(text);
  else printText(text);
  if (progress) say(`verdict: ${verdict.verdict} — ${verdict.why}`);
  if (report.scan_status === 'failed') return EXIT.scanFailed;
  return verdict.verdict === 'fail' ? EXIT.fail : EXIT.pass;
}

async function dbCommand(argv: string[]): Promise<number> {
  const sub = argv[0];
  wasmBaselineOnly();
  if (sub === 'selftest') {
    const { sqliteSelfTest } = await import(/* webpackMode: "eager" */ './vulndb/sqlite.js');
    const r = await sqliteSelfTest();
    process.stdout.write(JSON.stringify({ ok: true, sqlite_version: r.sqliteVersion, wasm: r.wasm }) + '\n');
    return EXIT.pass;
  }
  if (sub === 'build') {
    const { values } = parseArgs({
      args: argv.slice(1),
      options: {
        from: { type: 'string' },
        out: { type: 'string' },
        nvd: { type: 'string' },
        epss: { type: 'string' },
        kev: { type: 'string' },
      },
    });
    if (!values.from || !values.out) throw new UsageError('db build needs --from DIR and --out FILE');
    let isDir = false;
    try {
      isDir = statSync(values.from).isDirectory();
    } catch {
      /* reported below */
    }
    if (!isDir)
      throw new UsageError(
        `--from ${values.from} is not a folder (expected OSV data: <Ecosystem>/all.zip and/or *.json)`,
      );
    const { buildDbFromFolder, dbInfo, formatDbInfo, openDb, readEnrichment, writeDbFile } = await vulndbModule();
    let enrichment: Awaited<ReturnType<typeof readEnrichment>>;
    try {
      enrichment = await readEnrichment({ nvd: values.nvd, epss: values.epss, kev: values.kev });
    } catch (e) {
      say(`scanrook: db build: ${errorText(e)}`);
      return EXIT.scanFailed;
    }
    const bytes = await buildDbFromFolder(values.from, { source: values.from, enrichment });
    try {
      // Awaited: a full disk is reported here, with the partial file removed, before any success is printed.
      await writeDbFile(values.out, bytes);
    } catch (e) {
      say(`scanrook: db build: cannot write ${values.out}: ${errorText(e)}`);
      return EXIT.scanFailed;
    }
    const db = await openDb(bytes, values.out);
    printText(formatDbInfo(dbInfo(db, bytes.length)) + '\n');
    db.close();
    return EXIT.pass;
  }
  if (sub === 'info') {
    const file = argv[1];
    if (!file) throw new UsageError('db info needs a DB file');
    const { dbInfo, formatDbInfo, readDbFile } = await vulndbModule();
    const db = await readDbFile(file);
    printText(formatDbInfo(dbInfo(db, statSync(file).size)) + '\n');
    db.close();
    return EXIT.pass;
  }
  throw new UsageError(`unknown db command "${sub ?? ''}" (available: build, info, selftest)`);
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'scan') return await scanCommand(rest);
    if (cmd === 'bin') return await scanCommand(rest, 'binary');
    if (cmd === 'db') return await dbCommand(rest);
    if (cmd === '--version' || cmd === 'version') {
      process.stdout.write(`scanrook ${TOOL_VERSION}\n`);
      return EXIT.pass;
    }
    if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(USAGE + '\n');
      return EXIT.pass;
    }
    throw new UsageError(cmd ? `unknown command "${cmd}"` : 'no command given');
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${safeLine(`scanrook: ${(e as Error).message}`)}\n${USAGE}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    // A stack is several lines we built; each is printed as a safe line (its message may quote the image).
    for (const line of safeLines(
      `scanrook: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    ))
      process.stderr.write(`${line}\n`);
    process.exitCode = EXIT.scanFailed;
  },
);
