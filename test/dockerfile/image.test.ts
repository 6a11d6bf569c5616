/**
 * The Dockerfile handed to the renderers: parsed once (parseSource, with its problems as one warning), mapped
 * once per image (mapImage), and the annotations' layer → line view of that mapping (annotationLines), on the
 * real build histories of test/fixtures/dockerfile.
 */
import { describe, expect, it } from 'vitest';
import { annotationLines, mapImage } from '../../src/dockerfile/image.js';
import { mapLayersToDockerfile } from '../../src/dockerfile/map-layers.js';
import { parseSource, problemsWarning } from '../../src/dockerfile/source.js';
import type { ScanReport } from '../../src/model/report.js';
import { fixtureText, targetFromConfig } from './fixtures.js';

const reportOf = (target: Pick<ScanReport['target'], 'layers' | 'history'>) => ({ target }) as unknown as ScanReport;

describe('parseSource and problemsWarning', () => {
  it('a clean Dockerfile: parsed, no warning', () => {
    const df = parseSource('docker/Dockerfile', fixtureText('multistage.Dockerfile'));
    expect(df.path).toBe('docker/Dockerfile');
    expect(df.parsed.stages.length).toBeGreaterThan(1);
    expect(problemsWarning(df)).toBeNull();
  });
  it('problems: the first 10 listed with their lines, the rest counted', () => {
    const df = parseSource('Dockerfile', 'RUN a\n'.repeat(12) + 'FROM alpine\n');
    const w = problemsWarning(df)!;
    expect(w).toMatch(/^the Dockerfile Dockerfile has problems \(line 1: RUN before the first FROM/);
    expect(w).toContain('line 10: RUN before the first FROM');
    expect(w).not.toContain('line 11:');
    expect(w).toMatch(/ and 2 more\); lines that cannot be matched point at the FROM line or nowhere$/);
  });
});

describe('mapImage and annotationLines', () => {
  const df = parseSource('Dockerfile', fixtureText('multistage.Dockerfile'));

  it("the same mapping the mapper gives, under the source's path; null for a scan that read no image", () => {
    const t = targetFromConfig('multistage.classic.config.json');
    const d = mapImage(df, reportOf(t))!;
    expect(d.path).toBe('Dockerfile');
    expect(d.mapping).toEqual(mapLayersToDockerfile(df.parsed, t));
    expect(mapImage(df, reportOf({ layers: [], history: t.history }))).toBeNull();
  });

  it('lines of instruction and base-image layers; none for a fallback layer', () => {
    const t = targetFromConfig('multistage.classic.config.json');
    expect([...annotationLines(mapImage(df, reportOf(t))!.mapping)]).toEqual([
      [0, 9],
      [1, 13],
      [2, 17],
      [3, 18],
      [4, 19],
      [5, 21],
    ]);
    // Layer 5 without its history entry falls back to the FROM line: it gets no annotation line.
    const lost = { ...t, layers: t.layers.map((l) => (l.index === 5 ? { ...l, history_index: null } : l)) };
    const m = mapImage(df, reportOf(lost))!.mapping;
    expect(m.layers.get(5)!.origin).toBe('fallback');
    expect([...annotationLines(m).keys()]).toEqual([0, 1, 2, 3, 4]);
    // A Dockerfile the history does not follow: every layer falls back, no line at all.
    const other = mapImage(
      parseSource('Dockerfile', 'FROM debian:12\nRUN apt-get install -y curl\n'),
      reportOf(t),
    )!.mapping;
    expect(other.confidence).toBe('fallback');
    expect(annotationLines(other).size).toBe(0);
    expect(annotationLines(null).size).toBe(0);
  });
});
