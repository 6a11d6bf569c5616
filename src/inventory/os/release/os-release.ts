/**
 * Parsers for the files that name a Linux distribution: os-release (freedesktop.org spec: KEY=VALUE lines,
 * shell-style quoting and backslash escapes, `#` comments, blank lines), lsb-release (same syntax, DISTRIB_*
 * keys) and the one-line "<Name> release <version> (<codename>)" files of the Red Hat family.
 */

export interface ParsedAssignments {
  values: Record<string, string>;
  /** 1-based numbers of lines that were neither blank, a comment nor a KEY=VALUE assignment. */
  invalidLines: number[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads one shell-style value: double quotes (with \" \\ \$ \` escapes), single quotes, bare words. */
function parseValue(raw: string): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        if (raw[i] === '\\' && i + 1 < raw.length && '"\\$`'.includes(raw[i + 1]!)) {
          out += raw[i + 1];
          i += 2;
        } else {
          out += raw[i];
          i++;
        }
      }
      i++; // closing quote (or end of line for an unterminated one)
    } else if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      out += end < 0 ? raw.slice(i + 1) : raw.slice(i + 1, end);
      i = end < 0 ? raw.length : end + 1;
    } else if (c === '\\') {
      if (i + 1 < raw.length) out += raw[i + 1];
      i += 2;
    } else if (c === ' ' || c === '\t') {
      break; // unquoted whitespace ends the value; anything after (e.g. a trailing comment) is ignored
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Parses os-release / lsb-release text. Never throws; lines it cannot read are listed in invalidLines. */
export function parseAssignments(text: string): ParsedAssignments {
  const values: Record<string, string> = {};
  const invalidLines: number[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!KEY.test(key)) {
      invalidLines.push(n + 1);
      continue;
    }
    values[key] = parseValue(line.slice(eq + 1).trim());
  }
  return { values, invalidLines };
}

export interface ReleaseLine {
  /** Text before " release ", e.g. "Rocky Linux", "CentOS Linux", "Red Hat Enterprise Linux Server". */
  name: string;
  version: string;
  codename: string | null;
}

/** Parses "<Name> release <version> (<codename>)" (redhat-release, centos-release, rocky-release, …). */
export function parseReleaseLine(text: string): ReleaseLine | null {
  const first = text
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim();
  if (!first) return null;
  const m = /^(.+?)\s+release\s+(\S+)(?:\s*\(([^)]*)\))?/i.exec(first);
  if (!m) return null;
  return { name: m[1]!.trim(), version: m[2]!, codename: m[3]?.trim() || null };
}
