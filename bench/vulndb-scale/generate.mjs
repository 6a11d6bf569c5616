#!/usr/bin/env node
/**
 * A generator of OSV-schema-valid Ubuntu aggregates (`Ubuntu/all.zip`) in the real shapes, for the DB build
 * benchmark (issue 18 item 1): `UBUNTU-CVE-…` records with `upstream` CVE ids and NVD-style CVSS plus an Ubuntu
 * priority; each record spans several of the 17 releases OSV's Ubuntu data has (LTS, interim, `Ubuntu:Pro:*`,
 * `Ubuntu:Pro:FIPS*`); long `versions` lists; a third of the records on a few kernel source packages with
 * hundreds of `binaries` each (so many records share one (ecosystem, package) key, as linux's do). Seeded:
 * the same arguments give the same bytes.
 *
 *   node bench/vulndb-scale/generate.mjs OUT_DIR RECORDS [SEED]    # writes OUT_DIR/Ubuntu/all.zip
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Zip, ZipDeflate } from 'fflate';

const [outDir, recordsArg, seedArg] = process.argv.slice(2);
if (!outDir || !recordsArg) {
  console.error('usage: generate.mjs OUT_DIR RECORDS [SEED]');
  process.exit(2);
}
const RECORDS = Number(recordsArg);
let seed = Number(seedArg ?? 1) >>> 0 || 1;
const rand = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

const RELEASES = [
  ['14.04:LTS', 'trusty'],
  ['16.04:LTS', 'xenial'],
  ['18.04:LTS', 'bionic'],
  ['20.04:LTS', 'focal'],
  ['22.04:LTS', 'jammy'],
  ['24.04:LTS', 'noble'],
  ['24.10', 'oracular'],
  ['25.04', 'plucky'],
  ['Pro:14.04:LTS', 'trusty'],
  ['Pro:16.04:LTS', 'xenial'],
  ['Pro:18.04:LTS', 'bionic'],
  ['Pro:20.04:LTS', 'focal'],
  ['Pro:22.04:LTS', 'jammy'],
  ['Pro:24.04:LTS', 'noble'],
  ['Pro:FIPS:18.04:LTS', 'bionic'],
  ['Pro:FIPS-updates:20.04:LTS', 'focal'],
  ['Pro:FIPS-updates:22.04:LTS', 'jammy'],
];
// Real kernel CVE records name dozens of kernel source packages per release (linux, linux-aws-5.15, …).
const FLAVOURS = [
  '',
  '-aws',
  '-azure',
  '-gcp',
  '-oracle',
  '-lowlatency',
  '-raspi',
  '-ibm',
  '-kvm',
  '-nvidia',
  '-oem',
  '-intel-iotg',
];
const KERNELS = FLAVOURS.flatMap((f) => ['', '-5.4', '-5.15', '-6.8'].map((v) => `linux${f}${v}`));
const PACKAGES = Array.from({ length: 2500 }, (_, i) => `pkg${i.toString(36)}`);
const PRIORITIES = ['negligible', 'low', 'medium', 'high', 'critical'];
const VECTORS = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H',
  'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H',
];

function version(i) {
  return `${int(1, 9)}.${int(0, 30)}.${int(0, 99)}-${i}ubuntu${int(0, 9)}`;
}

function record(n) {
  const year = 2005 + (n % 21);
  const cve = `CVE-${year}-${String(10000 + n).padStart(5, '0')}`;
  const kernel = rand() < 0.33;
  const names = kernel ? KERNELS.filter(() => rand() < 0.5) : [pick(PACKAGES)];
  if (!names.length) names.push(KERNELS[0]);
  const releases = RELEASES.filter(() => rand() < (kernel ? 0.5 : 0.35));
  if (!releases.length) releases.push(pick(RELEASES));
  const affected = [];
  for (const [release, codename] of releases)
    for (const name of names) {
      const nv = kernel ? int(5, 15) : int(3, 40);
      const versions = Array.from({ length: nv }, (_, i) => version(i));
      const fixed = rand() < 0.8 ? version(nv + 1) : null;
      const binaries = kernel
        ? Array.from({ length: name === 'linux' ? int(100, 300) : int(5, 20) }, (_, i) => ({
            binary_name: `${name}-image-${int(5, 6)}.${int(0, 15)}.0-${i}-generic`,
            binary_version: fixed ?? versions[nv - 1],
          }))
        : Array.from({ length: int(1, 6) }, (_, i) => ({
            binary_name: `${name}${i ? `-${i}` : ''}`,
            binary_version: fixed ?? versions[nv - 1],
          }));
      affected.push({
        package: {
          ecosystem: `Ubuntu:${release}`,
          name,
          purl: `pkg:deb/ubuntu/${name}@${fixed ?? versions[nv - 1]}?arch=source&distro=${codename}`,
        },
        ranges: [{ type: 'ECOSYSTEM', events: fixed ? [{ introduced: '0' }, { fixed }] : [{ introduced: '0' }] }],
        versions,
        ecosystem_specific: { binaries, ubuntu_priority: pick(PRIORITIES) },
      });
    }
  const day = String(1 + (n % 28)).padStart(2, '0');
  return {
    schema_version: '1.6.3',
    id: `UBUNTU-${cve}`,
    modified: `2024-10-${day}T12:00:00Z`,
    published: `${year}-06-${day}T00:00:00Z`,
    upstream: [cve],
    summary: `${names[0]} vulnerability`,
    details: `A flaw was found in ${names[0]} that could allow an attacker to do something unpleasant. `.repeat(
      int(1, 6),
    ),
    severity: [
      { type: 'CVSS_V3', score: pick(VECTORS) },
      { type: 'Ubuntu', score: pick(PRIORITIES) },
    ],
    affected,
    references: [
      { type: 'REPORT', url: `https://ubuntu.com/security/${cve}` },
      { type: 'ADVISORY', url: `https://www.cve.org/CVERecord?id=${cve}` },
    ],
  };
}

mkdirSync(join(outDir, 'Ubuntu'), { recursive: true });
const out = createWriteStream(join(outDir, 'Ubuntu', 'all.zip'));
let jsonBytes = 0;
const done = new Promise((resolve, reject) => {
  out.on('finish', resolve);
  out.on('error', reject);
});
const zip = new Zip((err, chunk, final) => {
  if (err) throw err;
  out.write(chunk);
  if (final) out.end();
});
let kept2204 = 0;
for (let n = 0; n < RECORDS; n++) {
  const r = record(n);
  if (r.affected.some((a) => a.package.ecosystem === 'Ubuntu:22.04:LTS')) kept2204++;
  const bytes = new TextEncoder().encode(JSON.stringify(r));
  jsonBytes += bytes.length;
  const f = new ZipDeflate(`${r.id}.json`, { level: 1 });
  zip.add(f);
  f.push(bytes, true);
  if (n % 256 === 0) await new Promise((res) => setImmediate(res));
}
zip.end();
await done;
console.log(JSON.stringify({ records: RECORDS, json_bytes: jsonBytes, ubuntu_22_04_records: kept2204 }));
