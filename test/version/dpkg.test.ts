/**
 * dpkg comparator against the real oracle on this machine: `dpkg --compare-versions` (one process per
 * question, so a few thousand questions), and libapt's comparator (python3-apt's apt_pkg.version_compare,
 * same algorithm, one process for tens of thousands of pairs). Versions are real: every Version: in
 * ../shared/data/pkgdb/dpkg and every version in the Debian and Ubuntu OSV records.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareDpkg, parseDpkg } from '../../src/version/dpkg.js';
import { UnparsableVersionError } from '../../src/version/errors.js';
import { haveOracle } from '../helpers/oracles.js';
import { haveShared } from '../helpers/shared.js';
import { dpkgStatusVersions, nearPairs, osvVersions, randomPairs, sample, sgn } from './helpers.js';

const OPS = { [-1]: 'lt', 0: 'eq', 1: 'gt' } as const;

/** Asks dpkg, for each pair, whether OUR answer holds. Returns, per pair, true/false, or 'error' (exit 2). */
function dpkgAgrees(questions: [string, string, 'lt' | 'eq' | 'gt'][]): (boolean | 'error')[] {
  const script = `while IFS=$'\\t' read -r a op b; do dpkg --compare-versions "$a" "$op" "$b" 2>/dev/null; echo $?; done`;
  const input = questions.map(([a, b, op]) => `${a}\t${op}\t${b}`).join('\n') + '\n';
  const r = spawnSync('bash', ['-c', script], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`dpkg loop failed: ${r.stderr}`);
  const codes = r.stdout.trim().split('\n');
  expect(codes.length).toBe(questions.length);
  return codes.map((c) => (c === '0' ? true : c === '1' ? false : 'error'));
}

/** dpkg's own classification of one version: 'ok', 'warning' or 'error'. */
function dpkgSyntax(versions: string[]): ('ok' | 'warning' | 'error')[] {
  const script = `while IFS= read -r v; do out=$(dpkg --compare-versions "$v" eq "$v" 2>&1); c=$?; if [ $c -ne 0 ]; then echo error; elif [ -n "$out" ]; then echo warning; else echo ok; fi; done`;
  const r = spawnSync('bash', ['-c', script], { input: versions.join('\n') + '\n', encoding: 'utf8' });
  return r.stdout.trim().split('\n') as ('ok' | 'warning' | 'error')[];
}

/** libapt's comparator on many pairs in one python3 process (system python with python3-apt). */
function aptCompare(pairs: [string, string][]): number[] {
  const code =
    'import sys,apt_pkg\napt_pkg.init_system()\nout=[]\nfor line in sys.stdin.read().split("\\n"):\n' +
    '  if not line: continue\n  a,b=line.split("\\t")\n  c=apt_pkg.version_compare(a,b)\n' +
    '  out.append(str((c>0)-(c<0)))\nprint("\\n".join(out))\n';
  const r = spawnSync('/usr/bin/python3', ['-c', code], {
    input: pairs.map(([a, b]) => `${a}\t${b}`).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.error || r.status !== 0) throw new Error(`apt_pkg failed: ${r.error?.message ?? r.stderr}`);
  return r.stdout.trim().split('\n').map(Number);
}

// Hand-picked syntax edge cases (each checked against dpkg, not against expectations written here).
const EDGE = [
  '1.0',
  '1.0-0',
  '1.0~',
  '1.0~~',
  '1.0~a',
  '1.0+',
  '1.0a',
  '1:0',
  '0:1.0',
  '00:1.0',
  'a:1',
  ':1',
  '1:',
  '1.0-',
  'abc',
  '1_0',
  '1.0-a_b',
  '+1:1',
  '99999999999:1',
  '2147483647:1',
  '2147483648:1',
  '1:1:1',
  '1-1-1',
  '1.0-1:1',
  ' 1.0',
  '1.0 ',
  '1 0',
  '1.0-0.0',
  '1.0.',
  '1..0',
  '1.0-~',
  '1.0~-1',
  '1:1.0-1~bpo1',
  '0',
  '00',
  '1.0+~',
  '1.0-1+b1',
  '1.0-1+deb12u1',
  '1.0-1~deb12u1',
  'A1',
  '1.A',
  '1.a',
  '1%',
  '1.0-1%',
];

describe('dpkg versions', () => {
  let versions: string[] = [];
  beforeAll(() => {
    if (!haveShared()) return;
    const set = new Set([...dpkgStatusVersions(), ...osvVersions('Debian'), ...osvVersions('Ubuntu')]);
    versions = [...set].filter((v) => !v.startsWith('-')).sort();
  });

  it('has a real corpus', ({ skip }) => {
    if (!haveShared()) return skip();
    expect(versions.length).toBeGreaterThan(10_000);
  });

  it('classifies syntax (error -> throws, warning -> compared) exactly as dpkg', () => {
    const suspicious = versions.filter((v) => !/^([0-9]+:)?[0-9][A-Za-z0-9.+~]*(-[A-Za-z0-9.+~]+)?$/.test(v));
    const list = [...EDGE, ...suspicious, ...sample(versions, 300, 7)];
    const truth = dpkgSyntax(list);
    const mismatches: string[] = [];
    list.forEach((v, i) => {
      let ours: 'ok' | 'warning' | 'error';
      try {
        ours = parseDpkg(v).warning ? 'warning' : 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(UnparsableVersionError);
        ours = 'error';
      }
      if (ours !== truth[i]) mismatches.push(`${JSON.stringify(v)}: dpkg ${truth[i]}, ours ${ours}`);
    });
    console.log(`dpkg syntax: ${list.length} versions checked (${suspicious.length} unusual real ones)`);
    expect(mismatches).toEqual([]);
  });

  it('orders edge cases, random pairs and near pairs exactly as dpkg --compare-versions', () => {
    const edgeValid = EDGE.filter((v) => {
      try {
        parseDpkg(v);
        return !v.startsWith('-') && !/\s/.test(v);
      } catch {
        return false;
      }
    });
    const pairs: [string, string][] = [];
    for (const a of edgeValid) for (const b of edgeValid) pairs.push([a, b]);
    if (versions.length > 0) {
      pairs.push(...randomPairs(versions, 2000, 11), ...nearPairs(versions, 1500, 13));
    }
    const questions = pairs.map(
      ([a, b]) => [a, b, OPS[sgn(compareDpkg(a, b)) as -1 | 0 | 1]] as [string, string, 'lt' | 'eq' | 'gt'],
    );
    const answers = dpkgAgrees(questions);
    const wrong = questions.filter((_, i) => answers[i] !== true).map(([a, b, op]) => `${a} ${op} ${b}`);
    console.log(`dpkg --compare-versions: ${questions.length} pairs, ${questions.length - wrong.length} agree`);
    expect(wrong).toEqual([]);
  });

  it.runIf(haveOracle('python3-apt'))(
    'agrees with libapt on every adjacent pair of the sorted corpus and 30,000 random pairs',
    ({ skip }) => {
      if (!haveShared()) return skip();
      const sorted = [...versions].sort(compareDpkg);
      const pairs: [string, string][] = [];
      for (let i = 1; i < sorted.length; i++) pairs.push([sorted[i - 1]!, sorted[i]!]);
      pairs.push(...randomPairs(versions, 30_000, 17));
      const truth = aptCompare(pairs);
      const wrong = pairs.filter(([a, b], i) => sgn(compareDpkg(a, b)) !== truth[i]).map(([a, b]) => `${a} vs ${b}`);
      console.log(`apt_pkg.version_compare: ${pairs.length} pairs, ${pairs.length - wrong.length} agree`);
      expect(wrong.slice(0, 20)).toEqual([]);
    },
  );
});
