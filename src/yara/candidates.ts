/**
 * Which files of an image the YARA analysis reads. The reader keeps every matching body in memory until the
 * analyzers run (FileRequest contract), so the predicate leaves out trees that hold only distribution data
 * (documentation, locales, time zones, headers, package-manager state) and the analysis skips compressed
 * archives, which it does not open (their compressed bytes would only cost time; see README.md).
 * Everything else is a candidate: configuration, application folders, home folders, scripts and binaries.
 */

const SKIP_TREES = new RegExp(
  '^(?:' +
    [
      'proc',
      'sys',
      'dev',
      'run',
      'usr/share/(?:doc|man|info|locale|i18n|zoneinfo|mime|icons|fonts|help|gtk-doc|lintian|bash-completion|common-licenses|X11/locale|terminfo|perl5?|tcltk)',
      'usr/include',
      'usr/lib/locale',
      'usr/lib/jvm/[^/]+/(?:legal|man)',
      'var/lib/(?:dpkg|apt|rpm|apk|ucf|pam|systemd/deb-systemd)',
      'lib/apk/db',
      'usr/lib/sysimage/rpm',
      'var/cache',
      'var/log',
      'etc/ssl/certs',
      'usr/share/ca-certificates',
      'etc/ca-certificates',
    ].join('|') +
    ')/',
);

/** Compressed or packed archives: scanned raw they show only compressed bytes, so they are not scanned. */
const ARCHIVE_EXT =
  /\.(?:gz|tgz|bz2|tbz2?|xz|txz|zst|lz4|lzma|7z|rar|zip|jar|war|ear|whl|egg|apk|aar|nupkg|gem|deb|rpm|crate|br)$/i;

/** Compiled Python and similar caches: generated from sources that are scanned themselves. */
const CACHE_FILE = /(?:^|\/)__pycache__\/|\.py[co]$/;

export function isYaraCandidate(path: string): boolean {
  return !SKIP_TREES.test(path) && !CACHE_FILE.test(path);
}

export function isArchive(path: string): boolean {
  return ARCHIVE_EXT.test(path);
}
