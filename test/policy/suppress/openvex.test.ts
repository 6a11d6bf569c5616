import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors, loadVexDocument, MAX_VEX_BYTES, parseTimestamp } from '../../../src/policy/suppress/index.js';
import { FIXTURES } from './helpers.js';

const vex = (f: string) => readFileSync(join(FIXTURES, 'openvex', f), 'utf8');

describe('loadVexDocument: the OpenVEX spec examples', () => {
  it('minimal document: one fixed statement, two products, timestamp (with ns precision) cascaded', () => {
    const r = loadVexDocument(vex('spec-minimal.json'), 'minimal.vex.json');
    expect(r.problems).toEqual([]);
    expect(r.statements).toHaveLength(1);
    const s = r.statements[0]!;
    expect(s).toMatchObject({
      document: 'https://openvex.dev/docs/example/vex-9fb3463de1b57',
      index: 1,
      vulnerability: 'CVE-2023-12345',
      status: 'fixed',
      timestamp: '2023-01-08T18:02:03.647787998-06:00',
      time: Date.parse('2023-01-09T00:02:03.647Z'),
    });
    expect(s.products.map((p) => p.purls)).toEqual([
      ['pkg:apk/wolfi/git@2.39.0-r1?arch=armv7'],
      ['pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64'],
    ]);
  });

  it('Spring Boot example: name, aliases, @id purl + identifiers.purl, hashes, justification, impact statement', () => {
    const r = loadVexDocument(vex('spec-spring-boot.json'), 'spring.vex.json');
    expect(r.problems).toEqual([]);
    const s = r.statements[0]!;
    expect(s.vulnerabilityIds.sort()).toEqual(['CVE-2021-44228', 'GHSA-JFH8-C2JP-5V3Q']);
    expect(s.products[0]!.purls).toEqual(['pkg:maven/org.springframework.boot/spring-boot@2.6.0-M3']);
    expect(s.products[0]!.hashes['sha-256']).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(s.justification).toBe('vulnerable_code_not_in_execute_path');
    expect(s.impactStatement).toMatch(/^Spring Boot users are only affected/);
  });

  it('the spec examples as printed are not JSON: a clear error, nothing applied', () => {
    for (const f of ['spec-spring-boot.verbatim.txt', 'spec-inheritance-2.verbatim.txt']) {
      const r = loadVexDocument(vex(f), f);
      expect(r.statements, f).toEqual([]);
      expect(r.problems, f).toHaveLength(1);
      expect(r.problems[0]!.message, f).toMatch(/^not valid JSON: .*; nothing in it was applied$/);
    }
  });

  it('inheritance example: the statement timestamp overrides the document one', () => {
    const r = loadVexDocument(vex('spec-inheritance-2.json'), 'v2.json');
    expect(r.statements.map((s) => [s.status, s.timestamp])).toEqual([
      ['under_investigation', '2023-01-08T18:02:03-06:00'],
      ['fixed', '2023-01-09T09:08:42-06:00'],
    ]);
  });
});

describe('loadVexDocument: invalid documents and statements', () => {
  const doc = (statements: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.invalid/vex-1',
      author: 'Security Team',
      timestamp: '2024-05-01T10:00:00Z',
      version: 1,
      statements,
      ...extra,
    });
  const ok = {
    vulnerability: { name: 'CVE-2019-14697' },
    products: [{ '@id': 'pkg:apk/alpine/musl' }],
    status: 'not_affected',
    justification: 'vulnerable_code_not_present',
  };

  it("not_affected needs a justification or an impact statement; labels must be the spec's", () => {
    const r = loadVexDocument(
      doc([
        { ...ok, justification: undefined },
        { ...ok, justification: 'not_reachable' },
        { ...ok, justification: undefined, impact_statement: 'built without the i386 code path' },
      ]),
      'a.json',
    );
    expect(r.statements.map((s) => s.index)).toEqual([3]);
    expect(r.problems.map((p) => [p.index, p.field, p.level])).toEqual([
      [1, 'justification', 'error'],
      [2, 'justification', 'error'],
    ]);
  });

  it('status, vulnerability, products and timestamps are checked, with the field named', () => {
    const r = loadVexDocument(
      doc([
        { ...ok, status: 'NOT_AFFECTED' },
        { ...ok, vulnerability: { aliases: ['CVE-2019-14697'] } },
        { ...ok, products: [] },
        { ...ok, products: [{ '@id': 'pkg:' }] },
        { ...ok, timestamp: 'yesterday' },
        { ...ok, vulnerability: { name: 'CVE-2019-14697', aliases: 'GHSA-x' } },
        'nope',
      ]),
      'b.json',
    );
    expect(r.statements).toEqual([]);
    expect(r.problems.filter((p) => p.level === 'error').map((p) => [p.index, p.field])).toEqual([
      [1, 'status'],
      [2, 'vulnerability.name'],
      [3, 'products'],
      [4, 'products[0].@id'],
      [5, 'timestamp'],
      [6, 'vulnerability.aliases'],
      [7, null],
    ]);
  });

  it('a statement with no timestamp and none on the document cannot be ordered: error', () => {
    const r = loadVexDocument(doc([ok], { timestamp: undefined }), 'c.json');
    expect(r.statements).toEqual([]);
    expect(r.problems[0]).toMatchObject({ index: 1, field: 'timestamp', level: 'error' });
  });

  it('whole-file errors: not JSON, not an object, not OpenVEX (CycloneDX, attestation), statements missing', () => {
    const cases: [string, RegExp][] = [
      ['{"@context": ', /^not valid JSON/],
      ['[]', /JSON object, not an array/],
      ['{"bomFormat":"CycloneDX","specVersion":"1.5"}', /CycloneDX VEX is not supported/],
      [
        '{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://openvex.dev/ns","predicate":{}}',
        /in-toto attestation/,
      ],
      [
        JSON.stringify({
          '@context': 'https://openvex.dev/ns/v0.2.0',
          '@id': 'x',
          timestamp: '2024-05-01T10:00:00Z',
          statements: {},
        }),
        /`statements` must be an array/,
      ],
    ];
    for (const [text, re] of cases) {
      const r = loadVexDocument(text, 'd.json');
      expect(r.statements, text).toEqual([]);
      expect(r.problems[0]!.message, text).toMatch(re);
      expect(hasErrors(r.problems), text).toBe(true);
    }
  });

  it('accepts the pre-0.2 context and a UTF-8 BOM; an empty statements list is only a warning', () => {
    const r = loadVexDocument('\uFEFF' + doc([ok], { '@context': 'https://openvex.dev/ns' }), 'e.json');
    expect(r.statements).toHaveLength(1);
    const empty = loadVexDocument(doc([]), 'f.json');
    expect(empty.problems).toEqual([expect.objectContaining({ level: 'warning', field: 'statements' })]);
  });

  it('hostile input is bounded: size cap and deep nesting', () => {
    const huge = ' '.repeat(MAX_VEX_BYTES + 1);
    expect(loadVexDocument(huge, 'g.json').problems[0]!.message).toContain('more than the 33554432');
    const deep = '['.repeat(2_000_000) + ']'.repeat(2_000_000);
    const r = loadVexDocument(deep, 'h.json');
    expect(r.statements).toEqual([]);
    expect(hasErrors(r.problems)).toBe(true);
  });

  it('RFC 3339 only', () => {
    expect(parseTimestamp('2023-01-08T18:02:03.647787998-06:00')).toBe(Date.parse('2023-01-09T00:02:03.647Z'));
    expect(parseTimestamp('2023-01-08')).toBeNaN();
    expect(parseTimestamp('January 8, 2023')).toBeNaN();
    expect(parseTimestamp(1673222523)).toBeNaN();
  });
});
