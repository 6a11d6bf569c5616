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
import type { HelpTopic } from './cli/help.js';
import { COMMANDS, DB_COMMANDS, helpText, shortUsage } from './cli/help.js';
import { withCliHints } from './cli/hints.js';
import { checkInputPaths, checkOutputPath, renderOutput } from './cli/output.js';
import { didYouMean } from './cli/suggest.js';
import { TOOL_VERSION } from './model/version.js';
import type { PolicySettings } from './policy/verdict.js';
import type { ScanDeps } from './scan/ports.js';
import { argsError, SCAN_FLAGS, settingsFromFlags, UsageError, wantsHelp } from './settings/flags.js';
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
  const command = what === 'image' ? 'scan' : 'bin';
  if (wantsHelp(argv)) return help(command);
  const { settings, target, ref, format, output, quiet, verbose, dbCacheDir } = settingsFromFlags(
    argv,
    command,
    (typed) => didYouMean(typed, SCAN_FLAGS),
  );
  // Checked before the scan starts: an output that cannot be written, data that is not there.
  if (output) checkOutputPath('--output', output);
  checkInputPaths(settings);
  if (settings.mode !== 'deep') wasmBaselineOnly();
  youngGenerationAtInitialSize();
  const [{ defaultScanDeps }, { runScan }, { targetFromArgument }, { reportVerdict }, { DiskCacheStore }] =
    await scanEngine();
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
  // The gate's rules as the action's inputs give them (src/settings/: one parser, the same defaults).
  const { failOnStatus, warnOnStatus, failOnReasons, warnOnReasons, severityThreshold, fixedOnlyGate } = settings;
  const { failOnKev, epssThreshold } = settings;
  const policy: PolicySettings = {
    failOnStatus,
    warnOnStatus,
    failOnReasons,
    warnOnReasons,
    severityThreshold,
    fixedOnlyGate,
    failOnKev,
    epssThreshold,
  };
  const verdict = reportVerdict(report, policy);
  // Hints in the CLI's words (`--db-path`, not `db-path:`); the verdict is decided on the scan's own report.
  const text = await renderOutput(format, withCliHints(report), verdict);
  if (output) writeFileSync(output, text);
  else if (format === 'json' || format === 'sarif') process.stdout.write(text);
  else printText(text);
  if (progress) say(`verdict: ${verdict.verdict} — ${verdict.why}`);
  if (report.scan_status === 'failed') return EXIT.scanFailed;
  return verdict.verdict === 'fail' ? EXIT.fail : EXIT.pass;
}

async function dbCommand(argv: string[]): Promise<number> {
  const sub = argv[0];
  if (sub === undefined || sub === '--help' || sub === '-h') {
    if (sub === undefined) throw new UsageError('db needs a command: build, info or selftest');
    return help('db');
  }
  if (wantsHelp(argv.slice(1)) && (DB_COMMANDS as readonly string[]).includes(sub))
    return help(`db ${sub as (typeof DB_COMMANDS)[number]}`);
  wasmBaselineOnly();
  if (sub === 'selftest') {
    const { sqliteSelfTest } = await import(/* webpackMode: "eager" */ './vulndb/sqlite.js');
    const r = await sqliteSelfTest();
    process.stdout.write(JSON.stringify({ ok: true, sqlite_version: r.sqliteVersion, wasm: r.wasm }) + '\n');
    return EXIT.pass;
  }
  if (sub === 'build') {
    const options = {
      from: { type: 'string' },
      out: { type: 'string' },
      nvd: { type: 'string' },
      epss: { type: 'string' },
      kev: { type: 'string' },
    } as const;
    let values: { from?: string; out?: string; nvd?: string; epss?: string; kev?: string };
    try {
      values = parseArgs({ args: argv.slice(1), options }).values;
    } catch (e) {
      const known = [...Object.keys(options), 'help'].map((o) => `--${o}`);
      throw argsError(e, (typed) => didYouMean(typed, known)) ?? e;
    }
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
  throw new UsageError(`unknown db command "${sub}"${didYouMean(sub, DB_COMMANDS)} (available: build, info, selftest)`);
}

/** `--help` of a command: its help on stdout, exit 0. */
function help(topic: HelpTopic): number {
  process.stdout.write(`${helpText(topic)}\n`);
  return EXIT.pass;
}

/** The help topic a usage error's short usage is taken from. */
function topicOf(argv: readonly string[]): HelpTopic {
  const [cmd, sub] = argv;
  if (cmd === 'scan' || cmd === 'bin') return cmd;
  if (cmd === 'db') return sub === 'build' || sub === 'info' || sub === 'selftest' ? `db ${sub}` : 'db';
  return 'scanrook';
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
    if (cmd === '--help' || cmd === '-h') return help('scanrook');
    if (cmd === 'help') {
      // `scanrook help scan`, `scanrook help db build`
      const topic = rest.length ? topicOf(rest) : 'scanrook';
      if (rest.length && topic === 'scanrook')
        throw new UsageError(`no help for "${rest.join(' ')}"${didYouMean(rest[0]!, COMMANDS)}`);
      return help(topic);
    }
    throw new UsageError(cmd ? `unknown command "${cmd}"${didYouMean(cmd, COMMANDS)}` : 'no command given');
  } catch (e) {
    const usage = e instanceof UsageError ? e : argsError(e, () => '');
    if (usage) {
      // The message and a few lines of usage (the full help is one --help away).
      process.stderr.write(`${safeLine(`scanrook: ${usage.message}`)}\n${shortUsage(topicOf(argv))}\n`);
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
