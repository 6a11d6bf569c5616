/** Suppressions: the ignore file and OpenVEX documents, and applying them to findings. */

export type { ExpiredEntry, SuppressionContext, SuppressionResult, SuppressionRules, UnusedRule } from './apply.js';
export { applySuppressions, vexJustification } from './apply.js';
export { expiryInstant, loadIgnoreFile, MAX_IGNORE_ENTRIES, MAX_IGNORE_FILE_BYTES, validDay } from './ignore-file.js';
export { loadVexDocument, MAX_VEX_BYTES, MAX_VEX_STATEMENTS, parseTimestamp } from './openvex.js';
export type { ParsedPurl } from './purl-match.js';
export { parsePurl, purlMatches } from './purl-match.js';
export * from './types.js';
