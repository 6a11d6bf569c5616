/**
 * The CLI's front end in pieces (issue 14 item 4): every action input that is not about GitHub has a flag of
 * the same name; "did you mean"; hints in the CLI's words; a size limit read back in the unit it was written in.
 */
import { describe, expect, it } from 'vitest';
import { helpText } from '../../src/cli/help.js';
import { cliHint, cliWording } from '../../src/cli/hints.js';
import { closest, didYouMean } from '../../src/cli/suggest.js';
import { REASON_CODES, reasonInfo } from '../../src/model/reasons.js';
import type { Reason } from '../../src/model/report.js';
import { SCAN_FLAGS } from '../../src/settings/flags.js';
import { parseSize } from '../../src/settings/values.js';
import { fmtSizeLimit } from '../../src/util/size-limit.js';
import { loadActionMeta } from '../action/action-yml.js';

/** Inputs about the job on GitHub (images are the CLI's argument; the DB cache is --no-db-cache). */
const ACTION_ONLY = new Set([
  'image',
  'image-tar',
  'db-cache',
  'sarif-file',
  'upload-sarif',
  'sarif-category',
  'comment',
  'annotations',
  'summary',
  'dockerfile',
  'report-file',
  'github-token',
]);

describe('every gate and scan input of the action is a CLI flag', () => {
  it('action.yml inputs → flags of the same name', () => {
    const inputs = loadActionMeta().inputs.map(([name]) => name);
    const missing = inputs.filter((i) => !ACTION_ONLY.has(i) && !SCAN_FLAGS.includes(`--${i}`));
    expect(missing).toEqual([]);
    for (const gate of ['fail-on-status', 'warn-on-status', 'fail-on-reasons', 'warn-on-reasons', 'fixed-only-gate'])
      expect(helpText('scan')).toContain(`--${gate}`);
  });
});

describe('did you mean', () => {
  it.each([
    ['--sevrity-threshold', '--severity-threshold'],
    ['--severity', '--severity-threshold'],
    ['--fail-on-stat', '--fail-on-status'],
    ['--db-pth', '--db-path'],
    ['--ouptut', '--output'],
    ['--Mode', '--mode'],
  ])('%s → %s', (typed, want) => {
    expect(closest(typed, SCAN_FLAGS)).toBe(want);
  });
  it('nothing close: no suggestion', () => {
    expect(didYouMean('--colour', SCAN_FLAGS)).toBe('');
    expect(didYouMean('x'.repeat(5000), SCAN_FLAGS)).toBe('');
    expect(closest('sacn', ['scan', 'bin', 'db'])).toBe('scan');
    expect(closest('xyz', ['scan', 'bin', 'db'])).toBeNull();
  });
});

describe('hints in the CLI words', () => {
  const reason = (code: (typeof REASON_CODES)[number], message = 'm'): Reason => ({
    code,
    stage: reasonInfo(code).stage,
    message,
    hint: reasonInfo(code).hint,
  });

  it('no registry hint, as the CLI prints it, names an action input or `name: value`', () => {
    for (const code of REASON_CODES) {
      const h = cliHint(reason(code));
      expect(h, code).not.toMatch(/`image-tar`|`image`|`[a-z-]+: [^`]+`/);
    }
  });

  it('rewords inputs as flags and leaves other text alone', () => {
    expect(cliWording('Use `mode: light` or raise `max-image-size`; see `scanrook bin`.')).toBe(
      'Use `--mode light` or raise `--max-image-size`; see `scanrook bin`.',
    );
    expect(cliWording('Check network access to `db-url`, or ship a DB with `db-path`.')).toBe(
      'Check network access to `--db-url`, or ship a DB with `--db-path`.',
    );
  });

  it('a --db-path without data, or without the ecosystem, is not a network problem', () => {
    const noData = cliHint(
      reason('vulndb_unavailable', 'db-path /x: /x: no OSV data in it (no all.zip, no *.json records)'),
    );
    expect(noData).toContain('`--db-path`');
    expect(noData).not.toMatch(/network/i);
    const noRecords = cliHint(
      reason(
        'vulndb_unavailable',
        'the vulnerability data (db-path x) holds no records for Rocky Linux:9: 4 package(s) were not matched',
      ),
    );
    expect(noRecords).toMatch(/no records for that ecosystem/);
    expect(cliHint(reason('vulndb_unavailable', 'download of https://x failed'))).toBe(
      'Check network access to `--db-url`, or ship a DB with `--db-path` for air-gapped runners.',
    );
  });
});

describe('a size limit in the unit it was written in', () => {
  it.each([
    ['1MB', '1 MB'],
    ['100KB', '100 KB'],
    ['1.5G', '1.5 GB'],
    ['512MiB', '512 MiB'],
    ['2GiB', '2 GiB'],
    ['0.5MiB', '512 KiB'],
    ['10GB', '10 GB'],
    ['1024', '1 KiB'],
    ['1000', '1 KB'],
    ['1234567', '1234567 bytes'],
    ['512', '512 bytes'],
  ])('%s → %s', (written, shown) => {
    expect(fmtSizeLimit(parseSize('max-image-size', written))).toBe(shown);
  });
});
