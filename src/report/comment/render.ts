/**
 * The PR comment: the step's verdict and why in one sentence (the worst image's), then per image its status,
 * reasons with hints, severity counts and the most important findings, the rest collapsed. Starts with the
 * hidden marker so the comment is found and updated in place. Always at most `maxChars` characters
 * (default 65,000; GitHub rejects bodies over 65,536 characters with a 422). Pure.
 */
import { markerComment } from './marker.js';
import type { Limits, ReportItem } from './sections.js';
import { fitDocument, footer, headline, imageSection } from './sections.js';

export type { ReportItem } from './sections.js';

export interface CommentOptions {
  /** Marker id naming the workflow/job (see markerId); rendered as `<!-- scanrook:<id> -->`. */
  marker: string;
  /** The workflow run's URL (link to the job summary). */
  runUrl?: string | null;
  /** Upper bound on the body's length in UTF-16 code units (≥ characters). Default 65,000. */
  maxChars?: number;
}

export const COMMENT_MAX_CHARS = 65_000;
/** GitHub's limit on an issue comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

const START: Omit<Limits, 'moreRows'> = { topRows: 10, summaryChars: 120, reasons: 20, tables: true };

export function renderComment(items: readonly ReportItem[], opts: CommentOptions): string {
  const max = Math.min(opts.maxChars ?? COMMENT_MAX_CHARS, GITHUB_COMMENT_LIMIT);
  const marker = markerComment(opts.marker);
  const most = Math.max(0, ...items.map((i) => i.report.findings.length));
  const render = (lim: Limits, keep: number): string => {
    const out = [marker, '', ...headline(items), ''];
    for (const item of items.slice(0, keep))
      out.push(...imageSection(item, lim, 'comment', opts.runUrl, items.length === 1));
    if (keep < items.length)
      out.push(`${items.length - keep} more image(s) not shown for lack of room: see the job summary.`, '');
    out.push(...footer(opts.runUrl, items[0]?.report.tool.version ?? null));
    return out.join('\n') + '\n';
  };
  const doc = fitDocument(render, { ...START, moreRows: most }, items.length, (s) => s.length, max);
  // The marker must survive even the hard cut.
  return doc.startsWith(marker) ? doc : (marker + '\n').slice(0, max);
}
