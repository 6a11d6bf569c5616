/**
 * Suppression rules (an ignore file and OpenVEX documents) as loaded, and the problems found while loading
 * them. Indexes shown to users are 1-based: entry 1 is the first list item of the file.
 */

export type SuppressionKind = 'ignore-file' | 'vex';

/**
 * `error`: part of the user's suppressions could not be understood and was dropped, so the scan outcome may
 * not be what they meant; callers should fail (or at least visibly warn). `warning`: understood, but odd.
 */
export type ProblemLevel = 'error' | 'warning';

export interface SuppressionProblem {
  level: ProblemLevel;
  kind: SuppressionKind;
  /** The file, as the user named it. */
  source: string;
  /** 1-based entry (ignore file) or statement (VEX) index; null when the problem is with the whole file. */
  index: number | null;
  /** The field at fault (`expires`, `products[2].@id`, …); null when not one field. */
  field: string | null;
  message: string;
}

/** One entry of an ignore file, validated. */
export interface IgnoreEntry {
  /** Vulnerability id or any alias as written (CVE-…, GHSA-…, DSA-…); matched case-insensitively. */
  id: string;
  /** Package name (binary or source package); null = any package. */
  package: string | null;
  /** Package URL to match (see purl-match.ts for the rule); null = any package. */
  purl: string | null;
  reason: string;
  /** Last day (UTC, YYYY-MM-DD) the entry suppresses; null = never expires. */
  expires: string | null;
  source: string;
  /** 1-based position in the file's `ignore` list. */
  index: number;
}

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
export const VEX_STATUSES: readonly VexStatus[] = ['not_affected', 'affected', 'fixed', 'under_investigation'];
export const VEX_JUSTIFICATIONS: readonly string[] = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
];

/** A product or subcomponent: the identifiers it can be matched by. */
export interface VexComponent {
  /** Package URLs from `@id` (when it is a purl) and `identifiers.purl`. */
  purls: string[];
  /** `hashes` (algorithm → lower-case hex), used to recognise the scanned image by digest. */
  hashes: Record<string, string>;
}

export interface VexProduct extends VexComponent {
  subcomponents: VexComponent[];
}

/** One OpenVEX statement, validated, with the document's timestamp cascaded into it. */
export interface VexStatement {
  source: string;
  /** The document's `@id`. */
  document: string;
  /** 1-based position in the document's `statements`. */
  index: number;
  vulnerability: string;
  /** `name`, `aliases` and an `@id` that is a bare id, upper-cased. */
  vulnerabilityIds: string[];
  products: VexProduct[];
  status: VexStatus;
  justification: string | null;
  impactStatement: string | null;
  actionStatement: string | null;
  statusNotes: string | null;
  /** RFC 3339, the statement's own or the document's. */
  timestamp: string;
  /** `timestamp` in ms since the epoch. */
  time: number;
}

export interface LoadedIgnoreFile {
  entries: IgnoreEntry[];
  problems: SuppressionProblem[];
}

export interface LoadedVex {
  statements: VexStatement[];
  problems: SuppressionProblem[];
}

/** True when any problem means a suppression the user wrote was dropped. */
export function hasErrors(problems: readonly SuppressionProblem[]): boolean {
  return problems.some((p) => p.level === 'error');
}

/** One line for logs, the job summary and the CLI: `ignore file .scanrook-ignore.yaml, entry 2, field expires: …`. */
export function formatProblem(p: SuppressionProblem): string {
  const what = p.kind === 'ignore-file' ? 'ignore file' : 'VEX document';
  const where = p.index === null ? '' : p.kind === 'ignore-file' ? `, entry ${p.index}` : `, statement ${p.index}`;
  const field = p.field ? `, field ${p.field}` : '';
  return `${p.level}: ${what} ${p.source}${where}${field}: ${p.message}`;
}
