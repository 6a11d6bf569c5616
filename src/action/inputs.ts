/**
 * The action's inputs → Settings. Pure: the caller passes a `core.getInput`-like getter (an empty string means
 * "not given", and the default below applies). Every value is checked; a bad one throws an InputError naming
 * the input, the value and what the input accepts. The defaults here must equal action.yml's (a test checks).
 */
import { DEFAULT_DB_URL, type Settings } from '../model/settings.js';
import { REASON_CODES, isReasonCode, type ReasonCode, type TerminalStatus } from '../model/reasons.js';
import { SEVERITIES, type Mode, type Severity } from '../model/report.js';
import type { CommentMode } from '../model/settings.js';
import {
  InputError, describeChoices, parseBoolean, parseChoice, parseCount, parseDuration, parseImageReference,
  parseHttpUrl, parseImageTarSpec, parseList, parseSize,
} from '../util/values.js';

export { InputError, parseHttpUrl } from '../util/values.js';

export const MODES: readonly Mode[] = ['light', 'deep'];
export const TERMINAL_STATUSES: readonly TerminalStatus[] = ['done', 'partial_failed', 'failed'];
export const COMMENT_MODES: readonly CommentMode[] = ['auto', 'always', 'never'];
export const SEVERITY_THRESHOLDS: readonly (Severity | 'none')[] = [...SEVERITIES, 'none'];
/** The word that empties a status or reason list (an empty input means "use the default"). */
export const NONE = 'none';

/** Defaults of the inputs that have one, as action.yml writes them. */
export const INPUT_DEFAULTS: Readonly<Record<string, string>> = {
  platform: 'linux/amd64',
  mode: 'light',
  'fail-on-status': 'failed',
  'warn-on-status': 'partial_failed',
  'severity-threshold': 'high',
  'fixed-only-gate': 'true',
  'db-cache': 'true',
  'db-url': DEFAULT_DB_URL,
  'db-max-age': '3d',
  'sarif-file': 'scanrook.sarif',
  'upload-sarif': 'false',
  'sarif-category': 'scanrook',
  comment: 'auto',
  annotations: 'true',
  summary: 'true',
  'max-image-size': '0',
  'max-packages': '0',
  timeout: '15m',
  'report-file': 'scanrook-report.json',
};

/** Inputs action.yml declares that are not part of Settings: the action's entry point reads them itself. */
export const INPUTS_READ_OUTSIDE_SETTINGS: readonly string[] = ['github-token'];

/**
 * Inputs that are accepted and validated but do not change what the action does yet (later issues wire them).
 * The README marks them from this list; remove a name when its feature lands. Empty: every input is wired.
 */
export const INPUTS_NOT_WIRED_YET: string[] = [];

export function parseInputs(get: (name: string) => string): Settings {
  const raw = (name: string): string => {
    const v = get(name).trim();
    return v === '' ? (INPUT_DEFAULTS[name] ?? '') : v;
  };
  const optionalPath = (name: string): string | null => {
    const v = raw(name);
    return v === '' ? null : checkPath(name, v);
  };
  const requiredPath = (name: string): string => checkPath(name, raw(name));

  const images = parseList(raw('image')).map((r) => parseImageReference('image', r));
  const imageTars = parseList(raw('image-tar')).map((line) => {
    const { path, ref } = parseImageTarSpec('image-tar', line);
    checkPath('image-tar', path);
    if (ref !== null) return `${path}#${ref}`;
    return path.includes('#') ? `${path}#` : path;
  });

  const settings: Settings = {
    images,
    imageTars,
    platform: parsePlatform('platform', raw('platform')),
    mode: parseChoice('mode', raw('mode'), MODES),
    failOnStatus: parseStatusList('fail-on-status', raw('fail-on-status')),
    warnOnStatus: parseStatusList('warn-on-status', raw('warn-on-status')),
    failOnReasons: parseReasonList('fail-on-reasons', raw('fail-on-reasons')),
    warnOnReasons: parseReasonList('warn-on-reasons', raw('warn-on-reasons')),
    severityThreshold: parseChoice('severity-threshold', raw('severity-threshold'), SEVERITY_THRESHOLDS),
    fixedOnlyGate: parseBoolean('fixed-only-gate', raw('fixed-only-gate')),
    ignoreFile: optionalPath('ignore-file'),
    vex: parseList(raw('vex')).map((p) => checkPath('vex', p)),
    dbCache: parseBoolean('db-cache', raw('db-cache')),
    dbPath: optionalPath('db-path'),
    dbUrl: parseHttpUrl('db-url', raw('db-url')),
    dbMaxAge: parseDuration('db-max-age', raw('db-max-age')),
    sarifFile: requiredPath('sarif-file'),
    uploadSarif: parseBoolean('upload-sarif', raw('upload-sarif')),
    sarifCategory: raw('sarif-category'),
    comment: parseChoice('comment', raw('comment'), COMMENT_MODES),
    annotations: parseBoolean('annotations', raw('annotations')),
    summary: parseBoolean('summary', raw('summary')),
    dockerfile: optionalPath('dockerfile'),
    yaraRules: optionalPath('yara-rules'),
    maxImageSize: parseSize('max-image-size', raw('max-image-size')),
    maxPackages: parseCount('max-packages', raw('max-packages')),
    timeout: parseDuration('timeout', raw('timeout')),
    reportFile: requiredPath('report-file'),
  };

  if (settings.images.length === 0 && settings.imageTars.length === 0) {
    throw new InputError('image', '', 'given',
      'Nothing to scan: give "image" (image references, one per line) or "image-tar" (archive paths or OCI layout folders, one per line)');
  }
  return settings;
}

function checkPath(input: string, v: string): string {
  if (v === '' || v.includes('\0')) throw new InputError(input, v, 'a file path');
  return v;
}

const PLATFORM = /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)?$/;

/** os/arch[/variant], case-insensitive (returned in lower case, as image configs write it). */
export function parsePlatform(input: string, v: string): string {
  const p = v.trim().toLowerCase();
  if (!PLATFORM.test(p)) throw new InputError(input, v, 'a platform os/arch[/variant], such as "linux/amd64" or "linux/arm64/v8"');
  return p;
}

function parseNoneList<T extends string>(input: string, v: string, one: (item: string) => T, accepts: string): T[] {
  const items = parseList(v);
  if (items.some((i) => i.toLowerCase() === NONE)) {
    if (items.length > 1) throw new InputError(input, v, `${accepts} ("${NONE}" cannot be combined with other values)`);
    return [];
  }
  return items.map(one);
}

export function parseStatusList(input: string, v: string): TerminalStatus[] {
  const accepts = `a list of ${describeChoices(TERMINAL_STATUSES)}, or "${NONE}"`;
  return parseNoneList(input, v, (item) => {
    const s = item.toLowerCase();
    if ((TERMINAL_STATUSES as readonly string[]).includes(s)) return s as TerminalStatus;
    throw new InputError(input, item, accepts);
  }, accepts);
}

export function parseReasonList(input: string, v: string): ReasonCode[] {
  const accepts = `a list of reason codes (${REASON_CODES.join(', ')}), or "${NONE}"`;
  return parseNoneList(input, v, (item) => {
    const s = item.toLowerCase();
    if (isReasonCode(s)) return s;
    throw new InputError(input, item, accepts);
  }, accepts);
}
