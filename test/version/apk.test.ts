/**
 * Alpine comparator against apk-tools' own test vectors (test/unit/version.data, copied as
 * test/fixtures/version/apk-version.data), and every version of the Alpine OSV records must be valid.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareApk, compareApkRaw, isValidApk } from '../../src/version/apk.js';
import { UnparsableVersionError } from '../../src/version/errors.js';
import { haveShared } from '../helpers/shared.js';
import { fixturePath } from './fixtures.js';
import { osvVersions } from './helpers.js';

/** apk's result mask semantics: '<' LESS, '>' GREATER, '=' EQUAL, '~' FUZZY|EQUAL. */
function matches(a: string, op: string, b: string): boolean {
  const fuzzy = op.includes('~');
  const r = compareApkRaw(a, b, fuzzy);
  const got = r < 0 ? '<' : r > 0 ? '>' : '=';
  if (got === '=') return op.includes('=') || op.includes('~');
  return op.includes(got);
}

describe('apk versions', () => {
  it('passes every line of apk-tools test/unit/version.data', () => {
    const lines = readFileSync(fixturePath('apk-version.data'), 'utf8').split('\n');
    let checked = 0;
    const failed: string[] = [];
    for (const raw of lines) {
      const line = raw.split('#')[0]!.trim();
      if (!line) continue;
      const parts = line.split(/\s+/);
      let ok: boolean;
      if (parts.length === 3) {
        const [a, opRaw, b] = parts as [string, string, string];
        const invert = opRaw.startsWith('!');
        ok = matches(a, invert ? opRaw.slice(1) : opRaw, b);
        if (invert) ok = !ok;
      } else {
        const invert = parts[0]!.startsWith('!');
        ok = isValidApk(invert ? parts[0]!.slice(1) : parts[0]!);
        if (invert) ok = !ok;
      }
      checked++;
      if (!ok) failed.push(line);
    }
    console.log(`apk-tools version.data: ${checked} vectors, ${checked - failed.length} pass`);
    expect(checked).toBeGreaterThan(700);
    expect(failed).toEqual([]);
  });

  it('throws UnparsableVersionError for versions apk calls invalid', () => {
    expect(() => compareApk('1.0bc', '1.0')).toThrow(UnparsableVersionError);
    expect(() => compareApk('1.0', '0.1_foobar')).toThrow(UnparsableVersionError);
    expect(compareApk('1.0_rc1', '1.0')).toBeLessThan(0);
    expect(compareApk('1.0-r1', '1.0_p1')).toBeLessThan(0);
  });

  it('accepts every version of the Alpine OSV records', ({ skip }) => {
    if (!haveShared()) return skip();
    const versions = osvVersions('Alpine');
    expect(versions.length).toBeGreaterThan(1000);
    // The secdb data has a few typos apk itself rejects ("1.18.-r2", "0.8.21.r2"): they must be refused
    // (explicitly unparsable), and be rare.
    const invalid = versions.filter((v) => !isValidApk(v));
    console.log(
      `Alpine OSV: ${versions.length} versions, ${invalid.length} invalid for apk: ${JSON.stringify(invalid)}`,
    );
    for (const v of invalid) expect(() => compareApk(v, '1.0')).toThrow(UnparsableVersionError);
    expect(invalid.length).toBeLessThan(versions.length * 0.02);
  });
});
