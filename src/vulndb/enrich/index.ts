/**
 * Enrichment for `scanrook db build --nvd DIR --epss FILE --kev FILE`: reads each input (./nvd.ts, ./epss.ts,
 * ./kev.ts) into one EnrichmentData, which the DB writer joins on the CVE ids its records name
 * (DbWriter.setEnrichment). A bad input is an Error whose message names the flag and the file.
 */
import { EnrichmentData } from './data.js';
import { readEpssFile } from './epss.js';
import { readKevFile } from './kev.js';
import { readNvdFolder } from './nvd.js';

export { cveId, EnrichmentData, type EnrichSource } from './data.js';

export interface EnrichInputs {
  nvd?: string | undefined;
  epss?: string | undefined;
  kev?: string | undefined;
}

/** Reads the inputs given; null when none is. */
export async function readEnrichment(inputs: EnrichInputs): Promise<EnrichmentData | null> {
  if (!inputs.nvd && !inputs.epss && !inputs.kev) return null;
  const data = new EnrichmentData();
  if (inputs.nvd) await readNvdFolder(inputs.nvd, data);
  if (inputs.epss) await readEpssFile(inputs.epss, data);
  if (inputs.kev) await readKevFile(inputs.kev, data);
  return data;
}
