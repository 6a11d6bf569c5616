/**
 * OpenVEX documents (`vex` input, `--vex` flag), spec v0.2.0 (https://github.com/openvex/spec), also
 * accepting the older `https://openvex.dev/ns` context. What is read:
 *  - document: `@context` (must be an openvex.dev/ns URL), `@id`, `timestamp` (cascades into statements),
 *    `statements[]`;
 *  - statement: `vulnerability` (`name`, `aliases`, `@id`), `products[]` (`@id`, `identifiers.purl`,
 *    `hashes`, `subcomponents[]`), `status`, `justification`, `impact_statement`, `action_statement`,
 *    `status_notes`, `timestamp`.
 * A statement the spec calls incomplete or invalid (no vulnerability name, no products, unknown status,
 * `not_affected` without justification or impact statement, no timestamp on it nor on the document, an
 * unknown justification label) is dropped with an `error` problem. A file that is not JSON, or not an
 * OpenVEX document, is an `error` for the whole file.
 */
import { errorText } from '../../util/error-text.js';
import { isObject } from '../../util/is-object.js';
import { parsePurl } from './purl-match.js';
import type { LoadedVex, SuppressionProblem, VexComponent, VexProduct, VexStatement, VexStatus } from './types.js';
import { VEX_JUSTIFICATIONS, VEX_STATUSES } from './types.js';

export const MAX_VEX_BYTES = 32 * 1024 * 1024;
export const MAX_VEX_STATEMENTS = 100_000;
const MAX_PRODUCTS = 100_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp; NaN when it is not one. */
export function parseTimestamp(s: unknown): number {
  if (typeof s !== 'string' || !RFC3339.test(s)) return NaN;
  return Date.parse(s.replace(' ', 'T'));
}

function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  return v === null
    ? 'null'
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'object'
        ? 'an object'
        : `${typeof v} ${String(JSON.stringify(v)).slice(0, 60)}`;
}

function optText(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

export function loadVexDocument(text: string, source: string): LoadedVex {
  const problems: SuppressionProblem[] = [];
  const problem = (index: number | null, field: string | null, message: string, level: 'error' | 'warning' = 'error') =>
    problems.push({ level, kind: 'vex', source, index, field, message });
  const statements: VexStatement[] = [];

  if (typeof text !== 'string') {
    problem(null, null, 'the file could not be read as text');
    return { statements, problems };
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_VEX_BYTES) {
    problem(
      null,
      null,
      `the file is ${bytes} bytes, more than the ${MAX_VEX_BYTES} a VEX document may have; nothing in it was applied`,
    );
    return { statements, problems };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const msg = e instanceof RangeError ? 'nested too deeply' : errorText(e).replace(/\s+/g, ' ').slice(0, 200);
    problem(null, null, `not valid JSON: ${msg}; nothing in it was applied`);
    return { statements, problems };
  }
  if (!isObject(doc)) {
    problem(null, null, `an OpenVEX document is a JSON object, not ${kindOf(doc)}; nothing in it was applied`);
    return { statements, problems };
  }
  const ctx = doc['@context'];
  if (typeof ctx !== 'string' || !/^https?:\/\/openvex\.dev\/ns(\/|$)/.test(ctx)) {
    const hint =
      isObject(doc.predicate) || typeof doc.predicateType === 'string'
        ? ' (this looks like an in-toto attestation: pass its `predicate` as the VEX document)'
        : isObject(doc) && doc.bomFormat === 'CycloneDX'
          ? ' (CycloneDX VEX is not supported, only OpenVEX)'
          : '';
    problem(
      null,
      '@context',
      `not an OpenVEX document: @context must be an https://openvex.dev/ns URL, not ${kindOf(ctx)}${hint}; nothing in it was applied`,
    );
    return { statements, problems };
  }
  const docId = typeof doc['@id'] === 'string' && doc['@id'] ? doc['@id'] : source;
  if (typeof doc['@id'] !== 'string' || !doc['@id'])
    problem(null, '@id', 'the document has no @id (required by the spec)', 'warning');
  const docTime = doc.timestamp === undefined ? NaN : parseTimestamp(doc.timestamp);
  if (doc.timestamp !== undefined && Number.isNaN(docTime))
    problem(null, 'timestamp', `not an RFC 3339 timestamp: ${kindOf(doc.timestamp)}`);
  const list = doc.statements;
  if (!Array.isArray(list)) {
    problem(null, 'statements', `\`statements\` must be an array, not ${kindOf(list)}; nothing in it was applied`);
    return { statements, problems };
  }
  if (list.length > MAX_VEX_STATEMENTS) {
    problem(
      null,
      'statements',
      `${list.length} statements, more than the ${MAX_VEX_STATEMENTS} allowed; nothing in it was applied`,
    );
    return { statements, problems };
  }
  if (!list.length) problem(null, 'statements', 'the document has no statements: it suppresses nothing', 'warning');

  let products = 0;
  list.forEach((raw: unknown, i: number) => {
    const index = i + 1;
    const before = problems.length;
    if (!isObject(raw)) {
      problem(index, null, `a statement must be an object, not ${kindOf(raw)}`);
      return;
    }
    // vulnerability
    const vuln = raw.vulnerability;
    let name = '';
    const ids = new Set<string>();
    if (typeof vuln === 'string' && vuln.trim()) {
      // OpenVEX before v0.2.0 wrote the vulnerability as a bare string.
      name = vuln.trim();
    } else if (!isObject(vuln)) {
      problem(index, 'vulnerability', `\`vulnerability\` is required: an object with a \`name\`, not ${kindOf(vuln)}`);
    } else {
      if (typeof vuln.name !== 'string' || !vuln.name.trim())
        problem(index, 'vulnerability.name', `\`vulnerability.name\` is required, not ${kindOf(vuln.name)}`);
      else name = vuln.name.trim();
      if (vuln.aliases !== undefined) {
        if (!Array.isArray(vuln.aliases))
          problem(index, 'vulnerability.aliases', `must be an array of strings, not ${kindOf(vuln.aliases)}`);
        else
          vuln.aliases.forEach((a: unknown, j: number) => {
            if (typeof a === 'string' && a.trim()) ids.add(a.trim().toUpperCase());
            else problem(index, `vulnerability.aliases[${j}]`, `must be a string, not ${kindOf(a)}`);
          });
      }
      // An @id that is a bare id (not an IRI such as https://nvd.nist.gov/vuln/detail/CVE-…) names it too.
      if (typeof vuln['@id'] === 'string' && !vuln['@id'].includes(':/') && vuln['@id'].trim())
        ids.add(vuln['@id'].trim().toUpperCase());
    }
    if (name) ids.add(name.toUpperCase());
    // status
    const status = raw.status;
    if (typeof status !== 'string' || !(VEX_STATUSES as readonly string[]).includes(status)) {
      problem(index, 'status', `\`status\` must be one of ${VEX_STATUSES.join(', ')}, not ${kindOf(status)}`);
    }
    const justification = optText(raw.justification);
    if (
      raw.justification !== undefined &&
      (typeof raw.justification !== 'string' || !VEX_JUSTIFICATIONS.includes(raw.justification))
    ) {
      problem(
        index,
        'justification',
        `\`justification\` must be one of ${VEX_JUSTIFICATIONS.join(', ')}, not ${kindOf(raw.justification)}`,
      );
    }
    const impactStatement = optText(raw.impact_statement);
    if (raw.impact_statement !== undefined && typeof raw.impact_statement !== 'string')
      problem(index, 'impact_statement', `must be a string, not ${kindOf(raw.impact_statement)}`);
    if (status === 'not_affected' && !justification && !impactStatement) {
      problem(
        index,
        'justification',
        'a not_affected statement must give a `justification` or an `impact_statement` (OpenVEX spec)',
      );
    }
    // timestamp: the statement's, else the document's
    let time = NaN;
    let timestamp = '';
    if (raw.timestamp !== undefined) {
      time = parseTimestamp(raw.timestamp);
      if (Number.isNaN(time)) problem(index, 'timestamp', `not an RFC 3339 timestamp: ${kindOf(raw.timestamp)}`);
      else timestamp = raw.timestamp as string;
    } else if (!Number.isNaN(docTime)) {
      time = docTime;
      timestamp = doc.timestamp as string;
    } else {
      problem(
        index,
        'timestamp',
        'the statement has no timestamp and the document none to inherit: statements cannot be ordered',
      );
    }
    // products
    const prods: VexProduct[] = [];
    const comp = (c: unknown, field: string): VexComponent | null => {
      if (!isObject(c)) {
        problem(index, field, `must be an object, not ${kindOf(c)}`);
        return null;
      }
      const purls: string[] = [];
      const hashes: Record<string, string> = {};
      const id = c['@id'];
      if (typeof id === 'string' && /^pkg:/i.test(id)) {
        if (parsePurl(id)) purls.push(id);
        else problem(index, `${field}.@id`, `"${id.slice(0, 200)}" is not a valid package URL`);
      }
      if (c.identifiers !== undefined) {
        if (!isObject(c.identifiers))
          problem(index, `${field}.identifiers`, `must be an object, not ${kindOf(c.identifiers)}`);
        else if (c.identifiers.purl !== undefined) {
          const p = c.identifiers.purl;
          if (typeof p === 'string' && parsePurl(p)) {
            if (!purls.includes(p)) purls.push(p);
          } else problem(index, `${field}.identifiers.purl`, `not a valid package URL: ${kindOf(p)}`);
        }
      }
      if (c.hashes !== undefined) {
        if (!isObject(c.hashes)) problem(index, `${field}.hashes`, `must be an object, not ${kindOf(c.hashes)}`);
        else
          for (const [alg, h] of Object.entries(c.hashes))
            if (typeof h === 'string') hashes[alg.toLowerCase()] = h.toLowerCase();
      }
      if (!purls.length && !Object.keys(hashes).length) {
        problem(
          index,
          field,
          'identifies nothing this scanner can match (needs a package URL in @id or identifiers.purl, or a sha-256 hash)',
          'warning',
        );
      }
      return { purls, hashes };
    };
    if (!Array.isArray(raw.products) || !raw.products.length) {
      problem(
        index,
        'products',
        `\`products\` must be a non-empty array (no encapsulating document supplies them), not ${kindOf(raw.products)}`,
      );
    } else {
      products += raw.products.length;
      if (products > MAX_PRODUCTS) {
        problem(index, 'products', `more than ${MAX_PRODUCTS} products in the document`);
      } else {
        raw.products.forEach((p: unknown, j: number) => {
          const c = comp(p, `products[${j}]`);
          if (!c) return;
          const subs: VexComponent[] = [];
          const sc = (p as Record<string, unknown>).subcomponents;
          if (sc !== undefined && sc !== null) {
            if (!Array.isArray(sc))
              problem(index, `products[${j}].subcomponents`, `must be an array, not ${kindOf(sc)}`);
            else {
              products += sc.length;
              if (products > MAX_PRODUCTS)
                problem(index, 'products', `more than ${MAX_PRODUCTS} products in the document`);
              else
                sc.forEach((s: unknown, k: number) => {
                  const x = comp(s, `products[${j}].subcomponents[${k}]`);
                  if (x) subs.push(x);
                });
            }
          }
          prods.push({ ...c, subcomponents: subs });
        });
      }
    }
    if (problems.slice(before).some((p) => p.level === 'error')) return;
    statements.push({
      source,
      document: docId,
      index,
      vulnerability: name,
      vulnerabilityIds: [...ids],
      products: prods,
      status: status as VexStatus,
      justification,
      impactStatement,
      actionStatement: optText(raw.action_statement),
      statusNotes: optText(raw.status_notes),
      timestamp,
      time,
    });
  });
  return { statements, problems };
}
