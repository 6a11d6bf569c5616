/**
 * Which files of an image the YARA analysis looks at, decided on the tar header (path, size) and, for media,
 * on the first bytes. Left out: trees that hold only distribution data (documentation, locales, time zones,
 * headers, package-manager state), compressed archives and git objects (not opened: their compressed bytes
 * show nothing the rules look for), images, audio, video and fonts whose first bytes agree with their name.
 * Everything else is a candidate: configuration, application folders, home folders, scripts and binaries.
 * Likely secret locations (isPriorityPath) get a share of the budget that other files cannot use.
 * src/yara/README.md lists each choice; test/yara/locations.test.ts plants a secret in each.
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

/** Git's object store: zlib-compressed objects and packs. */
const GIT_OBJECTS = /(?:^|\/)\.git\/objects\//;

export function isYaraCandidate(path: string): boolean {
  return !SKIP_TREES.test(path) && !CACHE_FILE.test(path) && !GIT_OBJECTS.test(path);
}

export function isArchive(path: string): boolean {
  return ARCHIVE_EXT.test(path);
}

/**
 * Likely secret locations: home folders, /etc, application roots, dotfiles and dot-folders, env files and key
 * files by name. Not third-party package trees inside them (node_modules, site-packages, vendor).
 */
const PRIORITY_TREE = /^(?:root|home\/[^/]+|etc|app|srv|opt|var\/www|usr\/src|usr\/local\/etc|workspace|code)\//;
const THIRD_PARTY =
  /(?:^|\/)(?:node_modules|site-packages|dist-packages|vendor|bundle|\.cargo\/registry|go\/pkg\/mod)\//;
const DOT_COMPONENT = /(?:^|\/)\.[^/.][^/]*(?:\/|$)/;
const KEY_NAME =
  /(?:^|\/)(?:\.?env(?:\.[^/]+)?|id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?|credentials(?:\.[^/]+)?|secrets?(?:\.[^/]+)?|[^/]+\.(?:pem|key|p8|ppk|asc|gpg|env))$/i;

export function isPriorityPath(path: string): boolean {
  if (KEY_NAME.test(path)) return true;
  if (THIRD_PARTY.test(path)) return false;
  return PRIORITY_TREE.test(path) || DOT_COMPONENT.test(path);
}

/** Media and fonts by name, each with the first bytes a real one starts with (a file that does not is scanned). */
const MEDIA: { ext: RegExp; magic: (h: Buffer) => boolean }[] = [
  {
    ext: /\.png$/i,
    magic: (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { ext: /\.jpe?g$/i, magic: (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff },
  { ext: /\.gif$/i, magic: (h) => h.subarray(0, 4).toString('latin1') === 'GIF8' },
  { ext: /\.(?:webp|wav|avi)$/i, magic: (h) => h.subarray(0, 4).toString('latin1') === 'RIFF' },
  { ext: /\.ico$/i, magic: (h) => h[0] === 0 && h[1] === 0 && (h[2] === 1 || h[2] === 2) && h[3] === 0 },
  { ext: /\.bmp$/i, magic: (h) => h.subarray(0, 2).toString('latin1') === 'BM' },
  { ext: /\.tiff?$/i, magic: (h) => ['II*\0', 'MM\0*'].includes(h.subarray(0, 4).toString('latin1')) },
  {
    ext: /\.mp3$/i,
    magic: (h) => h.subarray(0, 3).toString('latin1') === 'ID3' || (h[0] === 0xff && (h[1]! & 0xe0) === 0xe0),
  },
  { ext: /\.(?:mp4|m4a|mov)$/i, magic: (h) => h.subarray(4, 8).toString('latin1') === 'ftyp' },
  { ext: /\.(?:ogg|oga|ogv|opus)$/i, magic: (h) => h.subarray(0, 4).toString('latin1') === 'OggS' },
  { ext: /\.flac$/i, magic: (h) => h.subarray(0, 4).toString('latin1') === 'fLaC' },
  { ext: /\.(?:webm|mkv)$/i, magic: (h) => h.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])) },
  {
    ext: /\.ttf$/i,
    magic: (h) => h.subarray(0, 4).equals(Buffer.from([0, 1, 0, 0])) || h.subarray(0, 4).toString('latin1') === 'true',
  },
  { ext: /\.otf$/i, magic: (h) => h.subarray(0, 4).toString('latin1') === 'OTTO' },
  { ext: /\.woff2?$/i, magic: (h) => ['wOFF', 'wOF2'].includes(h.subarray(0, 4).toString('latin1')) },
];

/** Bytes of the head that isMediaBody looks at. */
export const MEDIA_HEAD = 8;

/** Named as media or a font: its head decides (isMediaBody). */
export function mayBeMedia(path: string): boolean {
  return MEDIA.some((m) => m.ext.test(path));
}

/** An image, sound, video or font file, by its name and its first bytes both. */
export function isMediaBody(path: string, head: Buffer): boolean {
  return MEDIA.some((m) => m.ext.test(path) && head.length >= 4 && m.magic(head));
}
