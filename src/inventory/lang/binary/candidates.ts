/**
 * Which files of a layer are opened as possible executables (Go binaries, Rust binaries with cargo-auditable
 * data), decided on the tar header alone (the visit hook's match): a regular file with an executable bit, of a
 * plausible size, outside folders that hold data, sources or package metadata, not named like a script or a
 * shared library. Deep mode also opens the files the path rule below names (any mode bits), as it did before
 * binaries moved into light mode. The visitor then checks the ELF magic in the first bytes.
 */

export const BINARY_MAX_SIZE = 256 * 1024 * 1024;
/** Smaller than an ELF header plus one program header: nothing to read. */
export const BINARY_MIN_SIZE = 64;

const IN_BIN = /(?:^|\/)s?bin\/[^/]+$/;
const SKIP_DIRS =
  /^(?:usr\/share|usr\/include|usr\/src|usr\/lib\/python[^/]*|usr\/local\/lib\/python[^/]*|usr\/lib\/locale|usr\/lib\/jvm|etc|var\/lib\/(?:dpkg|apt|rpm|apk|ucf|pam)|var\/cache|var\/log|proc|sys|dev|lib\/apk|run|tmp)\//;
const SKIP_ANYWHERE =
  /(?:^|\/)(?:node_modules|\.git|site-packages|dist-packages|__pycache__|specifications|gems|META-INF)\//;
const OK_EXT = /\.(?:bin|exe|elf|out)$/i;
/** Executable-bit files that are scripts or libraries, not programs. */
const NOT_PROGRAM =
  /\.(?:so(?:\.[0-9][^/]*)?|a|o|ko|py|pyc|sh|bash|pl|pm|rb|js|mjs|cjs|php|lua|tcl|txt|md|json|xml|html?|conf|cfg|ini)$/i;

/** The path rule (deep mode's candidates before binaries moved to light mode). */
export function isBinaryCandidate(path: string): boolean {
  if (IN_BIN.test(path)) return !SKIP_ANYWHERE.test(path);
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  if (base === '' || base[0] === '.') return false;
  if (base.includes('.') && !OK_EXT.test(base)) return false;
  return !SKIP_DIRS.test(path) && !SKIP_ANYWHERE.test(path);
}

/** The visit hook's match: executables by their mode bits (and, in deep mode, the path rule too). */
export function wantsExecutable(path: string, size: number, mode: number, deep: boolean): boolean {
  if (size < BINARY_MIN_SIZE || size > BINARY_MAX_SIZE) return false;
  if ((mode & 0o111) === 0) return deep && isBinaryCandidate(path);
  if (NOT_PROGRAM.test(path)) return false;
  if (IN_BIN.test(path)) return !SKIP_ANYWHERE.test(path);
  return !SKIP_DIRS.test(path) && !SKIP_ANYWHERE.test(path);
}
