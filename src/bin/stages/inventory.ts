/**
 * The inventory stage of `scanrook bin`: Go build info and cargo-auditable data (light and deep mode: for a
 * binary they are the inventory); nothing found → `no_packages_detected`; unreadable data → `archive_corrupt`.
 */
import { binaryInventory } from '../inventory.js';
import type { BinaryScanState, BinaryStageContext } from '../state.js';

export async function binaryInventoryStage(ctx: BinaryStageContext, state: BinaryScanState): Promise<BinaryScanState> {
  const { job, input: path, opts, deps } = ctx;
  const body = state.body;
  if (!body) throw new Error("the inventory stage needs the input stage's file");
  job.start('inventory', 'reading Go build info and Rust audit data');
  const inv = await binaryInventory(body, path, deps.logger);
  let packages = inv.packages;
  for (const p of inv.problems) job.addReason('archive_corrupt', `${path}: ${p}`, 'inventory');
  if (opts.maxPackages > 0 && packages.length > opts.maxPackages) {
    job.addReason(
      'package_collection_limit_exceeded',
      `found ${packages.length} packages, over the maximum of ${opts.maxPackages}: the first ${opts.maxPackages} are reported and matched`,
      'inventory',
    );
    packages = packages.slice(0, opts.maxPackages);
  }
  if (packages.length === 0) {
    job.addReason(
      'no_packages_detected',
      inv.kinds.length
        ? `${path} holds ${inv.kinds.join(' and ')} build data but no published package version: zero findings here does not mean the binary is safe`
        : `${path} holds neither Go build info nor cargo-auditable data: zero findings here does not mean the binary is safe`,
      'inventory',
    );
  }
  const what = inv.kinds.length
    ? inv.kinds
        .map((k) => (k === 'go' ? `Go build info (${inv.goVersion ?? 'unknown toolchain'})` : 'Rust audit data'))
        .join(' and ')
    : 'no build data';
  job.finish('inventory', `${packages.length} packages from ${what}`);
  return { ...state, packages };
}
