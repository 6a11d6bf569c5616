/**
 * The dpkg analyzer's per-layer lister (src/inventory/os/dpkg/layer-keys.ts) against the plain one it
 * replaces: a full parseDpkgStatus of each version, (dpkgKey → version) of its entries in order. Real status
 * files from ../shared (and versions derived from them as layers rewrite them), and generated deb822 text
 * with the cases the chunking must get right: whitespace-only and Unicode-space separator lines, CRLF, lines
 * outside fields, duplicate fields, records cut at the end of the file, NUL bytes, invalid records.
 */

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deb822Chunks, dpkgLayerKeys } from '../../../src/inventory/os/dpkg/layer-keys.js';
import { type DpkgParseOptions, dpkgKey, parseDpkgStatus } from '../../../src/inventory/os/dpkg/status.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';

/** The plain lister: what the analyzer did before. */
function plain(body: Buffer, opts: DpkgParseOptions): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of parseDpkgStatus(body, opts).entries) m.set(dpkgKey(e), e.version);
  return m;
}

/** The fast lister seeded with `top` (parsed in full, as the analyzer does), asked about `lower`. */
function fast(top: Buffer, lower: Buffer, opts: DpkgParseOptions): Map<string, string> {
  return dpkgLayerKeys(opts, { body: top, entries: parseDpkgStatus(top, opts).entries })(lower);
}

const asList = (m: Map<string, string>) => [...m];

function check(top: Buffer, lower: Buffer, opts: DpkgParseOptions = {}): void {
  expect(asList(fast(top, lower, opts))).toEqual(asList(plain(lower, opts)));
  // Whatever the order the versions come in, and with an unrelated seed.
  const lister = dpkgLayerKeys(opts, { body: lower, entries: parseDpkgStatus(lower, opts).entries });
  expect(asList(lister(top))).toEqual(asList(plain(top, opts)));
  expect(asList(lister(lower))).toEqual(asList(plain(lower, opts)));
}

/** Paragraph texts of a status file (split at blank lines), each without its separator. */
function records(text: string): string[] {
  return text.split(/\n[ \t]*\n/).filter((r) => r.trim() !== '');
}

const STATUS_FILES = [
  'debian12-bookworm-767/var/lib/dpkg/status',
  'grype-debian-match-coverage/var/lib/dpkg/status',
  'trivy-ubuntu1804/var/lib/dpkg/status',
  'scalibr-valid/status',
  'scalibr-statusfield/status',
  'osv-scanner-locks-many/status',
];

describe.runIf(haveShared())('dpkg layer keys on real status files', () => {
  for (const f of STATUS_FILES) {
    it(f, () => {
      const top = readFileSync(sharedPath('data', 'pkgdb', 'dpkg', f));
      const text = top.toString('utf8');
      const recs = records(text);
      expect(recs.length).toBeGreaterThan(0);
      const lowers = [
        top, // an unchanged rewrite
        Buffer.from(text), // equal bytes, another Buffer
        Buffer.from(recs.slice(0, Math.ceil(recs.length / 2)).join('\n\n') + '\n'), // an earlier layer: fewer packages
        Buffer.from(recs.slice().reverse().join('\n\n') + '\n'),
        Buffer.from(
          recs.map((r, i) => (i % 3 === 0 ? r.replace(/^Version: (.*)$/m, 'Version: $1~old') : r)).join('\n\n') + '\n',
        ),
        Buffer.from(
          recs
            .map((r, i) => (i % 4 === 0 ? r.replace(/^Status: .*$/m, 'Status: deinstall ok config-files') : r))
            .join('\n\n') + '\n',
        ),
        Buffer.from(text.replace(/\n/g, '\r\n')),
        Buffer.from(recs.join('\n \t\n')), // whitespace-only separators, no final newline
        Buffer.from(recs.join('\n\u00a0\n') + '\n'), // a separator only String.trim calls blank
        Buffer.from(text.slice(0, Math.floor(text.length * 0.7))), // cut inside a record
        Buffer.from([...recs, recs[0]!.replace(/^Version: (.*)$/m, 'Version: $1+dup')].join('\n\n') + '\n'), // a key twice: last wins
        Buffer.alloc(0),
      ];
      for (const lower of lowers) check(top, lower);
      // statusOptional (the status.d layout)
      check(top, lowers[2]!, { statusOptional: true });
    });
  }
});

describe('dpkg layer keys on generated deb822 text', () => {
  const field = fc.constantFrom(
    'Package: a',
    'Package: b',
    'Package: lib-c',
    'Package: bad name',
    'Package:',
    'package: a',
    'Version: 1.0-1',
    'Version: 2:1.0',
    'Version: 1 0',
    'Version:',
    'Architecture: amd64',
    'Architecture: i386',
    'Architecture:',
    'Status: install ok installed',
    'Status: deinstall ok installed',
    'Status: install ok unpacked',
    'Status: bogus',
    'Status: hold ok triggers-pending',
    'Source: src (9.9)',
    'Source: src',
    'Source: (bad',
    'Description: x',
    ' continued',
    '\tcontinued',
    ' .',
    'not a field',
    ':empty',
    'Package: a\r',
    'Version: 3\0',
  );
  const sep = fc.constantFrom('', ' ', '\t', '\r', ' \r', '\u00a0', '\u3000', '\ufeff', '\u2028x');
  const text = fc
    .array(
      fc.oneof(
        field,
        sep.map((s) => ({ sep: s })),
      ),
      { maxLength: 40 },
    )
    .chain((parts) =>
      fc.boolean().map((final) => {
        const lines = parts.map((p) => (typeof p === 'string' ? p : p.sep));
        return lines.join('\n') + (final && lines.length ? '\n' : '');
      }),
    );

  it('gives what a full parse of each version gives', () => {
    fc.assert(
      fc.property(text, text, fc.boolean(), (a, b, optional) => {
        const opts = { statusOptional: optional };
        const top = Buffer.from(a);
        const lower = Buffer.from(b);
        expect(asList(fast(top, lower, opts))).toEqual(asList(plain(lower, opts)));
        // a lower version sharing records with the top (what layers do): the memo is used
        const mixed = Buffer.from(b + '\n\n' + a);
        expect(asList(fast(top, mixed, opts))).toEqual(asList(plain(mixed, opts)));
      }),
      { numRuns: 2000 },
    );
  });

  it('splits into chunks holding at most one record, covering every non-blank line once', () => {
    fc.assert(
      fc.property(text, (t) => {
        const chunks = deb822Chunks(t);
        let lines = 0;
        for (const c of chunks) {
          expect(parseDpkgStatus(c.text, { statusOptional: true }).entries.length).toBeLessThanOrEqual(1);
          lines += c.last - c.first + 1;
          expect(c.text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '').length).toBe(
            c.last - c.first + 1,
          );
        }
        const nonBlank = (t.endsWith('\n') ? t.slice(0, -1) : t)
          .split('\n')
          .filter((l) => t !== '' && l.replace(/\r$/, '').trim() !== '').length;
        expect(lines).toBe(nonBlank);
      }),
      { numRuns: 1000 },
    );
  });
});
