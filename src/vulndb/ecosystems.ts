/**
 * OSV ecosystem names: a base (`Debian`, `PyPI`) optionally followed by `:` and a release (`Debian:12`,
 * `Alpine:v3.10`, `Ubuntu:18.04:LTS`).
 *
 * The OSV bucket (gs://osv-vulnerabilities) has one folder per BASE ecosystem: OSV's exporter cuts the
 * ecosystem at the first `:` (osv.dev `go/cmd/exporter`, and docs/data.md: "the data dump will always contain
 * an ecosystem directory without the `:.*` suffix"). Per-release folders (`Debian:12/all.zip`) were written by
 * the older exporter and are not guaranteed, so we always download `<base>/all.zip` and keep only the releases
 * the inventory asked for when building.
 */

export function baseEcosystem(ecosystem: string): string {
  const i = ecosystem.indexOf(':');
  return (i < 0 ? ecosystem : ecosystem.slice(0, i)).trim();
}

/** The distinct bucket folders (base ecosystems) for a list of ecosystems, sorted. */
export function bucketFolders(ecosystems: readonly string[]): string[] {
  return [...new Set(ecosystems.map(baseEcosystem).filter((e) => e.length > 0))].sort();
}

/**
 * A predicate saying whether an affected entry's ecosystem is wanted. No list (undefined) keeps everything.
 * A list entry with a release (`Debian:12`) keeps exactly that ecosystem; a bare base (`PyPI`, `Debian`)
 * keeps the base and all of its releases.
 */
export function ecosystemFilter(wanted: readonly string[] | undefined): (ecosystem: string) => boolean {
  if (!wanted) return () => true;
  const exact = new Set(wanted);
  const bases = new Set(wanted.filter((w) => !w.includes(':')));
  return (eco) => exact.has(eco) || bases.has(baseEcosystem(eco));
}
