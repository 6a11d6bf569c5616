/**
 * The action's inputs and the CLI's flags go through the one settings parser: the same value, given as an
 * input or as a flag, gives the same Settings, and a refused value the same error (naming the input `mode` for
 * the action, the flag `--mode` for the CLI). Each row is fed to both front ends.
 */
import { describe, expect, it } from 'vitest';
import { InputError, parseInputs } from '../../src/action/inputs.js';
import type { Settings } from '../../src/model/settings.js';
import { DEFAULT_DB_URL, DEFAULT_PLATFORM } from '../../src/model/settings.js';
import { CLI_DEFAULTS, SETTING_DEFAULTS } from '../../src/settings/defaults.js';
import { settingsFromFlags, UsageError, wantsHelp } from '../../src/settings/flags.js';
import { parseMode } from '../../src/settings/parse.js';
import { PLATFORM_ACCEPTS } from '../../src/settings/platform.js';
import { DURATION_ACCEPTS, SIZE_ACCEPTS } from '../../src/settings/values.js';

/** A row: the setting, its value as an action input, and the same value as CLI arguments. */
interface Given {
  setting: string;
  input: string;
  flags: string[];
}
const one = (setting: string, value: string): Given => ({ setting, input: value, flags: [`--${setting}`, value] });

/** What the CLI can set: the Settings fields a flag reaches (everything else is the default on both sides). */
const CLI_FIELDS = [
  'platform',
  'mode',
  'severityThreshold',
  'fixedOnlyGate',
  'failOnKev',
  'epssThreshold',
  'failOnStatus',
  'warnOnStatus',
  'failOnReasons',
  'warnOnReasons',
  'ignoreFile',
  'vex',
  'dbCache',
  'dbPath',
  'dbUrl',
  'dbMaxAge',
  'yaraRules',
  'maxImageSize',
  'maxPackages',
  'timeout',
] as const satisfies readonly (keyof Settings)[];

function viaAction(given: Given[]): Settings {
  const inputs: Record<string, string> = { image: 'app:1' };
  for (const g of given) inputs[g.setting] = g.input;
  // As core.getInput without action.yml: '' for what is not given, so the parser's own defaults apply.
  return parseInputs((name) => inputs[name] ?? '');
}

function viaCli(given: Given[]): Settings {
  return settingsFromFlags(['app:1', ...given.flatMap((g) => g.flags)]).settings;
}

const pick = (s: Settings) => Object.fromEntries(CLI_FIELDS.map((f) => [f, s[f]]));

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
  }
  throw new Error('expected an error, nothing was thrown');
}

describe('the same value as an action input and as a CLI flag gives the same Settings', () => {
  const rows: [what: string, given: Given[], expected: Partial<Settings>][] = [
    ['mode Deep', [one('mode', 'Deep')], { mode: 'deep' }],
    ['mode DEEP', [one('mode', 'DEEP')], { mode: 'deep' }],
    ['mode padded', [one('mode', ' deep ')], { mode: 'deep' }],
    ['mode light', [one('mode', 'Light')], { mode: 'light' }],
    ['mode empty = default', [one('mode', '')], { mode: 'light' }],
    ['threshold HIGH', [one('severity-threshold', 'HIGH')], { severityThreshold: 'high' }],
    ['threshold None', [one('severity-threshold', 'None')], { severityThreshold: 'none' }],
    ['threshold unknown', [one('severity-threshold', 'unknown')], { severityThreshold: 'unknown' }],
    ['platform linux/arm/v7', [one('platform', 'linux/arm/v7')], { platform: 'linux/arm/v7' }],
    ['platform upper case', [one('platform', 'Linux/ARM64/v8')], { platform: 'linux/arm64/v8' }],
    ['platform windows/amd64', [one('platform', 'windows/amd64')], { platform: 'windows/amd64' }],
    ['platform with dots', [one('platform', 'linux/ppc64le')], { platform: 'linux/ppc64le' }],
    ['timeout 90s', [one('timeout', '90s')], { timeout: 90 }],
    ['timeout 1h30m', [one('timeout', '1h30m')], { timeout: 5400 }],
    ['timeout 1.5H', [one('timeout', '1.5H')], { timeout: 5400 }],
    ['timeout plain seconds', [one('timeout', '600')], { timeout: 600 }],
    ['timeout 0', [one('timeout', '0')], { timeout: 0 }],
    ['db-max-age 3d', [one('db-max-age', '3d')], { dbMaxAge: 3 * 86400 }],
    ['db-max-age 0', [one('db-max-age', '0')], { dbMaxAge: 0 }],
    ['size 512MB', [one('max-image-size', '512MB')], { maxImageSize: 512e6 }],
    ['size 2GiB', [one('max-image-size', '2GiB')], { maxImageSize: 2 * 1024 ** 3 }],
    ['size 1.5g', [one('max-image-size', '1.5g')], { maxImageSize: 1.5e9 }],
    ['size plain bytes', [one('max-image-size', '1024')], { maxImageSize: 1024 }],
    ['count', [one('max-packages', '50000')], { maxPackages: 50000 }],
    [
      'db-url, trailing slash dropped',
      [one('db-url', 'http://127.0.0.1:8080/osv/')],
      { dbUrl: 'http://127.0.0.1:8080/osv' },
    ],
    [
      'paths',
      [one('ignore-file', '.scanrook-ignore.yml'), one('db-path', '/opt/db'), one('yara-rules', 'rules')],
      { ignoreFile: '.scanrook-ignore.yml', dbPath: '/opt/db', yaraRules: 'rules' },
    ],
    [
      'vex list',
      [{ setting: 'vex', input: 'a.json\nb.json', flags: ['--vex', 'a.json', '--vex', 'b.json'] }],
      { vex: ['a.json', 'b.json'] },
    ],
    [
      'vex list, duplicates once',
      [{ setting: 'vex', input: 'a.json, a.json', flags: ['--vex', 'a.json', '--vex', ' a.json'] }],
      { vex: ['a.json'] },
    ],
    ['db cache off', [{ setting: 'db-cache', input: 'false', flags: ['--no-db-cache'] }], { dbCache: false }],
    ['fixed-only-gate No', [one('fixed-only-gate', 'No')], { fixedOnlyGate: false }],
    ['fail-on-kev Yes', [one('fail-on-kev', 'Yes')], { failOnKev: true }],
    ['epss-threshold 0.25', [one('epss-threshold', '0.25')], { epssThreshold: 0.25 }],
    ['fail-on-status DONE', [one('fail-on-status', 'DONE')], { failOnStatus: ['done'] }],
    [
      'fail-on-status list, commas',
      [one('fail-on-status', 'failed, Partial_Failed')],
      { failOnStatus: ['failed', 'partial_failed'] },
    ],
    [
      'fail-on-status list, repeated flag',
      [
        {
          setting: 'fail-on-status',
          input: 'failed\ndone',
          flags: ['--fail-on-status', 'failed', '--fail-on-status', 'done'],
        },
      ],
      { failOnStatus: ['failed', 'done'] },
    ],
    ['warn-on-status none', [one('warn-on-status', 'none')], { warnOnStatus: [] }],
    ['fail-on-reasons', [one('fail-on-reasons', 'vulndb_stale,OS_EOL')], { failOnReasons: ['vulndb_stale', 'os_eol'] }],
    ['warn-on-reasons', [one('warn-on-reasons', 'unsupported_os')], { warnOnReasons: ['unsupported_os'] }],
  ];

  it.each(rows)('%s', (_what, given, expected) => {
    const action = viaAction(given);
    const cli = viaCli(given);
    expect(pick(action)).toMatchObject(expected);
    // The timeout default is the one difference between the front ends (CLI_DEFAULTS): give it to compare the rest.
    const timeout = given.some((g) => g.setting === 'timeout') ? [] : [one('timeout', '15m')];
    expect(pick(viaCli([...given, ...timeout]))).toEqual(pick(viaAction(given)));
    expect(pick(cli)).toMatchObject(expected);
  });

  it('defaults are the same but for the timeout (a CI job has one, a local scan none)', () => {
    expect(pick(viaAction([]))).toEqual({ ...pick(viaCli([])), timeout: 15 * 60 });
    expect(pick(viaCli([]))).toEqual({
      platform: DEFAULT_PLATFORM,
      mode: 'light',
      severityThreshold: 'high',
      fixedOnlyGate: true,
      failOnKev: false,
      epssThreshold: null,
      failOnStatus: ['failed'],
      warnOnStatus: ['partial_failed'],
      failOnReasons: [],
      warnOnReasons: [],
      ignoreFile: null,
      vex: [],
      dbCache: true,
      dbPath: null,
      dbUrl: DEFAULT_DB_URL,
      dbMaxAge: 3 * 86400,
      yaraRules: null,
      maxImageSize: 0,
      maxPackages: 0,
      timeout: 0,
    });
    expect(Object.keys(CLI_DEFAULTS).filter((k) => CLI_DEFAULTS[k] !== SETTING_DEFAULTS[k])).toEqual(['timeout']);
    expect(Object.keys(CLI_DEFAULTS)).toEqual(Object.keys(SETTING_DEFAULTS));
  });

  it('the settings the CLI has no flag for are the action defaults', () => {
    const cli = viaCli([]);
    const action = viaAction([one('timeout', '0')]);
    expect({ ...cli, images: action.images }).toEqual(action);
    expect(cli.images).toEqual([]);
    expect(cli.imageTars).toEqual([]);
  });
});

describe('a refused value is the same error from both front ends, naming the input or the flag', () => {
  const rows: [given: Given, accepts: string, rejected?: string][] = [
    [one('mode', 'fast'), '"light" or "deep"'],
    [one('mode', 'deeper'), '"light" or "deep"'],
    [
      one('severity-threshold', 'severe'),
      'one of "critical", "high", "medium", "low", "negligible", "unknown", "none"',
    ],
    [
      one('severity-threshold', 'high,critical'),
      'one of "critical", "high", "medium", "low", "negligible", "unknown", "none"',
    ],
    [one('platform', 'linux'), PLATFORM_ACCEPTS],
    [one('platform', 'amd64'), PLATFORM_ACCEPTS],
    [one('platform', 'linux/amd64/v8/x'), PLATFORM_ACCEPTS],
    [one('platform', 'linux/ amd64'), PLATFORM_ACCEPTS],
    [one('platform', 'linux/_amd64'), PLATFORM_ACCEPTS],
    [one('timeout', '15min'), DURATION_ACCEPTS],
    // A value that starts with `-` is given as --flag=value (parseArgs takes `--timeout -1m` for two options).
    [{ setting: 'timeout', input: '-1m', flags: ['--timeout=-1m'] }, DURATION_ACCEPTS],
    [one('db-max-age', '0.1s'), `${DURATION_ACCEPTS} (this one is under a second)`],
    [one('max-image-size', '12XB'), SIZE_ACCEPTS],
    [one('max-image-size', '0.1b'), `${SIZE_ACCEPTS} (this one is under a byte)`],
    [one('max-packages', '1.5'), 'a whole number, 0 or more ("0" means no limit)'],
    [
      { setting: 'max-packages', input: '-3', flags: ['--max-packages=-3'] },
      'a whole number, 0 or more ("0" means no limit)',
    ],
    [
      one('db-url', 'ftp://example.com/osv'),
      'an http(s) URL without query or fragment, such as "https://osv-vulnerabilities.storage.googleapis.com"',
    ],
    [one('ignore-file', 'a\0b'), 'a file path'],
    [
      { setting: 'vex', input: 'a.json\nb\0.json', flags: ['--vex', 'a.json', '--vex', 'b\0.json'] },
      'a file path',
      'b\0.json',
    ],
  ];

  it.each(rows)('%o', (given, accepts, rejected = given.input) => {
    const action = errorOf(() => viaAction([given]));
    const cli = errorOf(() => viaCli([given]));
    expect(action).toBeInstanceOf(InputError);
    expect(action).toMatchObject({ input: given.setting, value: rejected, accepts });
    const tail = ` must be ${accepts}, got ${JSON.stringify(rejected)}`;
    expect(action.message).toBe(`Input "${given.setting}"${tail}`);
    expect(cli).toBeInstanceOf(UsageError);
    expect(cli.message).toBe(`--${given.setting}${tail}`);
  });

  it('keeps the CLI texts the flags always had', () => {
    expect(errorOf(() => viaCli([one('max-image-size', '12XB')])).message).toBe(
      `--max-image-size must be ${SIZE_ACCEPTS}, got "12XB"`,
    );
    expect(errorOf(() => settingsFromFlags(['a', 'b'])).message).toBe(
      'scan takes exactly one image reference or path, got 2',
    );
    expect(errorOf(() => settingsFromFlags([], 'bin')).message).toBe('bin takes exactly one file, got 0');
    expect(errorOf(() => settingsFromFlags(['a', '--format', 'xml'])).message).toBe(
      '--format must be one of "table", "json", "sarif", "markdown", got "xml"',
    );
  });

  it('the CLI has no flags for the action-only settings', () => {
    for (const flag of ['--comment', '--sarif-file', '--image', '--db-cache']) {
      const e = errorOf(() => settingsFromFlags(['a', flag, 'x']));
      expect(e).toBeInstanceOf(UsageError);
      expect(e).toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION', message: `unknown option ${flag}` });
    }
  });
});

describe("the CLI's own options", () => {
  it('reads the target, --ref, output, progress and cache folder beside the settings', () => {
    const { settings, ...rest } = settingsFromFlags([
      'images.tar',
      '--ref',
      'app:1',
      '--format',
      'json',
      '-o',
      'r.json',
      '-q',
      '-v',
      '--db-cache-dir',
      '/c',
    ]);
    expect(settings.mode).toBe('light');
    expect(rest).toEqual({
      target: 'images.tar',
      ref: 'app:1',
      format: 'json',
      output: 'r.json',
      quiet: true,
      verbose: true,
      dbCacheDir: '/c',
    });
    expect(settingsFromFlags(['x'], 'bin').format).toBe('table');
    expect(settingsFromFlags(['x', '--format', 'SARIF']).format).toBe('sarif');
    expect(settingsFromFlags(['x', '--format', 'markdown']).format).toBe('markdown');
  });

  it('a mistyped flag is named with the closest one; a flag without its value says so', () => {
    const suggest = (t: string) => (t === '--sevrity-threshold' ? ' (did you mean --severity-threshold?)' : '');
    expect(errorOf(() => settingsFromFlags(['x', '--sevrity-threshold', 'high'], 'scan', suggest)).message).toBe(
      'unknown option --sevrity-threshold (did you mean --severity-threshold?)',
    );
    expect(errorOf(() => settingsFromFlags(['x', '--mode'])).message).toBe('--mode needs a value');
  });

  it('--help and -h before any --', () => {
    expect(wantsHelp(['x', '--mode', 'deep', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['x', '--', '--help'])).toBe(false);
    expect(wantsHelp(['x'])).toBe(false);
  });
});

describe("parseMode (the action's V8 flag choice, before the other inputs are read)", () => {
  it('parses the mode as parseSettings does', () => {
    for (const v of ['Deep', 'DEEP', ' deep', 'light', '', 'LIGHT']) {
      expect(
        parseMode(() => v),
        v,
      ).toBe(viaAction([one('mode', v)]).mode);
    }
    expect(parseMode(() => 'Deep')).toBe('deep');
    expect(parseMode(() => '')).toBe('light');
    expect(errorOf(() => parseMode(() => 'fast')).message).toBe('Input "mode" must be "light" or "deep", got "fast"');
  });
});
