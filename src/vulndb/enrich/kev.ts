/**
 * CISA's Known Exploited Vulnerabilities catalogue (`known_exploited_vulnerabilities.json`): an object with
 * `catalogVersion`, `dateReleased` and `vulnerabilities: [{ cveID, dateAdded, dueDate,
 * knownRansomwareCampaignUse, … }]`. Hostile input: a file over MAX_KEV_BYTES, invalid JSON or no
 * `vulnerabilities` array is an error; an entry without a CVE id or a YYYY-MM-DD `dateAdded` is skipped and
 * counted; a CVE listed twice keeps its first entry. `knownRansomwareCampaignUse` other than `Known` is
 * `unknown` (CISA's only other value is `Unknown`).
 */
import { readFile, stat } from 'node:fs/promises';
import { isObject } from '../../util/is-object.js';
import { cveId, type EnrichmentData, type EnrichSource, isoDate, label, newSource, skipIn } from './data.js';

/** The real catalogue is ~1.3 MB for ~1,500 entries. */
export const MAX_KEV_BYTES = 64 * 1024 * 1024;

export async function readKevFile(path: string, data: EnrichmentData): Promise<EnrichSource> {
  const src = newSource('kev', path);
  let doc: unknown;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
    if (s.size > MAX_KEV_BYTES) throw new Error(`larger than ${MAX_KEV_BYTES} bytes`);
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(`--kev ${path}: ${(e as Error).message.slice(0, 200)}`);
  }
  if (!isObject(doc) || !Array.isArray(doc.vulnerabilities))
    throw new Error(`--kev ${path}: not a KEV catalogue (no "vulnerabilities" array)`);
  src.version = label(doc.catalogVersion);
  src.date = isoDate(doc.dateReleased);
  doc.vulnerabilities.forEach((v, i) => {
    const id = isObject(v) ? cveId(v.cveID) : null;
    const added = isObject(v) ? isoDate(v.dateAdded) : null;
    if (!isObject(v) || !id || !added) {
      skipIn(src, `vulnerabilities[${i}]`, 'no valid cveID and dateAdded (YYYY-MM-DD)');
      return;
    }
    if (data.kev.has(id)) {
      skipIn(src, `vulnerabilities[${i}]`, `${id} listed twice (the first entry is kept)`);
      return;
    }
    data.kev.set(id, {
      date_added: added,
      due_date: isoDate(v.dueDate),
      ransomware:
        typeof v.knownRansomwareCampaignUse === 'string' && /^known$/i.test(v.knownRansomwareCampaignUse.trim())
          ? 'known'
          : 'unknown',
    });
    src.records++;
  });
  data.sources.push(src);
  return src;
}
