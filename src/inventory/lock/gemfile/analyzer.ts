/**
 * Bundler `Gemfile.lock` (and `gems.locked`), deep mode: the `specs:` of each `GEM` section (gems from a
 * RubyGems source), i.e. the 4-space-indented `name (version)` lines; 6-space lines are their dependency
 * requirements and are not packages. A platform-specific gem is written `name (1.2.3-x86_64-linux)`: the
 * version is what precedes the first `-` (RubyGems versions have no `-`), the platform is kept as
 * metadata.platform and a purl qualifier, as lang/gem does. Gems of `GIT` and `PATH` sections are not
 * registry releases: skipped and counted. `BUNDLED WITH` is Bundler's own version, not a dependency.
 * Gems under a RubyGems install folder (`…/gems/<name>-<version>/Gemfile.lock`) are that gem's development
 * lockfile and are not read.
 */
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';

export function parseGemfileLock(text: string): LockParse {
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  let section = '';
  let inSpecs = false;
  let sawSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (!line) continue;
    if (!/^\s/.test(line)) {
      if (!/^[A-Z][A-Z0-9 _-]*$/.test(line))
        throw new LockError(`unexpected line ${JSON.stringify(line.slice(0, 80))}`);
      section = line;
      sawSection = true;
      inSpecs = false;
      continue;
    }
    if (line === '  specs:') {
      inSpecs = true;
      continue;
    }
    if (/^ {2}\S/.test(line)) {
      inSpecs = false;
      continue;
    }
    if (!inSpecs || !/^ {4}\S/.test(line)) continue;
    const m = /^ {4}(\S+) \(([^)\s]+)\)$/.exec(line);
    if (!m) {
      skipped.push({ what: line.trim().slice(0, 80), reason: 'not a name (version) line' });
      continue;
    }
    if (section !== 'GEM') {
      skipped.push({ what: m[1]!, reason: `not from a registry (${section} section)` });
      continue;
    }
    const dash = m[2]!.indexOf('-');
    const version = dash > 0 ? m[2]!.slice(0, dash) : m[2]!;
    const platform = dash > 0 ? m[2]!.slice(dash + 1) : '';
    entries.push({ name: m[1]!, version, metadata: platform ? { platform } : undefined });
  }
  if (!sawSection) throw new LockError('no GEM, GIT, PATH, PLATFORMS or DEPENDENCIES section');
  return { entries, skipped };
}

export const gemfileAnalyzer = lockAnalyzer({
  format: 'gemfile',
  what: 'Gemfile.lock',
  type: 'gem',
  ecosystem: 'RubyGems',
  maxSize: 16 * 1024 * 1024,
  fileName: (b) => b === 'Gemfile.lock' || b === 'gems.locked',
  extraTrees: ['gems'],
  parse: parseGemfileLock,
  purl: (e) => ({ type: 'gem', name: e.name, version: e.version, qualifiers: { platform: e.metadata?.platform } }),
});
