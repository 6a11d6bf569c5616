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

/** Decides, from the literals alone, whether any of the rules may match a body. Exact: no false negatives. */
export class Prefilter {
  private readonly rules: readonly RuleLiterals[];
  /** One pass over the file for all case-folded literals at once: most files hold none. */
  private readonly anyNocase: RegExp | null;
  private readonly nocaseRe = new Map<string, RegExp>();

  constructor(rules: readonly RuleLiterals[]) {
    this.rules = rules;
    const ci = new Set<string>();
    for (const r of rules) for (const g of r.all) if (g.nocase) for (const l of g.any) ci.add(l.toLowerCase());
    for (const l of ci) this.nocaseRe.set(l, new RegExp(escapeRe(l), 'i'));
    this.anyNocase = ci.size ? new RegExp([...ci].map(escapeRe).join('|'), 'i') : null;
  }

  /** True when some rule's every literal group occurs in the body (so the engine must look). */
  mayMatch(body: Buffer): boolean {
    const elf = body.length >= 4 && body.readUInt32LE(0) === ELF_MAGIC;
    const seen = new Map<string, boolean>();
    let text: string | undefined;
    let anyCi: boolean | undefined;
    const has = (lit: string, nocase: boolean): boolean => {
      const key = (nocase ? 'i:' : 's:') + lit;
      let v = seen.get(key);
      if (v !== undefined) return v;
      if (!nocase) v = body.indexOf(lit, 0, 'latin1') >= 0;
      else {
        if (text === undefined) text = body.toString('latin1');
        if (anyCi === undefined) anyCi = this.anyNocase ? this.anyNocase.test(text) : false;
        v = anyCi && this.nocaseRe.get(lit.toLowerCase())!.test(text);
      }
      seen.set(key, v);
      return v;
    };
    for (const r of this.rules) {
      if (elf && r.notElf) continue;
      if (r.all.every((g) => g.any.some((l) => has(l, g.nocase === true)))) return true;
    }
    return false;
  }
}
