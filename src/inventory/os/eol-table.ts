/**
 * End-of-life dates of distribution releases, each row with its source and the day it was recorded.
 * "End of life" = the day the vendor's free, public security updates stop (after it, packages get no new fixes):
 *  - Debian: end of Debian LTS (`eol-lts` column; `eol` for releases older than LTS) — paid ELTS is not counted.
 *  - Ubuntu: end of standard support (`eol`) — Ubuntu Pro / ESM is a subscription, not counted.
 *  - Alpine: "End of support" of the release branch (main repository).
 *  - RHEL: end of Maintenance Support (paid ELS not counted); AlmaLinux / Rocky: their "End of Life".
 *  - SLES: end of general support of the service pack (LTSS not counted); openSUSE Leap: end of life.
 * Releases whose dates could not be sourced are left out (eolOf returns null for them).
 * All rows recorded 2026-11-21 (machine clock of the build machine).
 */

export interface EolSource {
  /** The vendor's page. */
  url: string;
  /** How the dates were read: the vendor data file, or the copy through which the vendor page was read. */
  via: string;
  recorded: string;
}

export const EOL_SOURCES = {
  debian: {
    url: 'https://wiki.debian.org/LTS',
    via: "Debian's distro-info-data 0.58+deb12u6, /usr/share/distro-info/debian.csv (copy: test/fixtures/inventory/os-release/debian.csv)",
    recorded: '2026-11-21',
  },
  ubuntu: {
    url: 'https://ubuntu.com/about/release-cycle',
    via: "Debian's distro-info-data 0.58+deb12u6, /usr/share/distro-info/ubuntu.csv (copy: test/fixtures/inventory/os-release/ubuntu.csv)",
    recorded: '2026-11-21',
  },
  alpine: {
    url: 'https://alpinelinux.org/releases/',
    via: 'endoflife-date/endoflife.date @0118c3037fa9 products/alpine-linux.md (scraped from the "End of support" column of the vendor page)',
    recorded: '2026-11-21',
  },
  rhel: {
    url: 'https://access.redhat.com/support/policy/updates/errata',
    via: 'endoflife-date/endoflife.date @06362a04e8e4 products/rhel.md ("Maintenance support" of the Red Hat lifecycle data)',
    recorded: '2026-11-21',
  },
  almalinux: {
    url: 'https://wiki.almalinux.org/release-notes/',
    via: 'endoflife-date/endoflife.date @0f7d558fccd8 products/almalinux.md',
    recorded: '2026-11-21',
  },
  rocky: {
    url: 'https://wiki.rockylinux.org/rocky/version/',
    via: 'endoflife-date/endoflife.date @11ec7295ac4a products/rocky-linux.md ("End of Life" column of the vendor page)',
    recorded: '2026-11-21',
  },
  sles: {
    url: 'https://www.suse.com/lifecycle',
    via: 'endoflife-date/endoflife.date @01af712da6dd products/sles.md ("General Support" end per service pack)',
    recorded: '2026-11-21',
  },
  opensuse: {
    url: 'https://en.opensuse.org/Lifetime',
    via: 'endoflife-date/endoflife.date @02ce42c26db5 products/opensuse.md',
    recorded: '2026-11-21',
  },
} as const satisfies Record<string, EolSource>;

export type EolFamily = keyof typeof EOL_SOURCES;

/** [family, release key, end of life]. Release keys: Debian major, Ubuntu YY.MM, Alpine X.Y, RHEL-family major,
 *  SLES / openSUSE Leap <major>.<service pack or minor>. */
export const EOL_ROWS: readonly (readonly [EolFamily, string, string])[] = [
  ['debian', '4', '2010-02-15'],
  ['debian', '5', '2012-02-06'],
  ['debian', '6', '2016-02-29'],
  ['debian', '7', '2018-05-31'],
  ['debian', '8', '2020-06-30'],
  ['debian', '9', '2022-06-30'],
  ['debian', '10', '2024-06-30'],
  ['debian', '11', '2026-08-31'],
  ['debian', '12', '2028-06-30'],
  ['debian', '13', '2030-06-30'],
  ['ubuntu', '14.04', '2019-04-25'],
  ['ubuntu', '14.10', '2015-07-23'],
  ['ubuntu', '15.04', '2016-02-04'],
  ['ubuntu', '15.10', '2016-07-28'],
  ['ubuntu', '16.04', '2021-04-30'],
  ['ubuntu', '16.10', '2017-07-20'],
  ['ubuntu', '17.04', '2018-01-13'],
  ['ubuntu', '17.10', '2018-07-19'],
  ['ubuntu', '18.04', '2023-05-31'],
  ['ubuntu', '18.10', '2019-07-18'],
  ['ubuntu', '19.04', '2020-01-23'],
  ['ubuntu', '19.10', '2020-07-17'],
  ['ubuntu', '20.04', '2025-05-29'],
  ['ubuntu', '20.10', '2021-07-22'],
  ['ubuntu', '21.04', '2022-01-20'],
  ['ubuntu', '21.10', '2022-07-14'],
  ['ubuntu', '22.04', '2027-06-01'],
  ['ubuntu', '22.10', '2023-07-20'],
  ['ubuntu', '23.04', '2024-01-25'],
  ['ubuntu', '23.10', '2024-07-11'],
  ['ubuntu', '24.04', '2029-05-31'],
  ['ubuntu', '24.10', '2025-07-10'],
  ['ubuntu', '25.04', '2026-01-15'],
  ['ubuntu', '25.10', '2026-07-09'],
  ['ubuntu', '26.04', '2031-05-29'],
  ['alpine', '3.0', '2016-05-01'],
  ['alpine', '3.1', '2016-11-01'],
  ['alpine', '3.2', '2017-05-01'],
  ['alpine', '3.3', '2017-11-01'],
  ['alpine', '3.4', '2018-05-01'],
  ['alpine', '3.5', '2018-11-01'],
  ['alpine', '3.6', '2019-05-01'],
  ['alpine', '3.7', '2019-11-01'],
  ['alpine', '3.8', '2020-05-01'],
  ['alpine', '3.9', '2020-11-01'],
  ['alpine', '3.10', '2021-05-01'],
  ['alpine', '3.11', '2021-11-01'],
  ['alpine', '3.12', '2022-05-01'],
  ['alpine', '3.13', '2022-11-01'],
  ['alpine', '3.14', '2023-05-01'],
  ['alpine', '3.15', '2023-11-01'],
  ['alpine', '3.16', '2024-05-23'],
  ['alpine', '3.17', '2024-11-22'],
  ['alpine', '3.18', '2025-05-09'],
  ['alpine', '3.19', '2025-11-01'],
  ['alpine', '3.20', '2026-04-01'],
  ['alpine', '3.21', '2026-11-01'],
  ['alpine', '3.22', '2027-05-01'],
  ['alpine', '3.23', '2027-11-01'],
  ['rhel', '5', '2017-03-31'],
  ['rhel', '6', '2020-11-30'],
  ['rhel', '7', '2024-06-30'],
  ['rhel', '8', '2029-05-31'],
  ['rhel', '9', '2032-05-31'],
  ['almalinux', '8', '2029-03-01'],
  ['almalinux', '9', '2032-05-31'],
  ['almalinux', '10', '2035-05-31'],
  ['rocky', '8', '2029-05-31'],
  ['rocky', '9', '2032-05-31'],
  ['sles', '12.1', '2017-05-31'],
  ['sles', '12.2', '2018-03-31'],
  ['sles', '12.3', '2019-06-30'],
  ['sles', '12.4', '2020-06-30'],
  ['sles', '12.5', '2024-10-31'],
  ['sles', '15.0', '2019-12-31'],
  ['sles', '15.1', '2021-01-31'],
  ['sles', '15.2', '2021-12-31'],
  ['sles', '15.3', '2022-12-31'],
  ['sles', '15.4', '2023-12-31'],
  ['sles', '15.5', '2024-12-31'],
  ['opensuse', '42.1', '2017-05-17'],
  ['opensuse', '42.2', '2018-01-26'],
  ['opensuse', '42.3', '2019-07-01'],
  ['opensuse', '15.0', '2019-12-03'],
  ['opensuse', '15.1', '2021-02-02'],
  ['opensuse', '15.2', '2022-01-04'],
  ['opensuse', '15.3', '2022-12-31'],
  ['opensuse', '15.4', '2023-12-07'],
  ['opensuse', '15.5', '2024-12-31'],
  ['opensuse', '15.6', '2026-04-30'],
  ['opensuse', '16.0', '2027-10-31'],
];
