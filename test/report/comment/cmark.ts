/**
 * Oracle: cmark-gfm, the CommonMark + GFM engine GitHub's own renderer is built on (Debian package
 * `cmark-gfm`; `apt-get install -y cmark-gfm`), run with GitHub's extensions (table, autolink,
 * strikethrough, tagfilter) and raw HTML kept, so anything that would become markup shows up as a tag.
 */
import { execFileSync } from 'node:child_process';
import { haveOracle, requireOracle } from '../../helpers/oracles.js';

/** True when cmark-gfm is installed (test/helpers/oracles.ts: a skip outside CI, a failure in CI). */
/** The HTML tags our comment and summary markdown may render to (what GitHub shows as we mean it). */
export const GITHUB_COMMENT_TAGS: ReadonlySet<string> = new Set([
  'h2',
  'h3',
  'p',
  'strong',
  'code',
  'a',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'details',
  'summary',
  'sub',
  'ul',
  'li',
  'br',
]);

export function haveCmark(): boolean {
  return haveOracle('cmark-gfm');
}

export function gfmToHtml(markdown: string): string {
  requireOracle('cmark-gfm');
  return execFileSync(
    'cmark-gfm',
    ['--unsafe', '-e', 'table', '-e', 'autolink', '-e', 'strikethrough', '-e', 'tagfilter'],
    { input: markdown, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
}

/** Text of an HTML fragment: tags dropped, the entities cmark-gfm writes decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The tag names in an HTML fragment (opening and closing, lower-cased), e.g. ['code', '/code']. */
export function tagsOf(html: string): string[] {
  return [...html.matchAll(/<(\/?[A-Za-z][A-Za-z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
}

/** Rows of the first table in the HTML: each row's cells' inner HTML. */
export function tableRows(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!),
  );
}
