/**
 * The literal prefilter of the built-in rules (src/yara/prefilter.ts): every built-in rule declares its
 * literals, every literal occurs in the rule's strings, and the declaration is a real necessary condition —
 * a planted sample of each rule matches in the engine, and the same sample with the literals of any one group
 * broken matches neither in the engine nor in the prefilter. Samples are synthetic (the rules' shapes with
 * random bodies): no key material.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/util/logger.js';
import type { RuleLiterals } from '../../src/yara/prefilter.js';
import { isElf, Prefilter } from '../../src/yara/prefilter.js';
import { BUILTIN_RULES } from '../../src/yara/rules/index.js';
import { runYara, type ScanItem } from '../../src/yara/scan.js';
import { ENGINE_DIR } from './engine-dir.js';

const b62 = (n: number) => {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(n)].map((x) => a[x % 62]).join('');
};
const b64 = (n: number) => randomBytes(n).toString('base64').slice(0, n);
const digits = (n: number) => [...randomBytes(n)].map((x) => String(x % 10)).join('');

/** One planted sample per built-in rule, each of the shape the rule's strings describe. */
const SAMPLES: Record<string, string> = {
  private_key_pem: `-----BEGIN RSA PRIVATE KEY-----\n${b64(64)}\n${b64(64)}\n-----END RSA PRIVATE KEY-----\n`,
  private_key_openssh: `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA${b64(40)}\n-----END OPENSSH PRIVATE KEY-----\n`,
  private_key_pgp: `-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: test\n\n${b64(64)}\n-----END PGP PRIVATE KEY BLOCK-----\n`,
  aws_access_key_id: 'key = AKIAIOSFODNN7EXAMPLE\n',
  aws_secret_access_key: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
  gcp_service_account_key: `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${b64(40)}"}`,
  github_token: `token=ghp_${b62(36)}\n`,
  slack_token: `SLACK=xoxb-${digits(12)}-${digits(13)}-${b62(24)}\n`,
  miner_xmrig: '{"donate-level": 1, "algo": "rx/0", "url": "stratum+tcp://x.invalid:1", "agent": "XMRig/6"}',
  webshell_php_eval_request: "<?php @eval($_POST['p']);?>",
  webshell_aspx_eval_request: '<%@ Page Language="Jscript"%><%eval(Request.Item["p"],"unsafe");%>',
};

/** The `rule name { … strings: … condition:` bodies of the built-in rule texts. */
function ruleStrings(): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of BUILTIN_RULES)
    for (const r of s.text.matchAll(/rule\s+(\w+)\s*\{[\s\S]*?strings:([\s\S]*?)condition:/g)) m.set(r[1]!, r[2]!);
  return m;
}

const LITERALS: RuleLiterals[] = BUILTIN_RULES.flatMap((s) => [...s.literals]);

function item(path: string, text: string | Buffer): ScanItem {
  const body = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return { path, size: body.length, layer: null, body: () => body };
}

/** Engine run over named samples: name → rules matched. */
async function engineMatches(samples: Record<string, string | Buffer>): Promise<Map<string, string[]>> {
  const out = await runYara(
    Object.entries(samples).map(([p, t]) => item(p, t)),
    { rulesDir: null, ...(ENGINE_DIR ? { engineDir: ENGINE_DIR } : {}) },
    { logger: silentLogger },
  );
  expect(out.status, out.unavailable.join('; ')).toBe('ok');
  const m = new Map<string, string[]>(Object.keys(samples).map((k) => [k, []]));
  for (const d of out.detections) m.get(d.path)!.push(d.rule);
  return m;
}

/** The sample with every occurrence of each literal broken (a character in its middle replaced). */
function breakLiterals(text: string, lits: readonly string[], nocase: boolean): string {
  let s = text;
  for (const l of lits) {
    const k = Math.floor(l.length / 2);
    const broken = l.slice(0, k) + (l[k] === '~' ? '^' : '~') + l.slice(k + 1);
    s = s.replace(new RegExp(l.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), nocase ? 'gi' : 'g'), broken);
  }
  return s;
}

describe('declared literals', () => {
  const strings = ruleStrings();

  it('every built-in rule declares its literals, and only built-in rules do', () => {
    expect(LITERALS.map((l) => l.rule).sort()).toEqual([...strings.keys()].sort());
    expect(Object.keys(SAMPLES).sort()).toEqual([...strings.keys()].sort());
  });

  it.each(LITERALS.map((l) => [l.rule, l]))('%s: each literal occurs in the rule strings', (_n, l) => {
    // the strings section without regex escapes (`\.` → `.`, `\/` → `/`, `\$` → `$`)
    const text = strings.get(l.rule)!.replace(/\\([^A-Za-z0-9])/g, '$1');
    for (const g of l.all) {
      expect(g.any.length).toBeGreaterThan(0);
      for (const lit of g.any) {
        expect(lit.length, lit).toBeGreaterThanOrEqual(2);
        const found = g.nocase ? text.toLowerCase().includes(lit.toLowerCase()) : text.includes(lit);
        expect(found, `${l.rule}: ${lit}`).toBe(true);
      }
    }
  });

  it('notElf is declared exactly for the rules whose condition excludes ELF files', () => {
    for (const s of BUILTIN_RULES)
      for (const r of s.text.matchAll(/rule\s+(\w+)\s*\{[\s\S]*?condition:([\s\S]*?)\n\}/g)) {
        const l = LITERALS.find((x) => x.rule === r[1])!;
        expect(l.notElf, r[1]).toBe(/uint32\(0\) != 0x464C457F/.test(r[2]!));
      }
  });
});

describe('the prefilter against the engine', () => {
  it('each planted sample matches its rule in the engine and passes the prefilter', async () => {
    const m = await engineMatches(SAMPLES);
    for (const [rule, text] of Object.entries(SAMPLES)) {
      expect(m.get(rule), rule).toContain(rule);
      const only = new Prefilter(LITERALS.filter((l) => l.rule === rule));
      expect(only.mayMatch(Buffer.from(text)), rule).toBe(true);
    }
  });

  it('with the literals of any one group broken, the engine does not match and the prefilter says so', async () => {
    const broken: Record<string, string> = {};
    for (const l of LITERALS)
      l.all.forEach((g, i) => {
        broken[`${l.rule}#${i}`] = breakLiterals(SAMPLES[l.rule]!, g.any, g.nocase === true);
      });
    const m = await engineMatches(broken);
    for (const [name, text] of Object.entries(broken)) {
      const rule = name.split('#')[0]!;
      expect(m.get(name), name).not.toContain(rule);
      const only = new Prefilter(LITERALS.filter((l) => l.rule === rule));
      expect(only.mayMatch(Buffer.from(text)), name).toBe(false);
    }
  });

  it('case-folded literals are found in any case; ELF files are checked only for the rules that scan them', () => {
    const all = new Prefilter(LITERALS);
    expect(all.mayMatch(Buffer.from('xMrIg'))).toBe(true);
    expect(all.mayMatch(Buffer.from('AWS_SECRET_ACCESS_KEY'))).toBe(true);
    expect(all.mayMatch(Buffer.from('nothing to see here'))).toBe(false);
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from(' AKIAIOSFODNN7EXAMPLE ')]);
    expect(isElf(elf)).toBe(true);
    expect(all.mayMatch(elf)).toBe(false); // the credential rules skip ELF files
    expect(all.mayMatch(Buffer.concat([elf, Buffer.from('xmrig')]))).toBe(true);
  });

  it("real binaries (this machine's ls and cat): whenever the engine matches, the prefilter let the file through", async () => {
    const bins: Record<string, Buffer> = { ls: readFileSync('/bin/ls'), cat: readFileSync('/bin/cat') };
    // the same binaries with a miner's strings appended: the engine matches, so must the prefilter
    for (const [k, b] of Object.entries({ ...bins }))
      bins[`${k}+xmrig`] = Buffer.concat([b, Buffer.from(' XMRig donate-level stratum+tcp:// ')]);
    const all = new Prefilter(LITERALS);
    const m = await engineMatches(bins);
    for (const [k, b] of Object.entries(bins)) {
      if (m.get(k)!.length) expect(all.mayMatch(b), k).toBe(true);
    }
    expect(m.get('ls+xmrig')).toEqual(['miner_xmrig']);
    expect(isElf(bins.ls!)).toBe(true);
  });
});
