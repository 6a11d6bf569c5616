/**
 * The SARIF categories of the action's images: the repository without tag or digest, and distinct per image.
 */
import { describe, expect, it } from 'vitest';
import { imageNameOf, repositoryOf, sarifCategories } from '../../src/action/sarif.js';
import type { ScanReport } from '../../src/model/report.js';

describe('SARIF categories', () => {
  const rep = (refs: string[]) => ({ target: { refs } }) as unknown as ScanReport;
  it('repository without tag or digest', () => {
    expect(repositoryOf('ghcr.io/org/app:1.2@sha256:abc')).toBe('ghcr.io/org/app');
    expect(repositoryOf('localhost:5000/app')).toBe('localhost:5000/app');
    expect(repositoryOf('localhost:5000/app:3')).toBe('localhost:5000/app');
    expect(repositoryOf('app@sha256:abc')).toBe('app');
  });
  it('names: the ref given, the #ref, the archive tag, else the file name', () => {
    expect(imageNameOf({ kind: 'docker', ref: 'app:1' }, rep([]))).toBe('app:1');
    expect(imageNameOf({ kind: 'path', path: 'x.tar', ref: 'b:2' }, rep(['c:3']))).toBe('b:2');
    expect(imageNameOf({ kind: 'path', path: 'x.tar' }, rep(['c:3']))).toBe('c:3');
    expect(imageNameOf({ kind: 'path', path: 'dir/img.tar.gz' }, rep([]))).toBe('img');
    expect(imageNameOf({ kind: 'path', path: 'layout/' }, rep([]))).toBe('layout');
  });
  it('distinct and stable: repository, then repo:tag, then a position', () => {
    const cats = sarifCategories('scanrook/', [
      { input: { kind: 'docker', ref: 'ghcr.io/o/app:1.2' }, report: rep([]) },
      { input: { kind: 'docker', ref: 'ghcr.io/o/app:1.3' }, report: rep([]) },
      { input: { kind: 'path', path: 'a.tar' }, report: rep(['web:1']) },
      { input: { kind: 'path', path: 'b.tar' }, report: rep(['web:1']) },
      { input: { kind: 'path', path: 'weird name!.tar' }, report: rep([]) },
    ]);
    expect(cats).toEqual([
      'scanrook/ghcr.io/o/app:1.2',
      'scanrook/ghcr.io/o/app:1.3',
      'scanrook/web/3',
      'scanrook/web/4',
      'scanrook/weird_name_',
    ]);
    expect(sarifCategories('sec', [{ input: { kind: 'docker', ref: 'app:9@sha256:1' }, report: rep([]) }])).toEqual([
      'sec/app',
    ]);
  });
});
