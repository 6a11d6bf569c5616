/**
 * Enrichment inputs as hostile bytes, generated here: malformed EPSS rows (hex, Infinity, empty fields, out of
 * range, overlong lines, duplicates, CRLF, no header), a corrupt gzip stream, KEV catalogues with broken
 * entries or none, NVD / CVE 5 folders holding invalid JSON, non-records, ids that are not CVE ids, bad
 * metrics, a symbolic link to a folder outside; stored rows of the wrong shape. Each is skipped and counted
 * or refused with an error naming the flag — never a crash, never a made-up value.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { checkEnrichment, EnrichmentData } from '../../src/vulndb/enrich/data.js';
import { readEpssFile } from '../../src/vulndb/enrich/epss.js';
import { readKevFile } from '../../src/vulndb/enrich/kev.js';
import { readNvdFolder } from '../../src/vulndb/enrich/nvd.js';

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-enrich-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, body: string | Uint8Array): string {
  const p = join(tmp, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, body);
  return p;
}

const EPSS_ROWS = [
  '#model_version:v2099.01.01,score_date:2099-02-03T00:00:00Z',
  'cve,epss,percentile',
  'CVE-2020-0001,0.5,0.9',
  'CVE-2020-0002,2e-05,1.0',
  'cve-2020-0003,.25,0.5\r',
  'CVE-2020-0004,0x1,0.5',
  'CVE-2020-0005,Infinity,0.5',
  'CVE-2020-0006,,0.5',
  'CVE-2020-0007,1.5,0.5',
  'CVE-2020-0008,-0.1,0.5',
  'CVE-2020-0009,0.1',
  'NOT-A-CVE,0.1,0.1',
  'CVE-2020-0001,0.9,0.9',
  `CVE-2020-0010,0.1,0.1${'9'.repeat(5000)}`,
  'CVE-2020-0011,1e-400,0.5',
  'CVE-2020-0012,0.3,0.4',
];

describe('EPSS', () => {
  it('keeps the well-formed rows, skips and counts the rest; gzip or not, the same', async () => {
    const text = EPSS_ROWS.join('\n');
    for (const p of [file('epss.csv', text), file('epss.csv.gz', gzipSync(text))]) {
      const data = new EnrichmentData();
      const src = await readEpssFile(p, data);
      expect([...data.epss.keys()].sort()).toEqual([
        'CVE-2020-0001',
        'CVE-2020-0002',
        'CVE-2020-0003',
        'CVE-2020-0011',
        'CVE-2020-0012',
      ]);
      expect(data.epss.get('CVE-2020-0001')).toEqual({ score: 0.5, percentile: 0.9, date: '2099-02-03' });
      expect(data.epss.get('CVE-2020-0002')).toEqual({ score: 2e-5, percentile: 1, date: '2099-02-03' });
      expect(data.epss.get('CVE-2020-0011')!.score).toBe(0); // 1e-400 underflows to 0, a valid probability
      expect(src.records).toBe(5);
      expect(src.skipped).toBe(EPSS_ROWS.length - 2 - 5);
      expect(src.version).toBe('v2099.01.01');
    }
  });

  it('a line longer than a chunk is one skipped row, the rows around it are kept', async () => {
    const long = `CVE-2020-0100,0.1,0.1${'0'.repeat(300_000)}`;
    const p = file(
      'long.csv',
      ['cve,epss,percentile', 'CVE-2020-0099,0.1,0.2', long, 'CVE-2020-0101,0.3,0.4'].join('\n'),
    );
    const data = new EnrichmentData();
    const src = await readEpssFile(p, data);
    expect([...data.epss.keys()]).toEqual(['CVE-2020-0099', 'CVE-2020-0101']);
    expect(src.skipped).toBe(1);
  });

  it('columns in another order; no date in the file: the file name gives it', async () => {
    const p = file('epss_scores-2031-05-06.csv', 'percentile,cve,epss\n0.7,CVE-2021-0001,0.2\n');
    const data = new EnrichmentData();
    await readEpssFile(p, data);
    expect(data.epss.get('CVE-2021-0001')).toEqual({ score: 0.2, percentile: 0.7, date: '2031-05-06' });
  });

  it('a corrupt gzip stream is refused with an error naming --epss (nothing half-read is kept)', async () => {
    const gz = gzipSync(EPSS_ROWS.join('\n'));
    const bad = Buffer.concat([gz.subarray(0, 30), Buffer.alloc(40, 0xff), gz.subarray(70)]);
    await expect(readEpssFile(file('bad.csv.gz', bad), new EnrichmentData())).rejects.toThrow(/^--epss .*gzip/);
    await expect(readEpssFile(join(tmp, 'missing.csv'), new EnrichmentData())).rejects.toThrow(/^--epss /);
  });
});

describe('KEV', () => {
  it('skips entries without a CVE id or date, keeps the first of a duplicate', async () => {
    const p = file(
      'kev.json',
      JSON.stringify({
        catalogVersion: '2099.01.01',
        dateReleased: '2099-01-01T00:00:00Z',
        vulnerabilities: [
          {
            cveID: 'CVE-2020-0001',
            dateAdded: '2021-01-01',
            dueDate: '2021-02-01',
            knownRansomwareCampaignUse: 'Known',
          },
          { cveID: 'CVE-2020-0001', dateAdded: '2022-01-01' },
          { cveID: 'CVE-2020-0002', dateAdded: '2021-01-01', dueDate: 'soon', knownRansomwareCampaignUse: 'maybe' },
          { cveID: 'CVE-2020-0003', dateAdded: 'yesterday' },
          { cveID: 42, dateAdded: '2021-01-01' },
          'CVE-2020-0004',
          null,
        ],
      }),
    );
    const data = new EnrichmentData();
    const src = await readKevFile(p, data);
    expect(Object.fromEntries(data.kev)).toEqual({
      'CVE-2020-0001': { date_added: '2021-01-01', due_date: '2021-02-01', ransomware: 'known' },
      'CVE-2020-0002': { date_added: '2021-01-01', due_date: null, ransomware: 'unknown' },
    });
    expect(src.skipped).toBe(5);
  });

  it('refuses what is not a catalogue', async () => {
    await expect(readKevFile(file('kev-bad.json', '{"vulnerabilities": {}}'), new EnrichmentData())).rejects.toThrow(
      /^--kev .*no "vulnerabilities" array/,
    );
    await expect(readKevFile(file('kev-bad2.json', '[1,2'), new EnrichmentData())).rejects.toThrow(/^--kev /);
  });
});

describe('NVD / CVE 5 folder', () => {
  it('reads the records, skips and counts what is broken, ignores what is not a record, follows no symlink', async () => {
    const dir = join(tmp, 'nvd');
    const nvd = (id: unknown, metrics: unknown) => JSON.stringify({ id, vulnStatus: 'Analyzed', metrics });
    const m31 = (source: string, type: string, vector: unknown, score: unknown) => ({
      cvssMetricV31: [{ source, type, cvssData: { version: '3.1', vectorString: vector, baseScore: score } }],
    });
    file(
      'nvd/a/CVE-2020-0001.json',
      nvd('CVE-2020-0001', m31('nvd@nist.gov', 'Primary', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8)),
    );
    file(
      'nvd/a/CVE-2020-0002.json',
      nvd('CVE-2020-0002', m31('nvd@nist.gov', 'Primary', 'CVSS:3.1/AV:N <script>', 99)),
    );
    file('nvd/a/CVE-2020-0003.json', nvd('GHSA-xxxx', {}));
    file('nvd/a/broken.json', '{"id": "CVE-2020-0004", "metrics": {');
    file('nvd/a/schema.json', JSON.stringify({ $schema: 'x', properties: {} }));
    file('nvd/a/list.json', '[1, 2, 3]');
    file('nvd/a/readme.txt', 'not json');
    file(
      'nvd/b/CVE-2020-0005.json',
      JSON.stringify({
        dataType: 'CVE_RECORD',
        cveMetadata: { cveId: 'CVE-2020-0005', state: 'PUBLISHED' },
        containers: {
          cna: {
            metrics: [
              {
                cvssV3_1: {
                  version: '3.1',
                  vectorString: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
                  baseScore: 4,
                },
              },
              'x',
              null,
            ],
          },
          adp: [null, { providerMetadata: { orgId: '134c704f-9b21-4f2e-91b3-4a467353bcc0' }, metrics: 'nope' }],
        },
      }),
    );
    file(
      'nvd/b/page.json',
      JSON.stringify({
        vulnerabilities: [{ cve: JSON.parse(nvd('CVE-2020-0006', { cvssMetricV2: 'x' })) }, { nope: 1 }, 7],
      }),
    );
    const outside = join(tmp, 'outside');
    file(
      'outside/CVE-2020-0009.json',
      nvd('CVE-2020-0009', m31('nvd@nist.gov', 'Primary', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8)),
    );
    symlinkSync(outside, join(dir, 'link'));
    symlinkSync(join(outside, 'CVE-2020-0009.json'), join(dir, 'CVE-2020-0009.json'));
    const data = new EnrichmentData();
    const src = await readNvdFolder(dir, data);
    expect(data.ratingsOf('CVE-2020-0001')).toEqual([
      { source: 'NVD', version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
    ]);
    expect(data.ratingsOf('CVE-2020-0002')).toEqual([]); // a vector with a space and a score of 99: dropped
    expect(data.ratingsOf('CVE-2020-0005')).toEqual([
      { source: 'CNA', version: '3.1', vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', score: 4 },
    ]);
    expect(data.get('CVE-2020-0009')).toBeUndefined();
    // Read: 0001, 0002, 0005, 0006 (page item). Skipped: GHSA id, broken JSON, two page items. Ignored: schema, list.
    expect({ records: src.records, skipped: src.skipped, ignored: src.ignored }).toEqual({
      records: 4,
      skipped: 4,
      ignored: 2,
    });
    await expect(readNvdFolder(join(tmp, 'nope'), new EnrichmentData())).rejects.toThrow(/^--nvd /);
  });
});

describe('stored enrichment rows (a DB file is input too)', () => {
  it('drops what is malformed, keeps what is usable', () => {
    expect(checkEnrichment(null)).toBeNull();
    expect(checkEnrichment([1])).toBeNull();
    expect(checkEnrichment({ cvss: 'x', epss: { score: 2, percentile: 0.5 }, kev: { date_added: 5 } })).toBeNull();
    expect(
      checkEnrichment({
        cvss: [{ source: 'NVD', version: '3.1', vector: 'CVSS:3.1/AV:N', score: 'high' }, 7],
        epss: { score: 0.1, percentile: 0.2, date: '<b>' },
        kev: { date_added: '2020-01-01', due_date: 3, ransomware: 'yes' },
      }),
    ).toEqual({
      cvss: [{ source: 'NVD', version: '3.1', vector: 'CVSS:3.1/AV:N', score: null }],
      epss: { score: 0.1, percentile: 0.2, date: null },
      kev: { date_added: '2020-01-01', due_date: null, ransomware: 'unknown' },
    });
  });
});
