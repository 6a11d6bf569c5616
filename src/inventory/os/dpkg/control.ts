/**
 * A bounded, single-pass reader of dpkg's deb822 database files (var/lib/dpkg/status, status.d/*):
 * paragraphs separated by blank (or whitespace-only) lines, `Name: value` fields (names case-insensitive),
 * continuation lines starting with a space or tab, CRLF tolerated, last paragraph with or without a trailing
 * blank line. Lines it cannot read are reported, never thrown.
 */
import { eachLine } from '../../lines.js';

export interface Paragraph {
  /** Lower-cased field name → value (continuation lines joined with '\n'). First occurrence wins. */
  fields: Map<string, string>;
  /** 1-based line of the paragraph's first field. */
  line: number;
  /** Field name whose value the file ended in, without a final newline (possibly cut), else null. */
  unterminated: string | null;
}

export interface ParseIssue {
  line: number;
  message: string;
}

export interface ParseResult {
  paragraphs: Paragraph[];
  issues: ParseIssue[];
}

const FIELD = /^([!-9;-~][!-9;-~]*):(.*)$/; // printable ASCII without ':' and space, then ':'

export function parseDeb822(text: string): ParseResult {
  const paragraphs: Paragraph[] = [];
  const issues: ParseIssue[] = [];
  let cur: Paragraph | null = null;
  let lastField: string | null = null;
  eachLine(text, (line, lineNo, terminated) => {
    if (line.trim() === '') {
      if (cur) paragraphs.push(cur);
      cur = null;
      lastField = null;
      return;
    }
    const c0 = line.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) {
      if (!cur || lastField === null) {
        issues.push({ line: lineNo, message: 'continuation line outside a field' });
        return;
      }
      if (cur.fields.has(lastField)) cur.fields.set(lastField, cur.fields.get(lastField)! + '\n' + line.slice(1));
      if (!terminated) cur.unterminated = lastField;
      return;
    }
    const m = FIELD.exec(line);
    if (!m) {
      issues.push({ line: lineNo, message: `not a "Field: value" line: ${JSON.stringify(line.slice(0, 60))}` });
      lastField = null;
      return;
    }
    if (!cur) cur = { fields: new Map(), line: lineNo, unterminated: null };
    const name = m[1]!.toLowerCase();
    if (cur.fields.has(name)) {
      issues.push({ line: lineNo, message: `duplicate field '${m[1]}' (first value kept)` });
      lastField = '\0dup';
    } else {
      cur.fields.set(name, m[2]!.trim());
      lastField = name;
    }
    if (!terminated) cur.unterminated = name;
  });
  if (cur) paragraphs.push(cur);
  return { paragraphs, issues };
}
