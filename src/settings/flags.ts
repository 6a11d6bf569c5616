/**
 * The CLI's `scan` and `bin` arguments → Settings, plus what only the CLI has (the target argument, output
 * format and file, progress, the cache folder). A flag that is a setting carries the setting's name (`--mode`,
 * `--db-max-age`; `--no-db-cache` is `db-cache: false`) and goes through parseSettings with CLI_DEFAULTS, so
 * it takes what the action's input takes (the gate's rules too: `--fail-on-status`, `--warn-on-reasons`,
 * `--fixed-only-gate`, …); a bad one is a UsageError naming the flag. `--help`/`-h` is the caller's (wantsHelp).
 */
import { parseArgs } from 'node:util';
import type { Settings } from '../model/settings.js';
import { CLI_DEFAULTS } from './defaults.js';
import { parseSettings } from './parse.js';
import { InputError, parseChoice } from './values.js';

/** A command line the CLI cannot run: it prints `scanrook: <message>` and a short usage, and exits 2. */
export class UsageError extends Error {
  /** The parseArgs code behind it, when there is one (`ERR_PARSE_ARGS_UNKNOWN_OPTION`). */
  code?: string;
}

/** What `--format` takes: the table a person reads, the JSON report, SARIF 2.1.0, the job summary's markdown. */
export const CLI_FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;
export type CliFormat = (typeof CLI_FORMATS)[number];

export interface CliScan {
  settings: Settings;
  /** The one argument: an image reference, archive or OCI folder (`scan`), a file (`bin`). */
  target: string;
  /** --ref: the image to pick from an archive holding several. */
  ref: string | undefined;
  format: CliFormat;
  output: string | undefined;
  quiet: boolean;
  verbose: boolean;
  dbCacheDir: string | undefined;
}

/** Flags spelled as the settings they set, each taking one value. */
const SETTING_FLAGS = [
  'mode',
  'platform',
  'max-image-size',
  'max-packages',
  'timeout',
  'severity-threshold',
  'fixed-only-gate',
  'fail-on-kev',
  'epss-threshold',
  'db-path',
  'db-url',
  'db-max-age',
  'ignore-file',
  'yara-rules',
] as const;
/**
 * The gate's list settings: repeatable, and each value split at commas as the action's input is
 * (`--fail-on-status failed,partial_failed` = `--fail-on-status failed --fail-on-status partial_failed`).
 */
const LIST_FLAGS = ['fail-on-status', 'warn-on-status', 'fail-on-reasons', 'warn-on-reasons'] as const;

const OPTIONS = {
  mode: { type: 'string' },
  platform: { type: 'string' },
  'max-image-size': { type: 'string' },
  'max-packages': { type: 'string' },
  timeout: { type: 'string' },
  'severity-threshold': { type: 'string' },
  'fixed-only-gate': { type: 'string' },
  'fail-on-kev': { type: 'string' },
  'epss-threshold': { type: 'string' },
  'db-path': { type: 'string' },
  'db-url': { type: 'string' },
  'db-max-age': { type: 'string' },
  'ignore-file': { type: 'string' },
  'yara-rules': { type: 'string' },
  'fail-on-status': { type: 'string', multiple: true, default: [] as string[] },
  'warn-on-status': { type: 'string', multiple: true, default: [] as string[] },
  'fail-on-reasons': { type: 'string', multiple: true, default: [] as string[] },
  'warn-on-reasons': { type: 'string', multiple: true, default: [] as string[] },
  ref: { type: 'string' },
  format: { type: 'string', default: 'table' },
  output: { type: 'string', short: 'o' },
  'db-cache-dir': { type: 'string' },
  'no-db-cache': { type: 'boolean', default: false },
  vex: { type: 'string', multiple: true, default: [] as string[] },
  quiet: { type: 'boolean', short: 'q', default: false },
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Every flag `scan` and `bin` take, as typed (`--mode`), for "did you mean". */
export const SCAN_FLAGS: readonly string[] = Object.keys(OPTIONS).map((f) => `--${f}`);

/** True when the arguments ask for help (`--help` or `-h` before any `--`): help wins over every other problem. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/**
 * parseArgs's own errors as usage errors in our words: an unknown flag with the closest known one, a flag
 * without its value. `suggest` gives " (did you mean --x?)" or ''.
 */
export function argsError(e: unknown, suggest: (typed: string) => string): UsageError | null {
  const code = (e as { code?: string }).code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) return null;
  const msg = e instanceof Error ? e.message : String(e);
  let text = msg;
  const unknown = /^Unknown option '([^']*)'/.exec(msg);
  const missing = /^Option '(-[^' ]*)(?:, (--[^' ]*))? <value>' argument missing/.exec(msg);
  const positional = /^Unexpected argument '([^']*)'/.exec(msg);
  if (unknown) text = `unknown option ${unknown[1]}${suggest(unknown[1]!.replace(/=.*$/, ''))}`;
  else if (missing) text = `${missing[2] ?? missing[1]} needs a value`;
  else if (positional) text = `unexpected argument ${positional[1]}`;
  const u = new UsageError(text);
  u.code = code;
  return u;
}

export function settingsFromFlags(
  argv: string[],
  command: 'scan' | 'bin' = 'scan',
  suggest: (typed: string) => string = () => '',
): CliScan {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    throw argsError(e, suggest) ?? e;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new UsageError(
      command === 'scan'
        ? `scan takes exactly one image reference or path, got ${positionals.length}`
        : `bin takes exactly one file, got ${positionals.length}`,
    );
  }
  const flag = (name: string): string | readonly string[] => {
    if (name === 'vex') return values.vex;
    if (name === 'db-cache') return values['no-db-cache'] ? 'false' : '';
    // As one text, split at commas and line breaks exactly as the action's input is.
    if ((LIST_FLAGS as readonly string[]).includes(name)) return values[name as (typeof LIST_FLAGS)[number]].join('\n');
    return (SETTING_FLAGS as readonly string[]).includes(name)
      ? (values[name as (typeof SETTING_FLAGS)[number]] ?? '')
      : '';
  };
  let settings: Settings;
  let format: CliFormat;
  try {
    settings = parseSettings(flag, { nameOf: (setting) => `--${setting}`, defaults: CLI_DEFAULTS });
    format = parseChoice('--format', values.format, CLI_FORMATS);
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }
  return {
    settings,
    target: positionals[0]!,
    ref: values.ref,
    format,
    output: values.output,
    quiet: values.quiet,
    verbose: values.verbose,
    dbCacheDir: values['db-cache-dir'],
  };
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
}
