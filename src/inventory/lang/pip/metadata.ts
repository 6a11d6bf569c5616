/**
 * Python core metadata (PEP 241/314/345/566/643): the RFC 822-style header block of a `.dist-info/METADATA`,
 * `.egg-info/PKG-INFO` or `.egg-info` file. Only the header block is read (the description body after the
 * first blank line is ignored); continuation lines (leading space or tab) extend the previous field.
 */

export interface PythonMetadata {
  name: string;
  version: string;
  metadataVersion: string | null;
}

/** PEP 503 normalised project name: lower case, runs of `-`, `_`, `.` become one `-`. */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The header fields of a metadata file (first value of each, lower-cased keys). */
export function metadataHeaders(body: Buffer): Map<string, string> {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out = new Map<string, string>();
  let last: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') break;
    if ((line[0] === ' ' || line[0] === '\t') && last !== null) {
      if (out.has(last) && last !== '') out.set(last, `${out.get(last)}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      last = null;
      continue;
    }
    const key = line.slice(0, colon).trim().toLowerCase();
    last = out.has(key) ? '' : key; // continuation of a repeated field is dropped with it
    if (!out.has(key)) out.set(key, line.slice(colon + 1).trim());
  }
  return out;
}

/** Name and version of a metadata file; throws naming what is missing. */
export function parsePythonMetadata(body: Buffer): PythonMetadata {
  const h = metadataHeaders(body);
  const name = h.get('name') ?? '';
  const version = h.get('version') ?? '';
  if (!name && !version) throw new Error('no Name and no Version header');
  if (!name) throw new Error('no Name header');
  if (!version) throw new Error('no Version header');
  return { name, version, metadataVersion: h.get('metadata-version') ?? null };
}
