import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INPUT_DEFAULTS,
  INPUTS_NOT_WIRED_YET,
  INPUTS_READ_OUTSIDE_SETTINGS,
  InputError,
  parseInputs,
} from '../../src/action/inputs.js';
import { REASON_CODES } from '../../src/model/reasons.js';
import { SEVERITIES } from '../../src/model/report.js';
import { DEFAULT_DB_URL, type Settings } from '../../src/model/settings.js';
import { parseImageTarSpec } from '../../src/settings/images.js';
import { parseDuration, parseList, parseSize } from '../../src/settings/values.js';
import { loadActionMeta } from './action-yml.js';

const meta = loadActionMeta();
const declared = meta.inputs.map(([name]) => name);
const actionDefaults = new Map(meta.inputs.map(([name, i]) => [name, i.default]));

/** A getter that behaves like the runner: a given value, else action.yml's default, else ''. Records what was asked. */
function runnerGetter(given: Record<string, string>) {
  const asked: string[] = [];
  const get = (name: string): string => {
    if (!declared.includes(name)) throw new Error(`parseInputs read "${name}", which action.yml does not declare`);
    asked.push(name);
    return given[name] ?? actionDefaults.get(name) ?? '';
  };
  return { get, asked };
}

/** A getter with no defaults at all: every input not given is the empty string (as core.getInput without action.yml). */
function bareGetter(given: Record<string, string>) {
  return (name: string): string => given[name] ?? '';
}

function parseWith(given: Record<string, string>): Settings {
  return parseInputs(runnerGetter({ image: 'app:1', ...given }).get);
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError, got ${String(e)}`);
  }
  throw new Error('expected an InputError, nothing was thrown');
}

const EXPECTED_DEFAULTS: Settings = {
  images: ['app:1'],
  imageTars: [],
  platform: 'linux/amd64',
  platformAsked: false,
  mode: 'light',
  failOnStatus: ['failed'],
  warnOnStatus: ['partial_failed'],
  failOnReasons: [],
  warnOnReasons: [],
  severityThreshold: 'high',
  fixedOnlyGate: true,
  failOnKev: false,
  epssThreshold: null,
  ignoreFile: null,
  vex: [],
  dbCache: true,
  dbPath: null,
  dbUrl: DEFAULT_DB_URL,
  dbMaxAge: 3 * 86400,
  sarifFile: 'scanrook.sarif',
  uploadSarif: false,
  sarifCategory: 'scanrook',
  comment: 'auto',
  annotations: true,
  summary: true,
  dockerfile: null,
  yaraRules: null,
  maxImageSize: 0,
  maxPackages: 0,
  timeout: 15 * 60,
  reportFile: 'scanrook-report.json',
};

describe('action.yml and parseInputs agree', () => {
  it('reads every declared input except those read outside Settings, and nothing undeclared', () => {
    const { get, asked } = runnerGetter({ image: 'app:1' });
    parseInputs(get);
    const expected = declared.filter((n) => !INPUTS_READ_OUTSIDE_SETTINGS.includes(n));
    expect([...new Set(asked)].sort()).toEqual(expected.sort());
    for (const n of INPUTS_READ_OUTSIDE_SETTINGS) expect(declared).toContain(n);
  });

  it('parses action.yml defaults to the documented Settings', () => {
    expect(parseWith({})).toEqual(EXPECTED_DEFAULTS);
  });

  it('applies the same defaults when the getter returns empty strings (input not given)', () => {
    expect(parseInputs(bareGetter({ image: 'app:1' }))).toEqual(EXPECTED_DEFAULTS);
  });

  it('has the same default strings as action.yml, input by input', () => {
    for (const [name, def] of actionDefaults) {
      if (INPUTS_READ_OUTSIDE_SETTINGS.includes(name)) continue;
      expect(INPUT_DEFAULTS[name] ?? '', `default of "${name}"`).toBe(def ?? '');
    }
    for (const name of Object.keys(INPUT_DEFAULTS)) expect(declared, `INPUT_DEFAULTS names "${name}"`).toContain(name);
  });

  it('declares github-token with the workflow token as default', () => {
    expect(actionDefaults.get('github-token')).toBe('${{ github.token }}');
  });

  it('names only declared inputs as not wired yet', () => {
    for (const n of INPUTS_NOT_WIRED_YET) expect(declared).toContain(n);
  });

  it('describes every input with its default and, for enumerations, every accepted value', () => {
    for (const [name, i] of meta.inputs) {
      expect(i.description, name).toMatch(/Default|No default/);
      if (i.default)
        expect(i.description, `${name} states its default`).toContain(
          name === 'db-url' ? i.default : `\`${i.default}\``,
        );
    }
    const desc = (n: string) => meta.inputs.find(([name]) => name === n)![1].description;
    for (const s of [...SEVERITIES, 'none']) expect(desc('severity-threshold')).toContain(`\`${s}\``);
    for (const s of ['light', 'deep']) expect(desc('mode')).toContain(`\`${s}\``);
    for (const s of ['auto', 'always', 'never']) expect(desc('comment')).toContain(`\`${s}\``);
    for (const c of [...REASON_CODES, 'none'])
      expect(desc('fail-on-reasons'), 'fail-on-reasons lists the reason registry').toContain(`\`${c}\``);
    for (const s of ['done', 'partial_failed', 'failed', 'none']) {
      expect(desc('fail-on-status')).toContain(`\`${s}\``);
      expect(desc('warn-on-status')).toContain(`\`${s}\``);
    }
  });

  it('declares one count output per severity, plus the status outputs', () => {
    const outputs = meta.outputs.map(([n]) => n);
    for (const s of SEVERITIES) expect(outputs).toContain(s);
    for (const o of ['status', 'reasons', 'verdict', 'findings', 'sarif-file', 'report-file', 'comment-url'])
      expect(outputs).toContain(o);
  });
});

describe('parseInputs: accepted values', () => {
  it('splits lists on newlines and commas, trims, drops empty lines and repeats', () => {
    const s = parseWith({ image: '\n app:1 ,\r\nghcr.io/org/app:2\n\n,app:1\n', vex: 'a.json, b.json\nc.json' });
    expect(s.images).toEqual(['app:1', 'ghcr.io/org/app:2']);
    expect(s.vex).toEqual(['a.json', 'b.json', 'c.json']);
  });

  it('accepts image-tar alone, and keeps a #ref selection in a form parseImageTarSpec reads back', () => {
    const s = parseInputs(
      runnerGetter({ 'image-tar': 'one.tar\nmulti.tar#test/lang:1\nbuild#7/img.tar#\n  dir/ # app:2 ' }).get,
    );
    expect(s.images).toEqual([]);
    expect(s.imageTars).toEqual(['one.tar', 'multi.tar#test/lang:1', 'build#7/img.tar#', 'dir/#app:2']);
    expect(s.imageTars.map((t) => parseImageTarSpec('image-tar', t))).toEqual([
      { path: 'one.tar', ref: null },
      { path: 'multi.tar', ref: 'test/lang:1' },
      { path: 'build#7/img.tar', ref: null },
      { path: 'dir/', ref: 'app:2' },
    ]);
  });

  it('reads booleans as true/false, yes/no, 1/0 in any case', () => {
    for (const [v, b] of [
      ['true', true],
      ['TRUE', true],
      ['Yes', true],
      ['1', true],
      ['false', false],
      ['No', false],
      ['0', false],
      ['FALSE', false],
    ] as const) {
      expect(parseWith({ 'upload-sarif': v }).uploadSarif, v).toBe(b);
      expect(parseWith({ 'fixed-only-gate': v }).fixedOnlyGate, v).toBe(b);
    }
  });

  it('reads durations in s, m, h, d, combined, decimal, or plain seconds', () => {
    const cases: [string, number][] = [
      ['90s', 90],
      ['15m', 900],
      ['2h', 7200],
      ['3d', 259200],
      ['36h', 129600],
      ['1h30m', 5400],
      ['1.5h', 5400],
      ['600', 600],
      ['0', 0],
      ['0s', 0],
      ['2D', 172800],
      ['1d2h3m4s', 93784],
    ];
    for (const [v, secs] of cases) {
      expect(parseWith({ timeout: v }).timeout, v).toBe(secs);
      expect(parseWith({ 'db-max-age': v }).dbMaxAge, v).toBe(secs);
    }
  });

  it('reads sizes: KB/MB/GB/TB as powers of 1000, KiB/MiB/GiB/TiB as powers of 1024', () => {
    const cases: [string, number][] = [
      ['0', 0],
      ['1024', 1024],
      ['512MB', 512e6],
      ['10GB', 10e9],
      ['1.5G', 1.5e9],
      ['2k', 2000],
      ['1TB', 1e12],
      ['512MiB', 512 * 1024 ** 2],
      ['1GiB', 1024 ** 3],
      ['1.5gib', 1.5 * 1024 ** 3],
      ['1 GB', 1e9],
      ['100b', 100],
      ['3Ki', 3072],
    ];
    for (const [v, bytes] of cases) expect(parseWith({ 'max-image-size': v }).maxImageSize, v).toBe(bytes);
  });

  it('reads statuses, reasons and enumerations case-insensitively, and "none" empties a list', () => {
    const s = parseWith({
      'fail-on-status': 'failed,Partial_Failed',
      'warn-on-status': 'none',
      'fail-on-reasons': 'VULNDB_STALE\nos_eol',
      'warn-on-reasons': REASON_CODES.join(','),
      mode: 'Deep',
      comment: 'NEVER',
      'severity-threshold': 'None',
      platform: 'Linux/ARM64/v8',
    });
    expect(s.failOnStatus).toEqual(['failed', 'partial_failed']);
    expect(s.warnOnStatus).toEqual([]);
    expect(s.failOnReasons).toEqual(['vulndb_stale', 'os_eol']);
    expect(s.warnOnReasons).toEqual([...REASON_CODES]);
    expect([s.mode, s.comment, s.severityThreshold, s.platform]).toEqual(['deep', 'never', 'none', 'linux/arm64/v8']);
  });

  it('accepts every severity as a threshold', () => {
    for (const sev of SEVERITIES) expect(parseWith({ 'severity-threshold': sev }).severityThreshold).toBe(sev);
  });

  it('reads paths, URL and counts', () => {
    const s = parseWith({
      'ignore-file': '.scanrook-ignore.yml',
      'db-path': '/opt/db',
      dockerfile: 'docker/Dockerfile',
      'db-url': 'http://127.0.0.1:8080/osv/',
      'max-packages': '50000',
      'sarif-file': 'out/x.sarif',
      'report-file': 'out/r.json',
      'sarif-category': 'scanrook/app',
    });
    expect([s.ignoreFile, s.dbPath, s.dockerfile, s.dbUrl]).toEqual([
      '.scanrook-ignore.yml',
      '/opt/db',
      'docker/Dockerfile',
      'http://127.0.0.1:8080/osv',
    ]);
    expect([s.maxPackages, s.sarifFile, s.reportFile, s.sarifCategory]).toEqual([
      50000,
      'out/x.sarif',
      'out/r.json',
      'scanrook/app',
    ]);
  });
});

describe('parseInputs: refused values name the input, the value and what it accepts', () => {
  const bad: [input: string, value: string, accepts: string][] = [
    ['mode', 'fast', '"light" or "deep"'],
    ['platform', 'amd64', 'os/arch'],
    ['platform', 'linux/amd64/v8/x', 'os/arch'],
    ['fail-on-status', 'failure', '"done", "partial_failed", "failed"'],
    ['warn-on-status', 'partial', '"done", "partial_failed", "failed"'],
    ['fail-on-status', 'none,failed', 'cannot be combined'],
    ['fail-on-reasons', 'vulndb_old', 'vulndb_stale'],
    ['warn-on-reasons', 'os_eol, no_such_reason', 'reason codes'],
    ['severity-threshold', 'severe', '"critical", "high", "medium", "low", "negligible", "unknown", "none"'],
    ['severity-threshold', 'high,critical', 'one of'],
    ['fixed-only-gate', 'maybe', 'true/false'],
    ['db-cache', 'on', 'true/false'],
    ['upload-sarif', 'y', 'true/false'],
    ['annotations', '2', 'true/false'],
    ['summary', 'enabled', 'true/false'],
    ['comment', 'sometimes', '"auto", "always", "never"'],
    ['db-max-age', '3 days', 'duration'],
    ['db-max-age', '-1d', 'duration'],
    ['db-max-age', '3w', 'duration'],
    ['db-max-age', '0.1s', 'under a second'],
    ['timeout', '15min', 'duration'],
    ['timeout', '1e9', 'duration'],
    ['timeout', 'h', 'duration'],
    ['max-image-size', '10 gigs', 'size'],
    ['max-image-size', '-1GB', 'size'],
    ['max-image-size', '1PB', 'size'],
    ['max-image-size', '0.1b', 'under a byte'],
    ['max-image-size', '99999999999TB', 'too large'],
    ['max-packages', '1.5', 'whole number'],
    ['max-packages', '-3', 'whole number'],
    ['max-packages', '10k', 'whole number'],
    ['max-packages', '99999999999999999999', 'too large'],
    ['db-url', 'ftp://example.com/osv', 'http(s) URL'],
    ['db-url', 'osv-vulnerabilities.storage.googleapis.com', 'http(s) URL'],
    ['db-url', 'https://example.com/osv?x=1', 'http(s) URL'],
    ['image', 'MyApp:1', 'lowercase'],
    ['image', '--output=/etc/passwd', 'image reference'],
    ['image', 'app:1 app:2', 'image reference'],
    ['image', 'app@sha256:1234', 'image reference'],
    ['image-tar', 'images.tar#NotARef', 'image reference'],
    ['image-tar', '#app:1', 'path'],
  ];

  it.each(bad)('%s = %j', (input, value, accepts) => {
    const given: Record<string, string> = { [input]: value };
    if (input === 'image-tar') given.image = '';
    const err = inputError(() => parseWith(given));
    expect(err.input).toBe(input);
    expect(err.message).toContain(`Input "${input}"`);
    expect(err.message).toContain(accepts);
    // The offending item is quoted (the whole value, or the list item that is wrong).
    expect(value.includes(err.value) || err.value === value.trim()).toBe(true);
    expect(err.message).toContain(JSON.stringify(err.value));
  });

  it('gives the exact wording of the contract', () => {
    expect(inputError(() => parseWith({ mode: 'fast' })).message).toBe(
      'Input "mode" must be "light" or "deep", got "fast"',
    );
  });

  it('requires image or image-tar', () => {
    const err = inputError(() => parseInputs(bareGetter({})));
    expect(err.input).toBe('image');
    expect(err.message).toContain('"image"');
    expect(err.message).toContain('"image-tar"');
    expect(() => parseInputs(bareGetter({ image: ' \n , \n' }))).toThrow(InputError);
  });
});

describe('value parsers: properties', () => {
  it('parseDuration of d/h/m/s parts is their sum in seconds', () => {
    fc.assert(
      fc.property(fc.nat(400), fc.nat(48), fc.nat(120), fc.nat(7200), (d, h, m, s) => {
        expect(parseDuration('x', `${d}d${h}h${m}m${s}s`)).toBe(d * 86400 + h * 3600 + m * 60 + s);
        expect(parseDuration('x', String(s))).toBe(s);
      }),
    );
  });

  it('parseSize agrees with the unit tables', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.constantFrom(['kb', 1e3], ['MB', 1e6], ['GiB', 1024 ** 3], ['Ki', 1024], ['b', 1], ['', 1]),
        (n, [u, f]) => {
          expect(parseSize('x', `${n}${u as string}`)).toBe(n * (f as number));
        },
      ),
    );
  });

  it('parseList never returns empty, untrimmed or repeated items, and is idempotent on its own join', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[ a-z,\n\r]{0,8}$/), { maxLength: 6 }), (parts) => {
        const items = parseList(parts.join('\n'));
        for (const i of items) expect(i === i.trim() && i !== '' && !/[,\n\r]/.test(i)).toBe(true);
        expect(new Set(items).size).toBe(items.length);
        expect(parseList(items.join(','))).toEqual(items);
      }),
    );
  });
});
