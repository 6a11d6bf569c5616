import { describe, expect, it } from 'vitest';
import {
  expiryInstant,
  formatProblem,
  hasErrors,
  loadIgnoreFile,
  MAX_IGNORE_FILE_BYTES,
  validDay,
} from '../../../src/policy/suppress/index.js';

const SRC = '.scanrook-ignore.yaml';

describe('loadIgnoreFile: the documented format', () => {
  it('reads every field, keeping ids as written', () => {
    const { entries, problems } = loadIgnoreFile(
      `
ignore:
  - id: CVE-2019-14697            # musl x87 stack imbalance
    package: musl
    reason: "we never run on i386"
    expires: 2026-12-31
  - id: GHSA-c2qf-rxjj-qqgw
    purl: pkg:npm/semver
    reason: only used by the build tooling, not shipped
  - id: DSA-5343-1
    package: openssl
    purl: pkg:deb/debian/openssl?arch=source
    reason: 'TLS terminated by the load balancer'
`,
      SRC,
    );
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      {
        id: 'CVE-2019-14697',
        package: 'musl',
        purl: null,
        reason: 'we never run on i386',
        expires: '2026-12-31',
        source: SRC,
        index: 1,
      },
      {
        id: 'GHSA-c2qf-rxjj-qqgw',
        package: null,
        purl: 'pkg:npm/semver',
        reason: 'only used by the build tooling, not shipped',
        expires: null,
        source: SRC,
        index: 2,
      },
      {
        id: 'DSA-5343-1',
        package: 'openssl',
        purl: 'pkg:deb/debian/openssl?arch=source',
        reason: 'TLS terminated by the load balancer',
        expires: null,
        source: SRC,
        index: 3,
      },
    ]);
  });

  it('an entry without reason is an error naming file, entry and field, and is dropped', () => {
    const r = loadIgnoreFile('ignore:\n  - id: CVE-2022-25883\n    reason: ok\n  - id: CVE-2019-14697\n', SRC);
    expect(r.entries.map((e) => e.index)).toEqual([1]);
    expect(r.problems).toEqual([
      { level: 'error', kind: 'ignore-file', source: SRC, index: 2, field: 'reason', message: '`reason` is required' },
    ]);
    expect(formatProblem(r.problems[0]!)).toBe(
      'error: ignore file .scanrook-ignore.yaml, entry 2, field reason: `reason` is required',
    );
    expect(hasErrors(r.problems)).toBe(true);
  });

  it('blank reason, wrong types, bad ids and bad purls are errors', () => {
    const r = loadIgnoreFile(
      `ignore:
  - {id: CVE-2022-25883, reason: "   "}
  - {id: 2022, reason: x}
  - {id: CVE-2022-25883, reason: [a, b]}
  - {id: "not an id", reason: x}
  - {id: CVE-2022-25883, purl: "npm/semver", reason: x}
  - {id: CVE-2022-25883, package: {name: semver}, reason: x}
  - just-a-string
`,
      SRC,
    );
    expect(r.entries).toEqual([]);
    expect(r.problems.map((p) => [p.index, p.field])).toEqual([
      [1, 'reason'],
      [2, 'id'],
      [3, 'reason'],
      [4, 'id'],
      [5, 'purl'],
      [6, 'package'],
      [7, null],
    ]);
    expect(r.problems[1]!.message).toContain('number 2022');
    expect(r.problems.every((p) => p.level === 'error')).toBe(true);
  });

  it('unknown keys are errors (a typo must not silently change meaning)', () => {
    const r = loadIgnoreFile('ignore:\n  - id: CVE-2022-25883\n    reason: x\n    expire: 2020-01-01\n', SRC);
    expect(r.entries).toEqual([]);
    expect(r.problems[0]).toMatchObject({ index: 1, field: 'expire', level: 'error' });
    expect(r.problems[0]!.message).toContain('allowed: id, package, purl, reason, expires');
    const top = loadIgnoreFile('ignores:\n  - id: CVE-2022-25883\n    reason: x\n', SRC);
    expect(top.problems.map((p) => p.field)).toEqual(['ignores', 'ignore']);
    expect(hasErrors(top.problems)).toBe(true);
  });

  it('expires must be a real calendar date', () => {
    const bad = ['2026-13-01', '2026-02-30', '31/12/2026', '2026-12-31T00:00:00Z', '20261231'];
    for (const d of bad) {
      const r = loadIgnoreFile(`ignore:\n  - id: CVE-2022-25883\n    reason: x\n    expires: "${d}"\n`, SRC);
      expect(r.entries, d).toEqual([]);
      expect(r.problems[0], d).toMatchObject({ index: 1, field: 'expires' });
    }
    // An unquoted YAML 1.1-style date is read as a string (core schema) and accepted; a number is not.
    expect(
      loadIgnoreFile('ignore:\n  - {id: CVE-2022-25883, reason: x, expires: 2024-02-29}\n', SRC).entries[0]!.expires,
    ).toBe('2024-02-29');
    expect(
      loadIgnoreFile('ignore:\n  - {id: CVE-2022-25883, reason: x, expires: 20261231}\n', SRC).problems[0]!.message,
    ).toContain('number 20261231');
    expect(validDay('2023-02-29')).toBe(false);
    expect(validDay('2024-02-29')).toBe(true);
    expect(new Date(expiryInstant('2026-12-31')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('malformed YAML fails the whole file with a line number, never a partial read', () => {
    const r = loadIgnoreFile(
      'ignore:\n  - id: CVE-2022-25883\n    reason: "unterminated\n  - id: CVE-2019-14697\n    reason: x\n',
      SRC,
    );
    expect(r.entries).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ level: 'error', index: null, source: SRC });
    expect(r.problems[0]!.message).toMatch(/not valid YAML \(line \d+, column \d+\)/);
    const dup = loadIgnoreFile('ignore:\n  - id: CVE-2022-25883\n    reason: a\n    reason: b\n', SRC);
    expect(dup.entries).toEqual([]);
    expect(dup.problems[0]!.message).toMatch(/not valid YAML/);
    const tab = loadIgnoreFile('ignore:\n\t- id: CVE-2022-25883\n', SRC);
    expect(hasErrors(tab.problems)).toBe(true);
  });

  it('wrong shapes: a list at top level, ignore not a list, empty file', () => {
    expect(loadIgnoreFile('- id: CVE-2022-25883\n  reason: x\n', SRC).problems[0]!.message).toContain(
      'must be a mapping with an `ignore:` list, not a list',
    );
    expect(loadIgnoreFile('ignore: CVE-2022-25883\n', SRC).problems[0]).toMatchObject({
      field: 'ignore',
      level: 'error',
    });
    const empty = loadIgnoreFile('# nothing yet\n', SRC);
    expect(empty).toEqual({ entries: [], problems: [expect.objectContaining({ level: 'warning' })] });
    expect(hasErrors(empty.problems)).toBe(false);
    expect(hasErrors(loadIgnoreFile('ignore:\n', SRC).problems)).toBe(false);
  });

  it('hostile input is bounded: size cap, alias bombs, deep nesting', () => {
    const big = 'ignore:\n' + '  - {id: CVE-2022-25883, reason: x}\n'.repeat(40_000);
    expect(big.length).toBeGreaterThan(MAX_IGNORE_FILE_BYTES);
    const r = loadIgnoreFile(big, SRC);
    expect(r.entries).toEqual([]);
    expect(r.problems[0]!.message).toContain('more than the 1048576');

    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill('*' + String.fromCharCode(96 + i))
          .join(',')}]`,
      );
    bomb.push('ignore: *j');
    const t0 = Date.now();
    const b = loadIgnoreFile(bomb.join('\n') + '\n', SRC);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(b.entries).toEqual([]);
    expect(hasErrors(b.problems)).toBe(true);

    const deep = 'ignore: ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n';
    const d = loadIgnoreFile(deep, SRC);
    expect(d.entries).toEqual([]);
    expect(hasErrors(d.problems)).toBe(true);
  });

  it('too many entries is refused as a whole', () => {
    const many = 'ignore:\n' + '- {id: CVE-2022-25883, reason: x}\n'.repeat(10_001);
    const r = loadIgnoreFile(many, SRC);
    expect(r.entries).toEqual([]);
    expect(r.problems[0]!.message).toContain('10001 entries');
  });
});
