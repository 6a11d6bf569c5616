/**
 * A Dockerfile parser that keeps line ranges: parser directives (`# syntax=`, `# escape=`), comments, line
 * continuations (also across comment and blank lines), heredocs (`<<EOF`, `<<-EOF`, quoted, several per line),
 * `ARG` before the first `FROM`, and stages (`FROM image [AS name]`). It never throws: what it cannot read
 * becomes a problem with its line number.
 */

export interface HeredocBody {
  /** The delimiter word. */
  name: string;
  /** 1-based: the first body line, and the line of the closing delimiter. */
  startLine: number;
  endLine: number;
}

export interface Instruction {
  /** Upper-case keyword (RUN, COPY, FROM, …). */
  keyword: string;
  /** Everything after the keyword, continuation lines joined (escape + newline removed), comments dropped. */
  args: string;
  /** `--name=value` flags at the start of args (value '' for a bare `--flag`). */
  flags: Record<string, string>;
  /** args with the leading flags removed. */
  rest: string;
  /** The JSON array of the exec form (`RUN ["a", "b"]`), when args is one. */
  execForm: string[] | null;
  heredocs: HeredocBody[];
  /** 1-based first and last line (the last line of the last heredoc when there are heredocs). */
  startLine: number;
  endLine: number;
  /** 1-based column following the last character of the end line (SARIF endColumn). */
  endColumn: number;
  /** Index of the stage it belongs to, -1 for ARGs before the first FROM. */
  stage: number;
}

export interface Stage {
  index: number;
  /** The `AS` name, lower-cased (stage names are case-insensitive), or null. */
  name: string | null;
  /** The image (or earlier stage name) after FROM, as written. */
  base: string;
  platform: string | null;
  from: Instruction;
  /** The stage's instructions after its FROM. */
  instructions: Instruction[];
}

export interface DockerfileProblem {
  line: number;
  message: string;
}

export interface ParsedDockerfile {
  directives: Record<string, string>;
  escape: '\\' | '`';
  globalArgs: Instruction[];
  stages: Stage[];
  problems: DockerfileProblem[];
  /** The source split in lines (no line terminators). */
  lines: string[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;
const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const out: ParsedDockerfile = { directives: {}, escape: '\\', globalArgs: [], stages: [], problems: [], lines };

  // Parser directives: only at the very top, before any comment that is not one, blank line or instruction.
  let i = 0;
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!.trim());
    if (!m || !lines[i]!.trim().startsWith('#')) break;
    const key = m[1]!.toLowerCase();
    if (key in out.directives) break; // a repeated directive is a comment
    out.directives[key] = m[2]!;
  }
  const esc = out.directives.escape;
  if (esc !== undefined) {
    if (esc === '`') out.escape = '`';
    else if (esc !== '\\')
      out.problems.push({
        line: 1,
        message: `invalid escape directive "${esc}" (only \\ and \` are allowed); using \\`,
      });
  }
  const contRe = out.escape === '\\' ? /\\[ \t]*$/ : /`[ \t]*$/;

  for (; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const startLine = i + 1;
    let joined = '';
    let cur = raw;
    let endIdx = i;
    // Join continuation lines; comment lines and blank lines inside a continuation are skipped.
    while (contRe.test(cur)) {
      joined += cur.replace(contRe, '');
      let k = endIdx + 1;
      while (k < lines.length && (lines[k]!.trim().startsWith('#') || lines[k]!.trim() === '')) k++;
      if (k >= lines.length) {
        out.problems.push({ line: endIdx + 1, message: 'the file ends inside a line continuation' });
        cur = '';
        endIdx = Math.max(endIdx, k - 1);
        break;
      }
      endIdx = k;
      cur = lines[k]!;
    }
    joined += cur;
    const text1 = joined.trim();
    const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(text1);
    if (!m) continue;
    const keyword = m[1]!.toUpperCase();
    const args = (m[2] ?? '').trim();
    const { flags, rest } = splitFlags(args);

    const heredocs: HeredocBody[] = [];
    if (HEREDOC_KEYWORDS.has(keyword) && !rest.startsWith('[')) {
      HEREDOC.lastIndex = 0;
      let h: RegExpExecArray | null;
      let pos = endIdx + 1;
      // Quoted text is not looked at: `echo "<<x"` is no heredoc.
      const unquoted = blankQuoted(rest);
      while ((h = HEREDOC.exec(unquoted)) !== null) {
        const name = h[3]!;
        const stripTabs = h[1] === '-';
        let k = pos;
        while (k < lines.length && (stripTabs ? lines[k]!.replace(/^\t+/, '') : lines[k]!) !== name) k++;
        if (k >= lines.length) {
          out.problems.push({ line: startLine, message: `heredoc <<${name} is never closed` });
          heredocs.push({ name, startLine: pos + 1, endLine: lines.length });
          pos = lines.length;
          break;
        }
        heredocs.push({ name, startLine: pos + 1, endLine: k + 1 });
        pos = k + 1;
      }
      if (heredocs.length > 0) endIdx = pos - 1;
    }

    const endText = lines[endIdx] ?? '';
    const ins: Instruction = {
      keyword,
      args,
      flags,
      rest,
      execForm: parseExecForm(rest),
      heredocs,
      startLine,
      endLine: endIdx + 1,
      endColumn: endText.length + 1,
      stage: out.stages.length - 1,
    };
    i = endIdx;

    if (keyword === 'FROM') {
      const words = rest.split(/\s+/).filter(Boolean);
      let base = words[0] ?? '';
      let name: string | null = null;
      if (words.length >= 3 && words[1]!.toUpperCase() === 'AS') name = words[2]!.toLowerCase();
      if (base === '') {
        out.problems.push({ line: startLine, message: 'FROM without an image' });
        base = 'scratch';
      } else if (words.length !== 1 && name === null) {
        out.problems.push({ line: startLine, message: `FROM expects "image [AS name]", got "${rest}"` });
      }
      ins.stage = out.stages.length;
      out.stages.push({
        index: out.stages.length,
        name,
        base,
        platform: flags.platform ?? null,
        from: ins,
        instructions: [],
      });
    } else if (out.stages.length === 0) {
      if (keyword === 'ARG') out.globalArgs.push(ins);
      else
        out.problems.push({
          line: startLine,
          message: `${keyword} before the first FROM (only ARG may come before FROM)`,
        });
    } else {
      out.stages[out.stages.length - 1]!.instructions.push(ins);
    }
  }
  if (out.stages.length === 0)
    out.problems.push({ line: 1, message: 'no FROM instruction: this is not a Dockerfile with a build stage' });
  return out;
}

/** The text with quoted strings blanked out — except heredoc delimiters (`<<"EOF"`), which stay. */
function blankQuoted(s: string): string {
  let out = '';
  for (let k = 0; k < s.length; ) {
    const d = /^<<-?\s*(["'])[A-Za-z_][A-Za-z0-9_]*\1/.exec(s.slice(k));
    if (d) {
      out += d[0];
      k += d[0].length;
      continue;
    }
    const c = s[k]!;
    if (c === '"' || c === "'") {
      let e = k + 1;
      while (e < s.length && s[e] !== c) e += c === '"' && s[e] === '\\' ? 2 : 1;
      out += ' '.repeat(Math.min(e + 1, s.length) - k);
      k = e + 1;
      continue;
    }
    out += c;
    k++;
  }
  return out;
}

function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=("[^"]*"|'[^']*'|\S*))?(?:\s+|$)/.exec(rest);
    if (!m) break;
    let v = m[2] ?? '';
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    flags[m[1]!.toLowerCase()] = v;
    rest = rest.slice(m[0].length);
  }
  return { flags, rest: rest.trim() };
}

function parseExecForm(rest: string): string[] | null {
  if (!rest.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(rest);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

/** The stages a stage builds on, root first (following `FROM <earlier stage name>`), ending with the stage itself. */
export function stageChain(df: ParsedDockerfile, stage: Stage): Stage[] {
  const chain: Stage[] = [stage];
  let cur = stage;
  for (let guard = 0; guard < df.stages.length; guard++) {
    const baseName = cur.base.toLowerCase();
    const prev = df.stages
      .slice(0, cur.index)
      .reverse()
      .find((s) => s.name === baseName);
    if (!prev) break;
    chain.unshift(prev);
    cur = prev;
  }
  return chain;
}
