/**
 * Escaping for untrusted text (package names, versions, advisory summaries, paths and tags read from an image)
 * on its way into GitHub markdown (PR comments, job summaries) or plain-text annotations. Pure.
 *
 * `mdText` makes any string safe to put inline: in a table cell, a list item, a heading or a paragraph.
 * - Control characters (C0, DEL, C1), line/paragraph separators, bidi overrides/isolates and zero-width
 *   characters become spaces (so nothing can start a new line or reorder what a reader sees); runs of
 *   whitespace collapse to one space; the text is trimmed and cut to `max` code points (with `…`).
 * - `&`, `<`, `>`, `"`, `|` become character references: no HTML tag, comment (our hidden marker!) or entity
 *   can be formed, and no `|` is left to split a table cell (the table splitter never sees one).
 * - Every other ASCII character with markdown meaning is backslash-escaped (\ ` * _ [ ] ( ) { } # ! ~ $ ^
 *   and a leading - + = or `1.`), so no link, image, code span, emphasis, math, footnote, heading or list forms.
 * - GitHub's post-processing runs on the decoded text, so escapes cannot stop it; a zero-width space (U+200B)
 *   after `@` (mentions, team mentions, e-mails), after `#` and `GH-` before a digit (issue links), inside
 *   `://` and after `www` (bare-URL autolinks) breaks those patterns while reading the same.
 */

/** Zero-width space: breaks GitHub's mention / issue / autolink patterns without changing what is read. */
export const ZWSP = '\u200B';

// C0 (incl. tab, CR, LF), DEL, C1, line/paragraph separators, bidi embeddings/overrides/isolates, marks,
// zero-width characters, the BOM, and the interlinear annotation / object replacement characters.
const INVISIBLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each variation selector (U+FE00–FE0F) is removed on its own, apart from the character it follows
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffc]/g;

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '|': '&#124;' };

/** Normalises untrusted text: no invisible/control characters, single spaces, trimmed, at most `max` code points. */
export function cleanText(text: unknown, max = 200): string {
  let s = text === null || text === undefined ? '' : String(text);
  // Huge texts: look at a bounded prefix only (whitespace runs may collapse, hence the margin).
  const limit = Math.max(0, max) * 8 + 64;
  const clipped = s.length > limit;
  if (clipped) s = s.slice(0, limit);
  // Lone surrogates would make invalid UTF-8 / JSON downstream.
  s = s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  s = s.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  const cps = Array.from(s);
  if (max < 1) return '';
  if (cps.length > max || clipped)
    s =
      cps
        .slice(0, Math.min(cps.length, max - 1))
        .join('')
        .trimEnd() + '…';
  return s;
}

/** Untrusted text → inline GitHub markdown that renders as exactly that text (see the file comment). */
export function mdText(text: unknown, max = 200): string {
  const s = cleanText(text, max);
  let out = s
    .replace(/[\\`*_[\](){}#!~$^]/g, '\\$&')
    .replace(/[&<>"|]/g, (c) => ENTITY[c]!)
    // GitHub-side linkers (they see the decoded text); `&#124;` is ours, not an issue number.
    .replace(/@/g, '@' + ZWSP)
    .replace(/(?<!&)#(?=\d)/g, '#' + ZWSP)
    .replace(/(GH)-(?=\d)/gi, '$1-' + ZWSP)
    .replace(/:\/\//g, ':' + ZWSP + '//')
    .replace(/(www)\./gi, '$1' + ZWSP + '.');
  // Line-start syntax: list markers, setext underline, ordered list `1.` / `1)`, block quote (already `&gt;`).
  out = out.replace(/^([-+=])/, '\\$1').replace(/^(\d{1,9})([.)])(?= |$)/, '$1\\$2');
  return out;
}

/** Untrusted text as a markdown code span, for ids and versions people copy; safe for any input. */
export function mdCode(text: unknown, max = 120): string {
  const s = cleanText(text, max);
  if (s === '') return '';
  // A code span cannot hold `|` safely inside a table (GFM splits cells first), nor an unmatched run of
  // backticks; entities are not decoded in code spans. Fall back to escaped text for those, and for `<`:
  // a code span renders `<!-- scanrook:… -->` literally, but the raw bytes would still be a marker in the
  // comment's source (our hidden marker; see comment/marker.ts), so `<` is always an entity.
  if (/[`|<]/.test(s)) return mdText(s, max);
  // Code spans are literal, but GitHub's mention/issue linkers skip code, so no ZWSP is needed here.
  return '`' + s + '`';
}

/** Plain text for annotations and log lines (not markdown): one line, no control characters, bounded. */
export function plainText(text: unknown, max = 300): string {
  return cleanText(text, max);
}

/** A URL we built ourselves (run URL, osv.dev link), checked before it goes into a markdown link. */
export function safeHttpsUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  if (!/^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%!$&'*+,;=:@/?#-]*)?$/.test(url)) return null;
  if (/[()<>\s"'`\\[\]]/.test(url)) return null;
  return url;
}

/** A markdown link to a URL we trust the shape of; the label is escaped. Plain escaped text when the URL is unsafe. */
export function mdLink(label: unknown, url: string | null | undefined, max = 120): string {
  const u = safeHttpsUrl(url);
  const l = mdText(label, max);
  return u ? `[${l}](${u})` : l;
}
