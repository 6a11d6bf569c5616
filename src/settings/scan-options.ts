/** What a scan is asked, from the settings: the one copy the action and the CLI both use. */
import type { BinaryScanOptions } from '../bin/scan-binary.js';
import type { Settings } from '../model/settings.js';
import type { ScanOptions } from '../scan/ports.js';

export function scanOptionsOf(settings: Settings): ScanOptions {
  return {
    mode: settings.mode,
    platform: settings.platform,
    ...(settings.platformAsked === false ? { platformAsked: false } : {}),
    maxImageSize: settings.maxImageSize,
    maxPackages: settings.maxPackages,
    timeout: settings.timeout,
    yara: { rulesDir: settings.yaraRules },
  };
}

/** `scanrook bin`: the image size limit, when set, limits the one file (else the binary default applies). */
export function binaryScanOptionsOf(settings: Settings): BinaryScanOptions {
  const { mode, maxPackages, timeout, yara, maxImageSize } = scanOptionsOf(settings);
  return { mode, maxPackages, timeout, yara, ...(maxImageSize > 0 ? { maxSize: maxImageSize } : {}) };
}
