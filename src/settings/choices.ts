/**
 * The settings that take one word of a fixed set, or a list of them (statuses, reason codes), and their
 * parsers. Words are case-insensitive everywhere (`Deep`, `HIGH`, `NEVER`) and come back as spelled here.
 */
import { isReasonCode, REASON_CODES, type ReasonCode, type TerminalStatus } from '../model/reasons.js';
import { type Mode, SEVERITIES, type Severity } from '../model/report.js';
import type { CommentMode } from '../model/settings.js';
import { describeChoices, InputError, parseList } from './values.js';

export const MODES: readonly Mode[] = ['light', 'deep'];
export const TERMINAL_STATUSES: readonly TerminalStatus[] = ['done', 'partial_failed', 'failed'];
export const COMMENT_MODES: readonly CommentMode[] = ['auto', 'always', 'never'];
export const SEVERITY_THRESHOLDS: readonly (Severity | 'none')[] = [...SEVERITIES, 'none'];
/** The word that empties a status or reason list (an empty input means "use the default"). */
export const NONE = 'none';

function parseNoneList<T extends string>(
  input: string,
  v: string | readonly string[],
  one: (item: string) => T,
  accepts: string,
): T[] {
  const items = parseList(v);
  if (items.some((i) => i.toLowerCase() === NONE)) {
    if (items.length > 1)
      throw new InputError(
        input,
        typeof v === 'string' ? v : v.join('\n'),
        `${accepts} ("${NONE}" cannot be combined with other values)`,
      );
    return [];
  }
  return items.map(one);
}

export function parseStatusList(input: string, v: string | readonly string[]): TerminalStatus[] {
  const accepts = `a list of ${describeChoices(TERMINAL_STATUSES)}, or "${NONE}"`;
  return parseNoneList(
    input,
    v,
    (item) => {
      const s = item.toLowerCase();
      if ((TERMINAL_STATUSES as readonly string[]).includes(s)) return s as TerminalStatus;
      throw new InputError(input, item, accepts);
    },
    accepts,
  );
}

export function parseReasonList(input: string, v: string | readonly string[]): ReasonCode[] {
  const accepts = `a list of reason codes (${REASON_CODES.join(', ')}), or "${NONE}"`;
  return parseNoneList(
    input,
    v,
    (item) => {
      const s = item.toLowerCase();
      if (isReasonCode(s)) return s;
      throw new InputError(input, item, accepts);
    },
    accepts,
  );
}
