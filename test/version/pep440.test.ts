/**
 * PEP 440 comparator against packaging.version.Version (python3 `packaging`, on this machine), on every
 * version in the PyPI OSV records, spelling variants of a sample of them (case, separators, "v", epochs,
 * local segments, whitespace) and strings packaging must reject: validity must match exactly (ours throws
 * iff packaging raises InvalidVersion) and so must the order of random, near and sorted-adjacent pairs.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnparsableVersionError } from '../../src/version/errors.js';
import { comparePep440, parsePep440 } from '../../src/version/pep440.js';
import { haveShared } from '../helpers/shared.js';
import { nearPairs, osvVersions, randomPairs, rng, sample, sgn } from './helpers.js';

const PY = `
import sys, json
from packaging.version import Version, InvalidVersion
import packaging
data = json.load(sys.stdin)
cache = {}
def parse(v):
    if v not in cache:
        try: cache[v] = Version(v)
        except InvalidVersion: cache[v] = None
    return cache[v]
valid = [parse(v) is not None for v in data["versions"]]
cmp = []
for a, b in data["pairs"]:
    x, y = parse(a), parse(b)
    cmp.append((x > y) - (x < y))
json.dump({"version": packaging.__version__, "valid": valid, "cmp": cmp}, sys.stdout)
`;

function packaging(
  versions: string[],
  pairs: [string, string][],
): { version: string; valid: boolean[]; cmp: number[] } {
  const r = spawnSync('python3', ['-c', PY], {
    input: JSON.stringify({ versions, pairs }),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`python3 packaging failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function valid(v: string): boolean {
  try {
    parsePep440(v);
    return true;
  } catch (e) {
    if (e instanceof UnparsableVersionError) return false;
    throw e;
  }
}

/** Respellings packaging must normalise (or reject) — the inputs are derived, the verdicts come from packaging. */
function variants(v: string, r: () => number): string[] {
  const out = [
    v.toUpperCase(),
    `v${v}`,
    `V${v}`,
    ` ${v}\n`,
    `1!${v}`,
    `${v}+Ubuntu.1-2_x`,
    `${v}+local.007`,
    `${v}.post`,
    `${v}-3`,
    `${v}_dev`,
    `${v}.DEV2`,
    `${v}alpha`,
    `${v}-preview-1`,
    `${v}c`,
    `${v}rev5`,
    `${v}r`,
    `${v}.0.0`,
    `${v}+`,
    `${v}..1`,
    `${v}-`,
    v.replace(/\./g, '_'),
    v.replace(/(\d)(a|b|rc)/, '$1.$2'),
    v.replace(/(\d)(a|b|rc)/, '$1-$2-'),
    `${v}\u00a0`,
    `${v}\u2003`,
    `${v}\x1f`,
    `${v}\ufeff`,
    `${v}+ABC`,
    `${v}+é`,
    `${v}ſ`,
  ];
  return out.filter(() => r() < 0.6);
}

const HAND = [
  '',
  ' ',
  'v',
  '1',
  '01',
  '1.',
  '.1',
  '1..2',
  '1.0',
  '1!',
  '!1',
  '1!1!1',
  '1.0a',
  '1.0a1',
  '1.0.a.1',
  '1.0-a-1',
  '1.0alpha',
  '1.0beta2',
  '1.0c3',
  '1.0pre',
  '1.0preview4',
  '1.0rc',
  '1.0.rc.1',
  '1.0-1',
  '1.0-post',
  '1.0post',
  '1.0.post1',
  '1.0r',
  '1.0rev',
  '1.0-r-7',
  '1.0.dev',
  '1.0dev0',
  '1.0a1.dev1',
  '1.0a1.post1.dev1',
  '1.0.post1.dev1',
  '1.0+abc',
  '1.0+1',
  '1.0+abc.1',
  '1.0+1.abc',
  '1.0+-x',
  '1.0+x-',
  '1.0++x',
  '1.0 ',
  '1.0\t',
  '1.0-',
  '1.0_',
  '1.0a-',
  '1.0.dev.',
  'x1.0',
  '1.0x',
  '1.0-dev',
  '1.0-1-1',
  '00000000000000000000001',
  '1.00000000000000000000000001',
  '1.0.0.0.0.0.0.0.1',
  'V1.0',
];

describe('PEP 440 versions', () => {
  let corpus: string[] = [];
  beforeAll(() => {
    const r = rng(440);
    const real = haveShared() ? osvVersions('PyPI') : [];
    const derived = sample(real, 600, 3).flatMap((v) => variants(v, r));
    corpus = [...new Set([...HAND, ...real, ...derived])];
  });

  it('accepts and rejects exactly what packaging does, and orders pairs as packaging does', () => {
    if (haveShared()) expect(corpus.length).toBeGreaterThan(10_000);
    const validOurs = corpus.map(valid);
    const good = corpus.filter((_, i) => validOurs[i]);
    const sorted = [...good].sort(comparePep440);
    const pairs: [string, string][] = [];
    for (let i = 1; i < sorted.length; i++) pairs.push([sorted[i - 1]!, sorted[i]!]);
    pairs.push(...randomPairs(good, 20_000, 5), ...nearPairs(good, 10_000, 9));
    for (const a of HAND) for (const b of HAND) if (valid(a) && valid(b)) pairs.push([a, b]);
    const truth = packaging(corpus, pairs);
    const badValid = corpus
      .filter((_v, i) => truth.valid[i] !== validOurs[i])
      .map((v) => `${JSON.stringify(v)}: packaging ${truth.valid[corpus.indexOf(v)]}`);
    const badCmp = pairs
      .filter(([a, b], i) => sgn(comparePep440(a, b)) !== truth.cmp[i])
      .map(([a, b], i) => `${a} vs ${b}: ${truth.cmp[i]}`);
    console.log(
      `packaging ${truth.version}: ${corpus.length} versions (${corpus.length - good.length} invalid), validity agrees on ${corpus.length - badValid.length}; ${pairs.length} pairs, ${pairs.length - badCmp.length} agree`,
    );
    expect(badValid.slice(0, 20)).toEqual([]);
    expect(badCmp.slice(0, 20)).toEqual([]);
  });
});
