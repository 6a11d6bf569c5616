import { it } from 'vitest';
import { findingsFromRecords, scanSharedImage } from './real-findings.js';
it('explore', async () => {
  for (const [img, srcs] of [['alpine-3.10.docker.tar.gz', ['Alpine/all.zip']], ['lang.oci.tar', ['PyPI/all.zip', 'npm/extra', 'Debian/bookworm-changelog']], ['debian-bookworm.oci.tar', ['Debian/bookworm-changelog', 'Debian/all.zip']], ['rpm-rocky9.docker.tar', ['AlmaLinux/all.zip']]] as const) {
    const r = await scanSharedImage(img);
    console.log(img, r.packages.length, [...new Set(r.packages.map(p => p.ecosystem + ' ' + p.type))]);
    for (const s of srcs) {
      const f = findingsFromRecords(r, s);
      console.log('  ', s, f.length, f.slice(0, 5).map(x => `${x.id} ${x.package} ${x.installed_version} fix=${x.fixed_version} ${x.severity}`));
    }
  }
});
