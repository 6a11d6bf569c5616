/** Reads an image archive with a YARA session as the reader's visitor, as deep mode does; returns the outcome. */
import { readImageFromPath } from '../../src/image/read.js';
import type { YaraOutcome } from '../../src/model/detection.js';
import type { Logger } from '../../src/util/logger.js';
import { silentLogger } from '../../src/util/logger.js';
import { type StreamOptions, YaraSession } from '../../src/yara/stream.js';
import { ENGINE_DIR } from './engine-dir.js';

export async function scanImageWithYara(
  archive: string,
  opts: Partial<StreamOptions> = {},
  logger: Logger = silentLogger,
): Promise<YaraOutcome> {
  const session = await YaraSession.start(
    { rulesDir: null, ...(ENGINE_DIR ? { engineDir: ENGINE_DIR } : {}), ...opts },
    { logger },
  );
  try {
    const view = await readImageFromPath(archive, { requests: [], visitors: [session.visitor] }, silentLogger);
    await session.end();
    return session.outcome(view);
  } finally {
    await session.end();
  }
}
