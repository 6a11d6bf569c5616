/** scanOptionsOf / binaryScanOptionsOf: what a scan is asked, from parsed settings. */
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/settings/parse.js';
import { binaryScanOptionsOf, scanOptionsOf } from '../../src/settings/scan-options.js';

const settings = (given: Record<string, string>) => parseSettings((name) => given[name] ?? '');

describe('scanOptionsOf', () => {
  it('carries mode, platform, limits and the YARA rules folder', () => {
    expect(
      scanOptionsOf(
        settings({
          mode: 'Deep',
          platform: 'linux/arm/v7',
          'max-image-size': '2GB',
          'max-packages': '10',
          timeout: '1m',
          'yara-rules': 'rules',
        }),
      ),
    ).toEqual({
      mode: 'deep',
      platform: 'linux/arm/v7',
      maxImageSize: 2e9,
      maxPackages: 10,
      timeout: 60,
      yara: { rulesDir: 'rules' },
    });
    expect(scanOptionsOf(settings({}))).toEqual({
      mode: 'light',
      platform: 'linux/amd64',
      platformAsked: false,
      maxImageSize: 0,
      maxPackages: 0,
      timeout: 900,
      yara: { rulesDir: null },
    });
  });

  it('gives `bin` the image size limit as its file limit only when one is set', () => {
    expect(binaryScanOptionsOf(settings({ 'max-image-size': '5MB', timeout: '0' }))).toEqual({
      mode: 'light',
      maxPackages: 0,
      timeout: 0,
      yara: { rulesDir: null },
      maxSize: 5e6,
    });
    expect(binaryScanOptionsOf(settings({}))).not.toHaveProperty('maxSize');
  });
});
