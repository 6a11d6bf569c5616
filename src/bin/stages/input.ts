/**
 * The input stage of `scanrook bin`: cheap checks, so a wrong path ends with two events (queued, input
 * failed): the file must exist, be a regular file within the size limit, and be an ELF executable (Go build
 * info and Rust audit data are read from ELF only). The file is read whole here.
 */
import { open, stat } from 'node:fs/promises';
import { fmtBytes } from '../../util/bytes.js';
import { fmtSizeLimit } from '../../util/size-limit.js';
import { elfArchitecture } from '../inventory.js';
import type { BinaryScanState, BinaryStageContext } from '../state.js';
import { DEFAULT_MAX_BINARY_SIZE } from '../state.js';

export async function binaryInputStage(ctx: BinaryStageContext, state: BinaryScanState): Promise<BinaryScanState> {
  const { job, input: path, opts } = ctx;
  const stop = { ...state, stopped: true };
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) {
      job.inputFailed(
        'unsupported_media_type',
        `${path} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}: \`scanrook bin\` scans one executable file`,
      );
      return stop;
    }
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : `cannot be opened (${code ?? String(e)})`;
    job.inputFailed('file_not_found', `${path} ${why}`);
    return stop;
  }
  const sized = { ...state, target: { ...state.target, size_bytes: size } };
  const maxSize = opts.maxSize ?? DEFAULT_MAX_BINARY_SIZE;
  if (maxSize > 0 && size > maxSize) {
    job.inputFailed(
      'image_size_exceeded',
      `${path} is ${fmtBytes(size)}, over the ${fmtSizeLimit(maxSize)} maximum for a binary`,
    );
    return { ...sized, stopped: true };
  }
  let body: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      body = await fh.readFile();
    } finally {
      await fh.close();
    }
  } catch (e) {
    job.inputFailed('file_not_found', `${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    return { ...sized, stopped: true };
  }
  if (body.length < 4 || body.readUInt32BE(0) !== 0x7f454c46) {
    const kind =
      body.length === 0
        ? 'empty (0 bytes)'
        : body.length >= 2 && body[0] === 0x4d && body[1] === 0x5a
          ? 'a Windows PE executable'
          : body.length >= 4 &&
              [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(body.readUInt32BE(0))
            ? 'a Mach-O executable'
            : 'not an ELF executable';
    job.inputFailed(
      'unsupported_media_type',
      `${path} is ${kind}: \`scanrook bin\` reads Linux ELF executables (Go build info, Rust audit data)`,
    );
    return { ...sized, stopped: true };
  }
  const target = { ...sized.target, format: 'elf', architecture: elfArchitecture(body) };
  job.inputOpened(
    `opened ELF binary ${path} (${fmtBytes(size)}${target.architecture ? `, ${target.architecture}` : ''})`,
  );
  return { ...state, target, body, filesRead: 1 };
}
