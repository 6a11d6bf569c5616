/**
 * Which paths may be executables worth opening (Go binaries, Rust binaries with cargo-auditable data).
 * The request predicate only sees the path, and every matching body is held in memory until the analyzers
 * run, so the rule is narrow: any file directly in a `bin/` or `sbin/` folder, and elsewhere files whose
 * name has no extension (or `.bin`, `.exe`, `.elf`, `.out`), outside folders that hold data, sources or
 * package metadata. The analyzers then check the ELF magic themselves. A sniff of the first bytes in the
 * reader (FileRequest extension, see the report) would allow "every ELF file" without the memory cost.
 */

export const BINARY_MAX_SIZE = 256 * 1024 * 1024;

const IN_BIN = /(?:^|\/)s?bin\/[^/]+$/;
const SKIP_DIRS =
  /^(?:usr\/share|usr\/include|usr\/src|usr\/lib\/python[^/]*|usr\/local\/lib\/python[^/]*|usr\/lib\/locale|usr\/lib\/jvm|etc|var\/lib\/(?:dpkg|apt|rpm|apk|ucf|pam)|var\/cache|var\/log|proc|sys|dev|lib\/apk|run|tmp)\//;
const SKIP_ANYWHERE =
  /(?:^|\/)(?:node_modules|\.git|site-packages|dist-packages|__pycache__|specifications|gems|META-INF)\//;
const OK_EXT = /\.(?:bin|exe|elf|out)$/i;

export function isBinaryCandidate(path: string): boolean {
  if (IN_BIN.test(path)) return !SKIP_ANYWHERE.test(path);
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  if (base === '' || base[0] === '.') return false;
  if (base.includes('.') && !OK_EXT.test(base)) return false;
  return !SKIP_DIRS.test(path) && !SKIP_ANYWHERE.test(path);
}

/** True when the bytes start with the ELF magic. */
export function isElf(body: Buffer): boolean {
  return body.length >= 4 && body[0] === 0x7f && body[1] === 0x45 && body[2] === 0x4c && body[3] === 0x46;
}
