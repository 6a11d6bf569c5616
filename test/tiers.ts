/**
 * The test tiers (vitest projects in test/vitest.config.ts, one npm script each), by file. A file is in the
 * first tier below whose list matches it, and in `unit` when none does:
 *   e2e     runs the built dist/ (CLI or action process) or a real Docker engine
 *   load    many images, many packages, many files, crafted slow databases
 *   fuzz    property and mutation runs over the parsers and the image reader
 *   oracle  spawns an oracle (rpm, go, dpkg, python3, Ruby's Bundler, cmark-gfm, java/maven, docker, npm)
 *   corpus  reads ../shared (real images, OSV data, package DBs, GitHub contracts), spawns no oracle
 *   unit    none of that: no ../shared, no oracle process, no dist/ (`npm run test:unit`, well under 60 s)
 * A unit file that asks for ../shared or an oracle fails, naming the tier it belongs in (test/helpers/skips.ts).
 */

export const TIER_NAMES = ['unit', 'corpus', 'oracle', 'fuzz', 'load', 'e2e'] as const;
export type TierName = (typeof TIER_NAMES)[number];

/** The tiers other than unit, most specific first; globs are relative to the repository root. */
export const TIERS: Record<Exclude<TierName, 'unit'>, string[]> = {
  e2e: [
    'test/e2e/**/*.test.ts',
    'test/build/**/*.test.ts',
    'test/cache/action-cache.test.ts',
    'test/faults/disk-full.test.ts',
    'test/docker/docker-read.test.ts',
    'test/match/hex-pub.test.ts',
  ],
  load: ['test/load/**/*.test.ts', 'test/faults/**/*.test.ts'],
  fuzz: ['test/fuzz/**/*.test.ts'],
  oracle: [
    'test/action/image-reference.test.ts',
    'test/bin/light-binaries.test.ts',
    'test/bin/scan-binary.test.ts',
    'test/dockerfile/map-layers.test.ts',
    'test/image/bad.test.ts',
    'test/image/formats.test.ts',
    'test/image/merged.test.ts',
    'test/image/tar.test.ts',
    'test/inventory/lang/gobinary.test.ts',
    'test/inventory/lang/java.test.ts',
    'test/inventory/lang/npm.test.ts',
    'test/inventory/lang/pip.test.ts',
    'test/inventory/lang/rustaudit.test.ts',
    'test/inventory/lock/formats.test.ts',
    'test/inventory/lock/npm.test.ts',
    'test/inventory/lock/toml-oracle.test.ts',
    'test/inventory/lock/yarn-pnpm.test.ts',
    'test/inventory/os/dpkg.test.ts',
    'test/inventory/os/rpm-analyzer.test.ts',
    'test/inventory/os/rpm-corrupt.test.ts',
    'test/inventory/os/rpm-oracle.test.ts',
    'test/match/distro.test.ts',
    'test/match/lang.test.ts',
    'test/match/reference.test.ts',
    'test/match/semantics.test.ts',
    'test/match/severity.test.ts',
    'test/report/comment/escape.test.ts',
    'test/report/comment/render.test.ts',
    'test/report/sarif/render.test.ts',
    'test/report/summary/summary.test.ts',
    'test/report/yara/deep-outputs.test.ts',
    'test/scan/findings.test.ts',
    'test/scan/inventory-truth.test.ts',
    'test/version/dpkg.test.ts',
    'test/version/maven.test.ts',
    'test/version/pep440.test.ts',
    'test/version/rpm.test.ts',
    'test/vulndb/build.test.ts',
    'test/vulndb/prepare.test.ts',
    'test/vulndb/units.test.ts',
  ],
  corpus: [
    'test/docs/guide.test.ts',
    'test/github/context.test.ts',
    'test/github/sarif-upload.test.ts',
    'test/github/sticky-comment.test.ts',
    'test/image/bomb-ratio.test.ts',
    'test/image/checksum.test.ts',
    'test/image/docker-ring.test.ts',
    'test/image/wanted.test.ts',
    'test/inventory/lang/gem-composer.test.ts',
    'test/inventory/lang/pip-os-owned.test.ts',
    'test/inventory/os/apk.test.ts',
    'test/inventory/os/dpkg-layer-keys.test.ts',
    'test/inventory/os/release.test.ts',
    'test/policy/suppress/apply.test.ts',
    'test/report/annotations/plan.test.ts',
    'test/scan/images.test.ts',
    'test/version/apk.test.ts',
    'test/version/cache.test.ts',
    'test/vulndb/enrich.test.ts',
    'test/version/composer.test.ts',
    'test/version/go.test.ts',
    'test/version/rubygems-nuget.test.ts',
    'test/version/semver.test.ts',
    'test/yara/rules.test.ts',
    'test/yara/scan.test.ts',
  ],
};
