/** Damage to text databases (dpkg status, apk installed) for fuzzing: byte-level and line-level. */
import fc from 'fast-check';

export type TextMutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'cut'; frac: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'dupLine'; line: number }
  | { kind: 'dropLine'; line: number }
  | { kind: 'swapLines'; a: number; b: number }
  | { kind: 'value'; line: number; value: string }
  | { kind: 'crlf' }
  | { kind: 'longLine'; line: number; times: number };

/** Hostile field values: empty, whitespace, NUL, control and bidi characters, huge, colon-laden, deb822 syntax. */
export const HOSTILE_VALUES: readonly string[] = [
  '',
  ' ',
  '\t',
  '\0',
  '\u0000\u0001\u0002',
  '\u202e',
  '\ufeff',
  ':',
  '::::',
  ' .',
  '\n .\n',
  '\n',
  '\r',
  '\r\n',
  'x'.repeat(100_000),
  '1:'.repeat(5000),
  '-'.repeat(5000),
  '~'.repeat(5000),
  '0'.repeat(10_000),
  '9'.repeat(400),
  'install ok installed',
  'deinstall ok installed',
  'install ok',
  'install ok installed extra words',
  'bash (= 5.2)',
  'a (1',
  '(((((((',
  '1.0-1',
  '1:2.3-4',
  'é',
  '\ud800',
  'P:x',
  'V:',
  'Package: injected',
];

const line = fc.nat({ max: 100_000 });
const value = fc.oneof(
  fc.constantFrom(...HOSTILE_VALUES),
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 30, unit: 'binary' }),
);

export const textMutationArb: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), frac: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: value }),
  fc.record({ kind: fc.constant('dupLine' as const), line }),
  fc.record({ kind: fc.constant('dropLine' as const), line }),
  fc.record({ kind: fc.constant('swapLines' as const), a: line, b: line }),
  fc.record({ kind: fc.constant('value' as const), line, value }),
  fc.record({ kind: fc.constant('crlf' as const) }),
  fc.record({ kind: fc.constant('longLine' as const), line, times: fc.integer({ min: 1, max: 2000 }) }),
);

/** Apply one mutation to bytes (flip, cut, insert act on bytes; the line ones on the UTF-8 text). */
export function mutateText(buf: Buffer, m: TextMutation): Buffer {
  if (m.kind === 'flip') {
    if (!buf.length) return buf;
    const b = Buffer.from(buf);
    b[m.at % b.length]! ^= m.xor;
    return b;
  }
  if (m.kind === 'cut') return buf.subarray(0, Math.floor(buf.length * m.frac));
  if (m.kind === 'insert') {
    const at = buf.length ? m.at % (buf.length + 1) : 0;
    return Buffer.concat([buf.subarray(0, at), Buffer.from(m.text, 'utf8'), buf.subarray(at)]);
  }
  if (m.kind === 'crlf') return Buffer.from(buf.toString('utf8').replace(/\r?\n/g, '\r\n'), 'utf8');
  const lines = buf.toString('utf8').split('\n');
  const at = (i: number) => i % lines.length;
  switch (m.kind) {
    case 'dupLine':
      lines.splice(at(m.line), 0, lines[at(m.line)]!);
      break;
    case 'dropLine':
      lines.splice(at(m.line), 1);
      break;
    case 'swapLines': {
      const a = at(m.a);
      const b = at(m.b);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      break;
    }
    case 'value': {
      const l = lines[at(m.line)]!;
      const c = l.indexOf(':');
      lines[at(m.line)] = c >= 0 ? `${l.slice(0, c + 1)} ${m.value}` : m.value;
      break;
    }
    case 'longLine': {
      // at most ~2 MB: repeating an already long line would exceed V8's string limit (a harness error, not a parser one)
      const l = lines[at(m.line)]!;
      lines[at(m.line)] = l.repeat(Math.min(m.times, Math.ceil(2_000_000 / Math.max(1, l.length)))).slice(0, 2_000_000);
      break;
    }
  }
  return Buffer.from(lines.join('\n'), 'utf8');
}
