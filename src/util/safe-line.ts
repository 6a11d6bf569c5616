/**
 * Every line the action prints to its log (stdout, read by the runner for `::command::` lines) and the CLI to
 * stderr goes through `safeLine`: messages carry text read from an image (layer paths from manifest.json,
 * os-release PRETTY_NAME, tar entry names), and a line break in one would start a line of the image's choosing
 * (`::error::…`, `::add-mask::…`, `::stop-commands::…`). Pure.
 *
 * - CR, LF, CRLF, NEL (U+0085), U+2028 and U+2029 become the two characters `\n` (a backslash and `n`), so the
 *   message stays one line and still shows where the break was;
 * - a tab becomes a space; every other C0 control character, DEL and C1 control becomes `\xNN` (`\x1b` …);
 * - a line that would start with `::` (after any leading whitespace: the runner trims it before it looks)
 *   gets a backslash before those colons (`\::error::…`), so it is no `::command::`;
 * - `##[` (the runner's legacy command prefix, taken anywhere in a line) becomes `##\[`.
 * Text without any of these is returned unchanged (byte-identical output for ordinary images).
 * `safeLines` is for multi-line text the code itself builds (an internal error's stack): one safe line per line.
 */

// CR LF, CR, LF, NEL, LS, PS: each a line break to the reader (or to the runner's line splitter).
const BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const ANY = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Whether `s` holds a control character (C0 incl. tab/CR/LF/NUL, DEL, C1) or a line/paragraph separator. */
export function hasControlCharacter(s: string): boolean {
  return ANY.test(s);
}

/** One printable line for a log: see the file comment. */
export function safeLine(text: string): string {
  let s = text;
  if (ANY.test(s))
    s = s
      .replace(BREAK, '\\n')
      .replace(/\t/g, ' ')
      .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (s.includes('##[')) s = s.replace(/##\[/g, '##\\[');
  return s.replace(/^(\s*)::/, '$1\\::');
}

/** Multi-line text we built (a stack trace) as safe lines, one per line; never an empty list. */
export function safeLines(text: string): string[] {
  return text.split(BREAK).map(safeLine);
}
