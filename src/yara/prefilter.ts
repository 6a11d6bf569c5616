/**
 * The literal prefilter of the built-in rules: each rule declares the fixed strings it cannot match without
 * (src/yara/rules/*.ts, beside its text; test/yara/prefilter.test.ts checks each literal occurs in the rule's
 * strings and that removing it stops the engine from matching). A file that satisfies no rule's literals is
 * cleared without the engine, whose fixed cost (~10 ms per call in the WebAssembly build) is what made deep
 * mode slow. User rules have no declared literals: when any runs, every file goes to the engine.
 */

/** One group: at least one of `any` must occur in the file (case-folded when `nocase`). */
export interface LiteralGroup {
  readonly any: readonly string[];
  readonly nocase?: boolean;
}

/** What a rule cannot match without: every group (AND), and whether it can match an ELF file at all. */
export interface RuleLiterals {
  readonly rule: string;
  readonly all: readonly LiteralGroup[];
  /** The rule's condition excludes ELF files (`uint32(0) != 0x464C457F`). */
  readonly notElf: boolean;
}

const ELF_MAGIC = 0x464c457f;

export function isElf(body: Uint8Array): boolean {
  return body.length >= 4 && body[0] === 0x7f && body[1] === 0x45 && body[2] === 0x4c && body[3] === 0x46;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** One group, compiled: a single case-sensitive literal is searched in the bytes, anything else by a RegExp. */
interface Tester {
  literal: string | null;
  re: RegExp | null;
  /** Single literals contained in this one: when one of them is absent, so is this (checked first). */
  within: number[];
}

/**
 * Decides, from the literals alone, whether any of the rules may match a body. Exact: no false negatives.
 * Rules are tried in turn and a rule is given up at its first group that does not occur; each group is
 * looked for once per body (a single literal with Buffer.indexOf, an alternation or a case-folded group with
 * one RegExp over the body as latin1 text), and a literal that contains an absent one is absent unread.
 */
export class Prefilter {
  private readonly rules: { notElf: boolean; groups: number[] }[];
  private readonly testers: Tester[] = [];

  constructor(rules: readonly RuleLiterals[]) {
    const ids = new Map<string, number>();
    const id = (g: LiteralGroup): number => {
      const nocase = g.nocase === true;
      const key = `${nocase ? 'i' : 's'}:${[...g.any].sort().join('\u0000')}`;
      let n = ids.get(key);
      if (n === undefined) {
        n = this.testers.length;
        const single = !nocase && g.any.length === 1 ? g.any[0]! : null;
        this.testers.push({
          literal: single,
          re: single === null ? new RegExp(g.any.map(escapeRe).join('|'), nocase ? 'i' : '') : null,
          within: [],
        });
        ids.set(key, n);
      }
      return n;
    };
    this.rules = rules.map((r) => ({ notElf: r.notElf, groups: r.all.map(id) }));
    for (const t of this.testers) {
      if (t.literal === null) continue;
      this.testers.forEach((u, j) => {
        if (u !== t && u.literal !== null && u.literal.length < t.literal!.length && t.literal!.includes(u.literal))
          t.within.push(j);
      });
    }
  }

  /** True when some rule's every literal group occurs in the body (so the engine must look). */
  mayMatch(body: Buffer): boolean {
    const elf = body.length >= 4 && body.readUInt32LE(0) === ELF_MAGIC;
    const seen = new Int8Array(this.testers.length); // 0 unknown, 1 present, -1 absent
    let text: string | undefined;
    const has = (i: number): boolean => {
      if (seen[i]) return seen[i] === 1;
      const t = this.testers[i]!;
      let v: boolean;
      if (t.within.some((j) => !has(j))) v = false;
      else if (t.literal !== null) v = body.indexOf(t.literal, 0, 'latin1') >= 0;
      else {
        if (text === undefined) text = body.toString('latin1');
        v = t.re!.test(text);
      }
      seen[i] = v ? 1 : -1;
      return v;
    };
    for (const r of this.rules) {
      if (elf && r.notElf) continue;
      if (r.groups.every(has)) return true;
    }
    return false;
  }
}
