/**
 * A small, bounded TOML reader for lockfiles (poetry.lock, Cargo.lock). It reads the TOML 1.0 syntax those
 * files use: comments, `[table]` and `[[array.of.tables]]` headers, bare / quoted / dotted keys, basic and
 * literal strings (single- and multi-line, with escapes), integers, floats, booleans, date-times (kept as
 * their text), arrays (multi-line, trailing commas) and inline tables.
 * Bounds: nesting depth of arrays/inline tables (MAX_DEPTH), and only linear scanning (no backtracking).
 * Errors are TomlError with the 1-based line. It does not enforce every TOML rule (e.g. redefinition of a
 * table is tolerated, the later keys merge), which lockfiles written by their tools never rely on.
 */

export class TomlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = 'TomlError';
  }
}

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export const MAX_DEPTH = 64;

const BARE = /[A-Za-z0-9_-]/;

class Reader {
  i = 0;
  line = 1;
  constructor(readonly s: string) {}

  fail(msg: string): never {
    throw new TomlError(msg, this.line);
  }

  peek(): string {
    return this.s[this.i] ?? '';
  }

  next(): string {
    const c = this.s[this.i++] ?? '';
    if (c === '\n') this.line++;
    return c;
  }

  /** Spaces and tabs. */
  ws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }

  /** Spaces, tabs, newlines and comments (inside arrays). */
  wsnl(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.next();
      else if (c === '#') this.comment();
      else return;
    }
  }

  comment(): void {
    while (this.i < this.s.length && this.peek() !== '\n') this.i++;
  }

  /** End of a line: optional comment, then newline or end of input. */
  eol(): void {
    this.ws();
    if (this.peek() === '#') this.comment();
    if (this.peek() === '\r') this.i++;
    if (this.i >= this.s.length) return;
    if (this.peek() !== '\n') this.fail(`unexpected ${JSON.stringify(this.peek())} after a value`);
    this.next();
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.ws();
      const c = this.peek();
      if (c === '"') parts.push(this.basicString());
      else if (c === "'") parts.push(this.literalString());
      else {
        const start = this.i;
        while (BARE.test(this.peek())) this.i++;
        if (start === this.i) this.fail('expected a key');
        parts.push(this.s.slice(start, this.i));
      }
      this.ws();
      if (this.peek() !== '.') return parts;
      this.i++;
    }
  }

  basicString(): string {
    if (this.s.startsWith('"""', this.i)) return this.multiBasic();
    this.i++;
    let out = '';
    for (;;) {
      const c = this.next();
      if (c === '' || c === '\n') this.fail('unterminated string');
      if (c === '"') return out;
      if (c === '\\') out += this.escape();
      else out += c;
    }
  }

  multiBasic(): string {
    this.i += 3;
    if (this.peek() === '\r') this.i++;
    if (this.peek() === '\n') this.next();
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('unterminated multi-line string');
      if (this.s.startsWith('"""', this.i)) {
        let n = 3;
        while (n < 5 && this.s[this.i + n] === '"') n++; // up to two quotes may end the content
        out += '"'.repeat(n - 3);
        this.i += n;
        return out;
      }
      const c = this.next();
      if (c === '\\') {
        const save = this.i;
        let j = this.i;
        while (this.s[j] === ' ' || this.s[j] === '\t') j++;
        if (this.s[j] === '\n' || (this.s[j] === '\r' && this.s[j + 1] === '\n')) {
          this.i = j;
          this.wsnlOnly();
          continue;
        }
        this.i = save;
        out += this.escape();
      } else out += c;
    }
  }

  wsnlOnly(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.next();
      else return;
    }
  }

  escape(): string {
    const c = this.next();
    switch (c) {
      case 'b':
        return '\b';
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'f':
        return '\f';
      case 'r':
        return '\r';
      case 'e':
        return '\x1b';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u':
      case 'U': {
        const len = c === 'u' ? 4 : 8;
        const hex = this.s.slice(this.i, this.i + len);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) this.fail('bad unicode escape');
        this.i += len;
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.fail('unicode escape out of range');
        return String.fromCodePoint(cp);
      }
      default:
        return this.fail(`bad escape \\${c}`);
    }
  }

  literalString(): string {
    if (this.s.startsWith("'''", this.i)) {
      this.i += 3;
      if (this.peek() === '\r') this.i++;
      if (this.peek() === '\n') this.next();
      const end = this.s.indexOf("'''", this.i);
      if (end < 0) this.fail('unterminated multi-line literal string');
      let n = 3;
      while (n < 5 && this.s[end + n] === "'") n++;
      const out = this.s.slice(this.i, end + n - 3);
      for (let j = this.i; j < end + n; j++) if (this.s[j] === '\n') this.line++;
      this.i = end + n;
      return out;
    }
    this.i++;
    const start = this.i;
    for (;;) {
      const c = this.peek();
      if (c === '' || c === '\n') this.fail('unterminated literal string');
      if (c === "'") break;
      this.i++;
    }
    const out = this.s.slice(start, this.i);
    this.i++;
    return out;
  }

  value(depth: number): TomlValue {
    if (depth > MAX_DEPTH) this.fail(`values nested deeper than ${MAX_DEPTH}`);
    const c = this.peek();
    if (c === '"') return this.basicString();
    if (c === "'") return this.literalString();
    if (c === '[') return this.array(depth + 1);
    if (c === '{') return this.inlineTable(depth + 1);
    const start = this.i;
    while (this.i < this.s.length && !/[\s,\]}#]/.test(this.peek())) this.i++;
    let tok = this.s.slice(start, this.i);
    // A date-time may hold one space between date and time.
    if (
      /^\d{4}-\d{2}-\d{2}$/.test(tok) &&
      this.peek() === ' ' &&
      /^\d{2}:/.test(this.s.slice(this.i + 1, this.i + 4))
    ) {
      this.i++;
      while (this.i < this.s.length && !/[\s,\]}#]/.test(this.peek())) this.i++;
      tok = this.s.slice(start, this.i);
    }
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (/^[+-]?(?:0|[1-9](?:_?\d)*)$/.test(tok)) return Number(tok.replace(/_/g, ''));
    if (/^0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*$|^0o[0-7](?:_?[0-7])*$|^0b[01](?:_?[01])*$/.test(tok))
      return Number(tok.replace(/_/g, ''));
    if (/^[+-]?(?:inf|nan)$/.test(tok)) return tok.includes('nan') ? NaN : tok.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?(?:0|[1-9](?:_?\d)*)(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?$/.test(tok))
      return Number(tok.replace(/_/g, ''));
    if (
      /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$|^\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/i.test(
        tok,
      )
    )
      return tok;
    return this.fail(tok ? `unrecognised value ${JSON.stringify(tok.slice(0, 40))}` : 'expected a value');
  }

  array(depth: number): TomlValue[] {
    this.i++;
    const out: TomlValue[] = [];
    for (;;) {
      this.wsnl();
      if (this.peek() === ']') {
        this.i++;
        return out;
      }
      if (this.i >= this.s.length) this.fail('unterminated array');
      out.push(this.value(depth));
      this.wsnl();
      if (this.peek() === ',') this.i++;
      else if (this.peek() !== ']') this.fail('expected , or ] in an array');
    }
  }

  inlineTable(depth: number): TomlTable {
    this.i++;
    const out: TomlTable = {};
    this.ws();
    if (this.peek() === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      const k = this.key();
      if (this.peek() !== '=') this.fail('expected = in an inline table');
      this.i++;
      this.ws();
      setPath(out, k, this.value(depth), this);
      this.ws();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      if (this.peek() === '}') {
        this.i++;
        return out;
      }
      this.fail('expected , or } in an inline table');
    }
  }
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function child(t: TomlTable, k: string, r: Reader): TomlTable {
  if (FORBIDDEN.has(k)) r.fail(`key ${JSON.stringify(k)} is not allowed`);
  let v = t[k];
  if (v === undefined) {
    v = Object.create(null) as TomlTable;
    t[k] = v;
  } else if (Array.isArray(v)) {
    const last = v[v.length - 1];
    if (last === undefined || typeof last !== 'object' || Array.isArray(last))
      r.fail(`key ${JSON.stringify(k)} is not a table`);
    v = last as TomlTable;
  } else if (typeof v !== 'object') r.fail(`key ${JSON.stringify(k)} is not a table`);
  return v as TomlTable;
}

function setPath(t: TomlTable, path: string[], v: TomlValue, r: Reader): void {
  let cur = t;
  for (const k of path.slice(0, -1)) cur = child(cur, k, r);
  const last = path[path.length - 1]!;
  if (FORBIDDEN.has(last)) r.fail(`key ${JSON.stringify(last)} is not allowed`);
  if (Object.hasOwn(cur, last)) r.fail(`duplicate key ${JSON.stringify(path.join('.'))}`);
  cur[last] = v;
}

export function parseToml(text: string): TomlTable {
  const r = new Reader(text);
  const root = Object.create(null) as TomlTable;
  let cur = root;
  for (;;) {
    r.wsnl();
    if (r.i >= text.length) return root;
    if (r.peek() === '[') {
      const isArray = text[r.i + 1] === '[';
      r.i += isArray ? 2 : 1;
      const path = r.key();
      if (isArray ? !text.startsWith(']]', r.i) : r.peek() !== ']') r.fail('unterminated table header');
      r.i += isArray ? 2 : 1;
      r.eol();
      let t = root;
      for (const k of path.slice(0, -1)) t = child(t, k, r);
      const last = path[path.length - 1]!;
      if (FORBIDDEN.has(last)) r.fail(`key ${JSON.stringify(last)} is not allowed`);
      if (isArray) {
        const existing = t[last];
        const arr = existing === undefined ? [] : existing;
        if (!Array.isArray(arr)) r.fail(`${JSON.stringify(path.join('.'))} is not an array of tables`);
        const fresh = Object.create(null) as TomlTable;
        (arr as TomlValue[]).push(fresh);
        t[last] = arr;
        cur = fresh;
      } else {
        cur = child(t, last, r);
      }
      continue;
    }
    const k = r.key();
    if (r.peek() !== '=') r.fail('expected = after a key');
    r.i++;
    r.ws();
    setPath(cur, k, r.value(0), r);
    r.eol();
  }
}
