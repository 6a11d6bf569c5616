/**
 * One parser from a front end's raw values to Settings: the action feeds it `core.getInput`, the CLI its flags
 * under the same names (src/settings/flags.ts). Both get the same choices, case rules, platform syntax,
 * defaults (but for CLI_DEFAULTS) and messages; only how a message names the setting differs (`nameOf`).
 * Every value is checked; a bad one throws an InputError naming the setting, the value and what it accepts.
 */
import type { Mode } from '../model/report.js';
import type { Settings } from '../model/settings.js';
import { COMMENT_MODES, MODES, parseReasonList, parseStatusList, SEVERITY_THRESHOLDS } from './choices.js';
import { type Defaults, SETTING_DEFAULTS } from './defaults.js';
import { parseImageReference, parseImageTarSpec } from './images.js';
import { DEFAULT_PLATFORM, parsePlatformSetting } from './platform.js';
import {
  InputError,
  parseBoolean,
  parseChoice,
  parseCount,
  parseDuration,
  parseHttpUrl,
  parseList,
  parseProbability,
  parseSize,
} from './values.js';

/**
 * A setting's raw value by its name (`mode`, `db-max-age`, as action.yml declares it): '' means "not given"
 * and the default applies. A list setting may come as text to split (an action input) or as items (a
 * repeated CLI flag, an empty list = not given).
 */
export type SettingReader = (name: string) => string | readonly string[];

export interface ParseOptions {
  /** How messages name a setting: the action's input `mode` (the default), the CLI's flag `--mode`. */
  nameOf?: (setting: string) => string;
  defaults?: Defaults;
}

export function parseSettings(read: SettingReader, opts: ParseOptions = {}): Settings {
  const { n, raw, list } = reader(read, opts);
  const optionalPath = (name: string): string | null => {
    const v = raw(name);
    return v === '' ? null : checkPath(n(name), v);
  };
  const requiredPath = (name: string): string => checkPath(n(name), raw(name));

  return {
    images: parseList(list('image')).map((r) => parseImageReference(n('image'), r)),
    imageTars: parseList(list('image-tar')).map((line) => imageTarLine(n('image-tar'), line)),
    platform: parsePlatformSetting(n('platform'), raw('platform') || DEFAULT_PLATFORM),
    platformAsked: asked(read, 'platform'),
    mode: parseChoice(n('mode'), raw('mode'), MODES),
    failOnStatus: parseStatusList(n('fail-on-status'), list('fail-on-status')),
    warnOnStatus: parseStatusList(n('warn-on-status'), list('warn-on-status')),
    failOnReasons: parseReasonList(n('fail-on-reasons'), list('fail-on-reasons')),
    warnOnReasons: parseReasonList(n('warn-on-reasons'), list('warn-on-reasons')),
    severityThreshold: parseChoice(n('severity-threshold'), raw('severity-threshold'), SEVERITY_THRESHOLDS),
    fixedOnlyGate: parseBoolean(n('fixed-only-gate'), raw('fixed-only-gate')),
    failOnKev: parseBoolean(n('fail-on-kev'), raw('fail-on-kev')),
    epssThreshold: parseProbability(n('epss-threshold'), raw('epss-threshold')),
    ignoreFile: optionalPath('ignore-file'),
    vex: parseList(list('vex')).map((p) => checkPath(n('vex'), p)),
    dbCache: parseBoolean(n('db-cache'), raw('db-cache')),
    dbPath: optionalPath('db-path'),
    dbUrl: parseHttpUrl(n('db-url'), raw('db-url')),
    dbMaxAge: parseDuration(n('db-max-age'), raw('db-max-age')),
    sarifFile: requiredPath('sarif-file'),
    uploadSarif: parseBoolean(n('upload-sarif'), raw('upload-sarif')),
    sarifCategory: raw('sarif-category'),
    comment: parseChoice(n('comment'), raw('comment'), COMMENT_MODES),
    annotations: parseBoolean(n('annotations'), raw('annotations')),
    summary: parseBoolean(n('summary'), raw('summary')),
    dockerfile: optionalPath('dockerfile'),
    yaraRules: optionalPath('yara-rules'),
    maxImageSize: parseSize(n('max-image-size'), raw('max-image-size')),
    maxPackages: parseCount(n('max-packages'), raw('max-packages')),
    timeout: parseDuration(n('timeout'), raw('timeout')),
    reportFile: requiredPath('report-file'),
  };
}

/**
 * The `mode` setting alone, parsed as parseSettings parses it: for the V8 flags a process sets before any
 * other setting is read (src/action/main.ts).
 */
export function parseMode(read: SettingReader, opts: ParseOptions = {}): Mode {
  const { n, raw } = reader(read, opts);
  return parseChoice(n('mode'), raw('mode'), MODES);
}

/** Whether the user gave a setting at all (before defaults). */
function asked(read: SettingReader, name: string): boolean {
  const v = read(name);
  return typeof v === 'string' ? v.trim() !== '' : parseList(v).length > 0;
}

function reader(read: SettingReader, opts: ParseOptions) {
  const n = opts.nameOf ?? ((setting: string) => setting);
  const defaults = opts.defaults ?? SETTING_DEFAULTS;
  const raw = (name: string): string => {
    const v = read(name);
    if (typeof v !== 'string') throw new TypeError(`the setting "${name}" takes one value, not a list`);
    const t = v.trim();
    return t === '' ? (defaults[name] ?? '') : t;
  };
  const list = (name: string): string | readonly string[] => {
    const v = read(name);
    if (typeof v === 'string') return raw(name);
    return parseList(v).length === 0 ? (defaults[name] ?? '') : v;
  };
  return { n, raw, list };
}

function checkPath(input: string, v: string): string {
  if (v === '' || v.includes('\0')) throw new InputError(input, v, 'a file path');
  return v;
}

/** An `image-tar` line, checked, in the form scanInputs splits again: `path#ref`, or a path (`path#` when it holds `#`). */
function imageTarLine(input: string, line: string): string {
  const { path, ref } = parseImageTarSpec(input, line);
  checkPath(input, path);
  if (ref !== null) return `${path}#${ref}`;
  return path.includes('#') ? `${path}#` : path;
}
