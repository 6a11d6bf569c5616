import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, mdCode, mdLink, mdText, plainText, safeHttpsUrl, ZWSP } from '../../../src/report/escape.js';
import { gfmToHtml, haveCmark, htmlText, tableRows, tagsOf } from './cmark.js';

/** Pieces attackers (or just odd packages) put in names, versions and advisory texts. */
const HOSTILE = [
  '|',
  '\\',
  '`',
  '*',
  '_',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '&',
  '#',
  '@',
  '!',
  '~',
  '$',
  '^',
  '{',
  '}',
  '"',
  "'",
  ':',
  '/',
  '-',
  '+',
  '=',
  '.',
  ' ',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u001b[31m',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u2028',
  '\ufeff',
  '<!--',
  '-->',
  '<!-- scanrook:ci/scan -->',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '</td>',
  '</details>',
  '[click](https://evil.example)',
  '](javascript:alert(1))',
  '![x](https://e.example/i.png)',
  '<https://evil.example>',
  '@octocat',
  '@org/team',
  '#123',
  'GH-12',
  'owner/repo#9',
  'https://evil.example/x',
  'www.evil.example',
  'a@b.co',
  '&#124;',
  '&lt;',
  '&amp;',
  '&#64;',
  '\\|',
  '```',
  '`code`',
  '$x^2$',
  '$$',
  '[^1]',
  '~~x~~',
  '**bold**',
  '_em_',
  '# H',
  '1. ',
  '- ',
  '> ',
  '---',
  '|---|',
  '\ud800',
  '\udc00',
  'é',
  '😀',
  'ǅ',
  '\u0301',
];
const hostileString = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 25 })
  .map((parts) => parts.join(''));

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#124;': '|' };
/** Undoes mdText by hand: entities, backslash escapes, our zero-width spaces. */
function decode(md: string): string {
  return md
    .replace(/&(amp|lt|gt|quot|#124);/g, (e) => ENTITIES[e]!)
    .replace(/\\(.)/g, '$1')
    .split(ZWSP)
    .join('');
}

describe('cleanText / plainText', () => {
  it('one line, no control/bidi/zero-width characters, bounded, no lone surrogates', () => {
    fc.assert(
      fc.property(hostileString, fc.integer({ min: 1, max: 60 }), (s, max) => {
        const c = cleanText(s, max);
        expect(Array.from(c).length).toBeLessThanOrEqual(max);
        expect(c).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/);
        expect(c).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
        expect(c).toBe(c.trim());
        expect(plainText(s, max)).toBe(c);
      }),
      { numRuns: 500 },
    );
  });
  it('keeps ordinary text as it is, and cuts with an ellipsis', () => {
    expect(cleanText('libssl3 3.0.11-1~deb12u2')).toBe('libssl3 3.0.11-1~deb12u2');
    expect(cleanText('a\r\n\tb\u202ec')).toBe('a b c');
    expect(cleanText('x'.repeat(50), 10)).toBe('x'.repeat(9) + '…');
    expect(cleanText('😀'.repeat(5), 3)).toBe('😀😀…');
    expect(cleanText(null)).toBe('');
  });
});

describe('mdText', () => {
  it('never lets markup through: no tag, pipe, quote, newline, mention, issue link or autolink', () => {
    fc.assert(
      fc.property(hostileString, fc.integer({ min: 1, max: 80 }), (s, max) => {
        const m = mdText(s, max);
        expect(m).not.toMatch(/[<>|"\n\r]/);
        // Every & starts one of our entities.
        expect(m.replace(/&(amp|lt|gt|quot|#124);/g, '')).not.toContain('&');
        // GitHub's linkers: @user, #123, GH-1, scheme://, www.
        expect(m).not.toMatch(/@(?!\u200b)/);
        expect(m).not.toMatch(/(?<!&)#\d/);
        expect(m).not.toMatch(/GH-\d/i);
        expect(m).not.toContain('://');
        expect(m).not.toMatch(/www\./i);
        // Every markdown punctuation character is backslash-escaped (odd run of backslashes before it).
        for (const match of m.replace(/&#124;/g, '').matchAll(/(\\*)([`*_[\](){}#!~$^])/g))
          expect(match[1]!.length % 2).toBe(1);
        // And nothing is lost: it reads as the cleaned text.
        expect(decode(m)).toBe(cleanText(s, max));
      }),
      { numRuns: 1000 },
    );
  });
  it('escapes line-start syntax', () => {
    expect(mdText('- x')).toBe('\\- x');
    expect(mdText('+ x')).toBe('\\+ x');
    expect(mdText('1. x')).toBe('1\\. x');
    expect(mdText('# x')).toBe('\\# x');
    expect(mdText('> x')).toBe('&gt; x');
  });
  it('leaves plain versions and names readable', () => {
    expect(mdText('5.36.0-7+deb12u3')).toBe('5.36.0-7+deb12u3');
    expect(mdText('libapt-pkg6.0')).toBe('libapt-pkg6.0');
    expect(mdText('@types/node')).toBe(`@${ZWSP}types/node`);
  });
});

describe('mdCode / links', () => {
  it('code spans hold the text literally, and fall back to escaped text for backticks and pipes', () => {
    expect(mdCode('perl-base')).toBe('`perl-base`');
    expect(mdCode('a|b')).toBe('a&#124;b');
    expect(mdCode('a`b')).toBe('a\\`b');
    expect(mdCode('')).toBe('');
    fc.assert(
      fc.property(hostileString, (s) => {
        const m = mdCode(s);
        expect(m).not.toMatch(/[|\n\r]/);
        if (m.startsWith('`')) expect(m.slice(1, -1)).not.toContain('`');
        else expect(m).not.toMatch(/[<>]/);
      }),
      { numRuns: 500 },
    );
  });
  it('links only to well-formed https URLs', () => {
    expect(safeHttpsUrl('https://github.com/o/r/actions/runs/1')).toBe('https://github.com/o/r/actions/runs/1');
    expect(safeHttpsUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpsUrl('http://github.com')).toBeNull();
    expect(safeHttpsUrl('https://x.example/a)b')).toBeNull();
    expect(safeHttpsUrl('https://x.example/a b')).toBeNull();
    expect(mdLink('x', 'https://x.example/<script>')).toBe('x');
    expect(mdLink('[x](y)', 'https://osv.dev/vulnerability/CVE-1')).toBe(
      '[\\[x\\]\\(y\\)](https://osv.dev/vulnerability/CVE-1)',
    );
  });
});

describe('oracle: cmark-gfm renders the escaped text as exactly that text', () => {
  const ok = haveCmark();
  it.runIf(ok)('in table cells (text and code), hostile strings stay one cell of plain text', () => {
    const samples = [...HOSTILE, HOSTILE.join(''), ...fc.sample(hostileString, { numRuns: 400, seed: 42 })];
    const md =
      [
        '| text | code | end |',
        '|---|---|---|',
        ...samples.map((s) => `| ${mdText(s, 200)} | ${mdCode(s, 200)} | end |`),
      ].join('\n') + '\n';
    const html = gfmToHtml(md);
    const rows = tableRows(html);
    expect(rows.length).toBe(samples.length);
    rows.forEach((cells, i) => {
      const s = samples[i]!;
      expect(cells.length, JSON.stringify(s)).toBe(3);
      expect(cells[2]).toBe('end');
      expect(tagsOf(cells[0]!), JSON.stringify(s)).toEqual([]);
      expect(htmlText(cells[0]!).split(ZWSP).join(''), JSON.stringify(s)).toBe(cleanText(s, 200));
      expect(
        tagsOf(cells[1]!).filter((t) => t !== 'code' && t !== '/code'),
        JSON.stringify(s),
      ).toEqual([]);
      expect(htmlText(cells[1]!).split(ZWSP).join(''), JSON.stringify(s)).toBe(cleanText(s, 200));
    });
  });
  it.runIf(ok)('in headings and paragraphs, no structure appears', () => {
    const samples = [...HOSTILE, ...fc.sample(hostileString, { numRuns: 200, seed: 7 })].filter(
      (s) => cleanText(s) !== '',
    );
    const html = gfmToHtml(samples.map((s) => `### ${mdText(s)}\n\nsaid ${mdText(s)}\n`).join('\n'));
    const tags = tagsOf(html);
    expect(tags.filter((t) => !['h3', '/h3', 'p', '/p'].includes(t))).toEqual([]);
    const heads = [...html.matchAll(/<h3>([\s\S]*?)<\/h3>/g)].map((m) => htmlText(m[1]!).split(ZWSP).join(''));
    expect(heads).toEqual(samples.map((s) => cleanText(s)));
  });
});
