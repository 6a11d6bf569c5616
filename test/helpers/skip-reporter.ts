/**
 * vitest reporter: ends the run with one line per missing test prerequisite (noted by test/helpers/skips.ts),
 * saying how to get it and the skipped tests of the files that needed it (a file missing two prerequisites
 * counts its skipped tests on both lines):
 *   skip: rpm is missing (apt-get install rpm): 16 skipped tests in 4 files: test/a.test.ts, ...
 */
import { readFileSync, rmSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { SKIP_DIR_ENV, SKIP_LOG, type SkipNote } from './skips.js';

export default class SkipReporter implements Reporter {
  private root = process.cwd();

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const dir = process.env[SKIP_DIR_ENV];
    if (!dir) return;
    let text = '';
    try {
      text = readFileSync(join(dir, SKIP_LOG), 'utf8');
      rmSync(join(dir, SKIP_LOG));
    } catch {
      // nothing was missing
    }
    // the run's own folder (test/vitest.config.ts made it), not one named by the caller
    if (basename(dir).startsWith('scanrook-skips-')) rmSync(dir, { recursive: true, force: true });
    const byKey = new Map<string, { note: SkipNote; files: Set<string> }>();
    for (const line of text.split('\n').filter(Boolean)) {
      const note = JSON.parse(line) as SkipNote;
      const entry = byKey.get(note.key) ?? { note, files: new Set<string>() };
      entry.files.add(note.file);
      byKey.set(note.key, entry);
    }
    const skippedIn = (file: string) => {
      const m = testModules.find((t) => t.moduleId === file);
      return m ? [...m.children.allTests()].filter((t) => t.result().state === 'skipped').length : 0;
    };
    const lines = [...byKey.values()].map(({ note, files }) => {
      const n = [...files].reduce((sum, f) => sum + skippedIn(f), 0);
      const names = [...files].map((f) => relative(this.root, f)).sort();
      return `skip: ${note.what} is missing (${note.hint}): ${n} skipped tests in ${files.size} file${files.size === 1 ? '' : 's'}: ${names.join(', ')}`;
    });
    if (lines.length) process.stdout.write(`\n${lines.sort().join('\n')}\n`);
  }
}
