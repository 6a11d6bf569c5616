/**
 * Hints by cause (issue 14, "hints for the wrong interface or cause"): vulndb_unavailable from a db-path
 * without data, or from data without the image's ecosystem, is not "check network access", and is worded
 * for the interface in use. Messages as the vulnerability DB stage writes them.
 */
import { describe, expect, it } from 'vitest';
import { reasonInfo } from '../../src/model/reasons.js';
import { causeHint } from '../../src/report/hints.js';

const NO_DATA = 'db-path /opt/db: /opt/db: no OSV data in it (no all.zip, no *.json records)';
const MISSING = 'db-path /opt/typo does not exist';
const NO_RECORDS =
  'the vulnerability data (db-path vulndb.sqlite) holds no records for Rocky Linux:9: 4 package(s) were not matched';
const DOWNLOAD = 'could not download https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip: HTTP 503';

describe('vulndb_unavailable hints by cause', () => {
  const r = (message: string) => ({ code: 'vulndb_unavailable' as const, message });
  it.each([NO_DATA, MISSING])('a db-path without data (%s): the path, not the network', (m) => {
    expect(causeHint(r(m), 'action')).toBe(
      'Give `db-path` a DB file from `scanrook db build` or a folder of OSV data (<Ecosystem>/all.zip, *.json).',
    );
    expect(causeHint(r(m), 'cli')).toContain('`--db-path`');
    expect(reasonInfo('vulndb_unavailable').hint).toMatch(/network/);
  });
  it('data without the ecosystem: build a DB that has it', () => {
    expect(causeHint(r(NO_RECORDS), 'action')).toMatch(/no records for that ecosystem.*leave out `db-path`.*`db-url`/);
    expect(causeHint(r(NO_RECORDS), 'cli')).toMatch(/leave out `--db-path` to download from `--db-url`/);
  });
  it('a failed download keeps the registry hint; other reasons too', () => {
    expect(causeHint(r(DOWNLOAD), 'action')).toBeNull();
    expect(causeHint({ code: 'vulndb_stale', message: NO_DATA }, 'cli')).toBeNull();
  });
});
