/**
 * The one severity order, and the named views of it that the gate and the renderers use. Every comparison of
 * severities in the code goes through these, so they cannot disagree about where `unknown` sits.
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'negligible' | 'unknown';

/** Most severe first; `unknown` last (no score is not a score, and only threshold `unknown` gates it). */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'];

const rankOf = (order: readonly Severity[]): Readonly<Record<Severity, number>> =>
  Object.fromEntries(order.map((s, i) => [s, order.length - 1 - i])) as Record<Severity, number>;

/** Higher is more severe, `unknown` lowest (SEVERITIES read bottom up): the gate, tables, comments, sorting. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = rankOf(SEVERITIES);

/**
 * Code scanning's view: an `unknown` finding may still be serious, so when SARIF results are trimmed and a
 * rule takes the worst level of its results, `unknown` ranks between medium and low.
 */
export const SARIF_SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'unknown', 'low', 'negligible'];
export const SARIF_SEVERITY_RANK: Readonly<Record<Severity, number>> = rankOf(SARIF_SEVERITY_ORDER);

/** `a` is at least as severe as `b`. */
export const atLeast = (a: Severity, b: Severity): boolean => SEVERITY_RANK[a] >= SEVERITY_RANK[b];
