/**
 * Maven comparator against Maven's own ComparableVersion (maven-artifact 3.8.7 shipped with the machine's
 * Maven: /usr/share/maven/lib/maven-artifact-3.x.jar, run with `java -cp JAR ...ComparableVersion v1 v2 ...`,
 * which prints the canonical form of each argument and the comparison of each consecutive pair). Versions:
 * every version in the Maven OSV records, respellings of a sample of them, and qualifier edge cases.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareMaven, mavenCanonical, parseMaven } from '../../src/version/maven.js';
import { haveOracle, MAVEN_ARTIFACT_JAR } from '../helpers/oracles.js';
import { haveShared } from '../helpers/shared.js';
import { osvVersions, randomPairs, rng, sample, sgn } from './helpers.js';

const JAR = MAVEN_ARTIFACT_JAR;

/** Runs ComparableVersion's main on a sequence; returns canonical forms and consecutive verdicts. */
function mavenOracle(seq: string[]): { canonical: string[]; cmp: number[] } {
  const canonical: string[] = [];
  const cmp: number[] = [];
  const CHUNK = 2000;
  for (let start = 0; start < seq.length; start += CHUNK - 1) {
    const part = seq.slice(start, start + CHUNK);
    const r = spawnSync('java', ['-cp', JAR, 'org.apache.maven.artifact.versioning.ComparableVersion', ...part], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(`ComparableVersion failed: ${r.stderr}`);
    const lines = r.stdout.split('\n').slice(1);
    let k = 0;
    for (let i = 0; i < part.length; i++) {
      const head = `${i + 1}. ${part[i]} -> `;
      const line = lines[k++]!;
      if (!line.startsWith(head)) throw new Error(`unexpected oracle line ${JSON.stringify(line)} for ${part[i]}`);
      const canon = line.slice(head.length, line.lastIndexOf('; tokens: '));
      if (start === 0 || i > 0) canonical.push(canon);
      if (i < part.length - 1) {
        const cl = lines[k++]!;
        const body = cl.slice(3 + part[i]!.length);
        const op = body.slice(1, body.indexOf(' ', 1));
        cmp.push(op === '<' ? -1 : op === '>' ? 1 : 0);
        if (op !== '<' && op !== '>' && op !== '==')
          throw new Error(`unexpected comparison line ${JSON.stringify(cl)}`);
      }
    }
  }
  return { canonical, cmp };
}

const EDGE = [
  '1',
  '1.0',
  '1.0.0',
  '1-0',
  '1.0-0',
  '1-1',
  '1.1',
  '1-alpha',
  '1-a1',
  '1a1',
  '1-beta',
  '1-b2',
  '1-m3',
  '1-milestone',
  '1-rc',
  '1-cr',
  '1-RC1',
  '1-snapshot',
  '1-SNAPSHOT',
  '1-ga',
  '1-final',
  '1-release',
  '1-sp',
  '1-sp1',
  '1-foo',
  '1-foo1',
  '1.foo',
  '1-1.foo-bar-1-baz-0.1',
  '1.0.0.0.0.0.1',
  '1..1',
  '1--1',
  '.1',
  '-1',
  '1.',
  '1-',
  'a',
  'alpha',
  'A',
  '1-xyz',
  '1-abc',
  '1-0.1',
  '1.0-alpha-1',
  '1.0-alpha1',
  '1.0a1',
  '1.0.a1',
  '1.0-1-alpha',
  '01',
  '001.002',
  '2147483648',
  '99999999999999999999',
  '1-2147483647',
  '1.0.RELEASE',
  '1.0.Final',
  '1.0.GA',
  '1.0-SP1',
  '1.0.0-M1',
  '1.0.0.M1',
  'r1',
  '1 2',
  '1_2',
  '1+2',
  '1.0-jre',
  '1.0-android',
  '31.1-jre',
  '31.1-android',
  '2.0.0.Beta1',
  '2.0.0.CR1',
  '2.0.0-RC1',
  '5.3.0-SNAPSHOT',
];

describe('Maven versions', () => {
  it.runIf(haveOracle('maven'))(
    'orders and canonicalises exactly as ComparableVersion (maven-artifact on this machine)',
    () => {
      const r = rng(31);
      const real = haveShared() ? osvVersions('Maven').filter((v) => v !== '' && !v.startsWith('-')) : [];
      const respelt = sample(real, 400, 5).flatMap((v) =>
        [v.toUpperCase(), `${v}-SNAPSHOT`, `${v}.0`, `${v}-1`, v.replace(/\./g, '-'), `${v}-sp1`, `${v}.RC2`].filter(
          () => r() < 0.5,
        ),
      );
      const corpus = [...new Set([...EDGE, ...real, ...respelt])].filter((v) => !v.startsWith('-'));
      if (haveShared()) expect(corpus.length).toBeGreaterThan(3000);
      // A sequence whose consecutive pairs are: sorted-adjacent pairs, then random pairs, then all edge pairs.
      const sorted = [...corpus].sort(compareMaven);
      const seq: string[] = [...sorted];
      for (const [a, b] of randomPairs(corpus, 6000, 7)) seq.push(a, b);
      const edge = EDGE.filter((v) => !v.startsWith('-'));
      for (const a of edge) for (const b of edge) seq.push(a, b);
      const truth = mavenOracle(seq);
      const wrongCmp: string[] = [];
      for (let i = 0; i + 1 < seq.length; i++) {
        if (sgn(compareMaven(seq[i]!, seq[i + 1]!)) !== truth.cmp[i])
          wrongCmp.push(`${seq[i]} vs ${seq[i + 1]}: maven ${truth.cmp[i]}`);
      }
      const wrongCanon: string[] = [];
      seq.slice(0, sorted.length).forEach((v, i) => {
        const c = mavenCanonical(parseMaven(v));
        if (c !== truth.canonical[i]) wrongCanon.push(`${v}: maven ${truth.canonical[i]}, ours ${c}`);
      });
      console.log(
        `ComparableVersion 3.8.7: ${seq.length - 1} pairs, ${seq.length - 1 - wrongCmp.length} agree; ${sorted.length} canonical forms, ${sorted.length - wrongCanon.length} agree`,
      );
      expect(wrongCanon.slice(0, 20)).toEqual([]);
      expect(wrongCmp.slice(0, 20)).toEqual([]);
    },
  );
});

describe('Maven order on versions that start with a letter', () => {
  // found by the order-law property (properties.test.ts) with a random seed in CI: a cycle, in Maven as in ours
  it.runIf(haveOracle('maven'))('is the cycle maven-artifact itself has', () => {
    const r = spawnSync(
      'java',
      ['-cp', JAR, 'org.apache.maven.artifact.versioning.ComparableVersion', 'a', '0', '0.0.0-alpha.0', 'a'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const verdicts = r.stdout
      .split('\n')
      .filter((l) => /^ {3}\S/.test(l))
      .map((l) => l.trim());
    expect(verdicts).toEqual(['a > 0', '0 > 0.0.0-alpha.0', '0.0.0-alpha.0 > a']);
  });
});
