/**
 * The merged view caches, within one layer, each folder's resolved path and the node of the previous entry's
 * parent folder. Those caches must never change the result. Invariant checked: a layer of additions applied
 * at once gives the same tree as the same additions applied one per layer (where no cache survives from one
 * entry to the next), for layers mixing files, folders and symlinks that replace one another, point at
 * each other, loop, and change what a later entry's parent resolves to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LayerEntry, LayerIndex } from '../../src/image/layer-index.js';
import { MergedTree } from '../../src/image/merged-view.js';
import type { EntryType } from '../../src/image/types.js';
import { silentLogger } from '../../src/util/logger.js';

const seg = fc.constantFrom('a', 'b', 'c');
const relPath = fc.array(seg, { minLength: 1, maxLength: 3 }).map((p) => p.join('/'));
const linkTarget = fc.oneof(
  relPath,
  relPath.map((p) => `/${p}`),
  relPath.map((p) => `../${p}`),
  fc.constant('.'),
  fc.constant('..'),
);
const entry: fc.Arbitrary<LayerEntry> = fc
  .oneof(
    { weight: 3, arbitrary: fc.record({ path: relPath, type: fc.constant<EntryType>('file'), size: fc.nat(9) }) },
    { weight: 2, arbitrary: fc.record({ path: relPath, type: fc.constant<EntryType>('dir'), size: fc.constant(0) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        path: relPath,
        type: fc.constant<EntryType>('symlink'),
        size: fc.constant(0),
        target: linkTarget,
      }),
    },
  )
  .map((e) => ({
    path: e.path,
    type: e.type,
    size: e.size,
    mode: 0o644,
    linkname: 'target' in e ? e.target : null,
    layer: -1,
  }));

function layer(entries: LayerEntry[]): LayerIndex {
  return {
    ops: entries.map((e) => ({ ...e, layer: -1 })),
    bodies: new Map(),
    entries: entries.length,
    ignored: [],
    complete: true,
  };
}

/** Every path with its type and link target, and how a few probe paths resolve through the links. */
function snapshot(t: MergedTree): { files: string[]; resolved: (string | undefined)[] } {
  const files = [...t.entries()].map((e) => `${e.type} ${e.path} ${e.linkname ?? ''}`).sort();
  const probes = ['a', 'a/b', 'b/c/a', 'c/a/b', 'a/a/a', 'b/b'];
  return { files, resolved: probes.map((p) => t.resolve(p)) };
}

describe('merged view: per-layer caches change nothing', () => {
  it('one layer of additions = the same additions one layer each (files, folders, symlinks replacing each other)', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 25 }), (entries) => {
        const together = new MergedTree();
        together.apply(0, layer(entries), silentLogger);
        const apart = new MergedTree();
        for (const [i, e] of entries.entries()) apart.apply(i, layer([e]), silentLogger);
        expect(snapshot(together)).toEqual(snapshot(apart));
        expect(together.fileCount).toBe(apart.fileCount);
      }),
      { numRuns: 3000 },
    );
  });

  it('a folder turned into a symlink mid-layer: later entries under it land in the link target', () => {
    const t = new MergedTree();
    const e = (path: string, type: EntryType, linkname: string | null = null): LayerEntry => ({
      path,
      type,
      size: 0,
      mode: 0o644,
      layer: -1,
      linkname,
    });
    t.apply(
      0,
      layer([e('d', 'dir'), e('d/f1', 'file'), e('e', 'dir'), e('d', 'symlink', 'e'), e('d/f2', 'file')]),
      silentLogger,
    );
    expect(t.stat('e/f2', false)?.type).toBe('file');
    expect(t.stat('d/f1', false)).toBeUndefined();
    expect(t.stat('d', false)?.type).toBe('symlink');
  });
});
