/**
 * CVSS ratings from NVD CVE API 2.0 records and CVE JSON 5 records, read from a folder laid out as
 * ../shared/data/nvd/ (`nvd-api-2.0/CVE-YYYY/…/CVE-….json`, `cvelistV5/cves/YYYY/…/CVE-….json`), recursively.
 *
 * Each `*.json` file is one of:
 * - an NVD API 2.0 `cve` object (`id`, `metrics`, …: what fkie-cad/nvd-json-data-feeds stores per CVE), or an
 *   item holding one (`{ "cve": {…} }`), or a whole API response page (`vulnerabilities: [{ cve }]`);
 * - a CVE 5 record (`dataType: CVE_RECORD`, or `cveMetadata` + `containers`): the CNA container's metrics and
 *   each ADP container's (CISA-ADP is org 134c704f-9b21-4f2e-91b3-4a467353bcc0, "Vulnrichment").
 * Anything else (a JSON schema, a table) is not a record: ignored, counted. Hostile input: a file over
 * MAX_NVD_FILE_BYTES, invalid JSON, a record without a CVE id is skipped and counted; a metric that is not a
 * well-formed rating (vector not a string of CVSS characters, score not in 0–10, unknown version) is dropped.
 * Symbolic links are not followed; the walk stops at MAX_DEPTH folders and MAX_NVD_FILES files. Rejected CVEs
 * give no rating.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isObject } from '../../util/is-object.js';
import type { CvssRating } from '../types.js';
import { cveId, type EnrichmentData, type EnrichSource, label, newSource, type RatingKind, skipIn } from './data.js';

/** The largest record file read (real CVE 5 records with Red Hat's ADP lists reach a few MB; an API page more). */
export const MAX_NVD_FILE_BYTES = 64 * 1024 * 1024;
/** At most this many files are looked at (NVD holds ~300k CVEs; both formats: twice that). */
export const MAX_NVD_FILES = 4_000_000;
const MAX_DEPTH = 12;

const NVD_PRIMARY = 'nvd@nist.gov';
const CISA_ADP = '134c704f-9b21-4f2e-91b3-4a467353bcc0';

type Obj = Record<string, unknown>;

const VECTOR = /^[A-Za-z0-9:/.()]{5,255}$/;

/** A rating from a CVSS data object (`cvssData` of NVD, `cvssV3_1` of CVE 5), or null when malformed. */
function rating(d: unknown, source: string, versionHint: string): CvssRating | null {
  if (!isObject(d)) return null;
  const vector = d.vectorString;
  if (typeof vector !== 'string' || !VECTOR.test(vector)) return null;
  const v = typeof d.version === 'string' ? d.version : versionHint;
  const version = v === '2' ? '2.0' : v;
  if (!['2.0', '3.0', '3.1', '4.0'].includes(version)) return null;
  const s = d.baseScore;
  const score = typeof s === 'number' && Number.isFinite(s) && s >= 0 && s <= 10 ? s : null;
  return { source, version, vector, score };
}

const NVD_KEYS: [string, string][] = [
  ['cvssMetricV40', '4.0'],
  ['cvssMetricV31', '3.1'],
  ['cvssMetricV30', '3.0'],
  ['cvssMetricV2', '2.0'],
];

/** Ratings of one NVD API 2.0 `cve` object into `data`; false when it is not one. */
function readNvdCve(cve: Obj, data: EnrichmentData): 'ok' | 'no-id' {
  const id = cveId(cve.id);
  if (!id) return 'no-id';
  if (cve.vulnStatus === 'Rejected') return 'ok';
  const metrics = isObject(cve.metrics) ? cve.metrics : {};
  for (const [key, version] of NVD_KEYS) {
    const list = metrics[key];
    if (!Array.isArray(list)) continue;
    for (const m of list.slice(0, 64)) {
      if (!isObject(m)) continue;
      const source = label(m.source) ?? 'unknown';
      const primary = m.type === 'Primary' && source === NVD_PRIMARY;
      const kind: RatingKind = primary ? 'nvd' : source === CISA_ADP ? 'cisaNvd' : 'other';
      const name = primary ? 'NVD' : kind === 'cisaNvd' ? 'CISA-ADP' : `NVD secondary (${source})`;
      const r = rating(m.cvssData, name, version);
      if (r) data.addRating(id, kind, r);
    }
  }
  return 'ok';
}

const CVE5_KEYS: [string, string][] = [
  ['cvssV4_0', '4.0'],
  ['cvssV3_1', '3.1'],
  ['cvssV3_0', '3.0'],
  ['cvssV2_0', '2.0'],
];

function cve5Metrics(metrics: unknown, out: (key: string, d: unknown, version: string) => void): void {
  if (!Array.isArray(metrics)) return;
  for (const m of metrics.slice(0, 64)) {
    if (!isObject(m)) continue;
    for (const [key, version] of CVE5_KEYS) if (m[key] !== undefined) out(key, m[key], version);
  }
}

/** Ratings of one CVE 5 record into `data`. */
function readCve5(rec: Obj, data: EnrichmentData): 'ok' | 'no-id' {
  const meta = isObject(rec.cveMetadata) ? rec.cveMetadata : {};
  const id = cveId(meta.cveId);
  if (!id) return 'no-id';
  if (meta.state === 'REJECTED') return 'ok';
  const containers = isObject(rec.containers) ? rec.containers : {};
  if (isObject(containers.cna)) {
    cve5Metrics(containers.cna.metrics, (_k, d, v) => {
      const r = rating(d, 'CNA', v);
      if (r) data.addRating(id, 'cna', r);
    });
  }
  if (Array.isArray(containers.adp)) {
    for (const adp of containers.adp.slice(0, 64)) {
      if (!isObject(adp)) continue;
      const pm = isObject(adp.providerMetadata) ? adp.providerMetadata : {};
      const org = label(pm.orgId) ?? '';
      const isCisa = org === CISA_ADP;
      const name = isCisa ? 'CISA-ADP' : `ADP (${label(pm.shortName) ?? (org || 'unknown')})`;
      cve5Metrics(adp.metrics, (_k, d, v) => {
        const r = rating(d, name, v);
        if (r) data.addRating(id, isCisa ? 'cisa5' : 'other', r);
      });
    }
  }
  return 'ok';
}

/** What a parsed file is, and reads it. */
function readDocument(doc: unknown, data: EnrichmentData, src: EnrichSource, file: string): void {
  if (!isObject(doc)) {
    src.ignored++;
    return;
  }
  if (doc.dataType === 'CVE_RECORD' || (isObject(doc.cveMetadata) && isObject(doc.containers))) {
    if (readCve5(doc, data) === 'ok') src.records++;
    else skipIn(src, file, 'a CVE 5 record without a valid cveMetadata.cveId');
    return;
  }
  if (Array.isArray(doc.vulnerabilities)) {
    for (const item of doc.vulnerabilities) {
      const cve = isObject(item) && isObject(item.cve) ? item.cve : null;
      if (cve && readNvdCve(cve, data) === 'ok') src.records++;
      else skipIn(src, file, 'an API 2.0 vulnerabilities[] item without a cve object holding a valid id');
    }
    return;
  }
  const cve = isObject(doc.cve) ? doc.cve : doc;
  if (typeof cve.id === 'string' && (cve.metrics !== undefined || cve.vulnStatus !== undefined)) {
    if (readNvdCve(cve, data) === 'ok') src.records++;
    else skipIn(src, file, `an NVD record whose id is not a CVE id`);
    return;
  }
  src.ignored++;
}

/** Reads every record under `dir` into `data`; returns (and adds to data.sources) what it read. */
export async function readNvdFolder(dir: string, data: EnrichmentData): Promise<EnrichSource> {
  const src = newSource('nvd', dir);
  let s;
  try {
    s = await stat(dir);
  } catch {
    throw new Error(`--nvd ${dir}: no such folder`);
  }
  if (!s.isDirectory()) throw new Error(`--nvd ${dir}: not a folder`);
  let files = 0;
  const walk = async (d: string, depth: number): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(p, depth + 1);
        else skipIn(src, relative(dir, p), `folder deeper than ${MAX_DEPTH} levels, not read`);
        continue;
      }
      if (!e.isFile() || !e.name.toLowerCase().endsWith('.json')) continue;
      if (++files > MAX_NVD_FILES) throw new Error(`--nvd ${dir}: more than ${MAX_NVD_FILES} JSON files`);
      const rel = relative(dir, p);
      try {
        const st = await stat(p);
        if (st.size > MAX_NVD_FILE_BYTES) {
          skipIn(src, rel, `larger than ${MAX_NVD_FILE_BYTES} bytes`);
          continue;
        }
        const text = await readFile(p, 'utf8');
        let doc: unknown;
        try {
          doc = JSON.parse(text);
        } catch (err) {
          skipIn(src, rel, `invalid JSON: ${(err as Error).message.slice(0, 120)}`);
          continue;
        }
        readDocument(doc, data, src, rel);
      } catch (err) {
        skipIn(src, rel, `cannot read: ${(err as Error).message.slice(0, 120)}`);
      }
    }
  };
  await walk(dir, 0);
  data.sources.push(src);
  return src;
}
