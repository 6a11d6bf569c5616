/**
 * The CLI's `scan` and `bin` arguments → Settings, plus what only the CLI has (the target argument, output
 * format and file, progress, the cache folder). A flag that is a setting carries the setting's name (`--mode`,
 * `--db-max-age`; `--no-db-cache` is `db-cache: false`) and goes through parseSettings with CLI_DEFAULTS, so
 * it takes what the action's input takes; a bad one is a UsageError naming the flag.
 */
import { parseArgs } from 'node:util';
import type { Settings } from '../model/settings.js';
import { CLI_DEFAULTS } from './defaults.js';
import { parseSettings } from './parse.js';
import { InputError } from './values.js';

/** A command line the CLI cannot run: it prints `scanrook: <message>` and its usage, and exits 2. */
export class UsageError extends Error {}

export interface CliScan {
  settings: Settings;
  /** The one argument: an image reference, archive or OCI folder (`scan`), a file (`bin`). */
  target: string;
  /** --ref: the image to pick from an archive holding several. */
  ref: string | undefined;
  format: 'json' | 'table';
  output: string | undefined;
  quiet: boolean;
  verbose: boolean;
  dbCacheDir: string | undefined;
}

/** Flags spelled as the settings they set. */
const SETTING_FLAGS = [
  'mode',
  'platform',
  'max-image-size',
  'max-packages',
  'timeout',
  'severity-threshold',
  'db-path',
  'db-url',
  'db-max-age',
  'ignore-file',
  'yara-rules',
] as const;

export function settingsFromFlags(argv: string[], command: 'scan' | 'bin' = 'scan'): CliScan {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...(Object.fromEntries(SETTING_FLAGS.map((f) => [f, { type: 'string' }])) as Record<
        (typeof SETTING_FLAGS)[number],
        { type: 'string' }
      >),
      ref: { type: 'string' },
      format: { type: 'string', default: 'table' },
      output: { type: 'string', short: 'o' },
      'db-cache-dir': { type: 'string' },
      'no-db-cache': { type: 'boolean', default: false },
      vex: { type: 'string', multiple: true, default: [] },
      quiet: { type: 'boolean', short: 'q', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
    },
  });
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
    return (SETTING_FLAGS as readonly string[]).includes(name)
      ? (values[name as (typeof SETTING_FLAGS)[number]] ?? '')
      : '';
  };
  let settings: Settings;
  try {
    settings = parseSettings(flag, { nameOf: (setting) => `--${setting}`, defaults: CLI_DEFAULTS });
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }
  const format = values.format;
  if (format !== 'json' && format !== 'table') throw new UsageError(`--format must be json or table, got "${format}"`);
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
