/**
 * The `platform` setting: os/arch[/variant] (`linux/amd64`, `linux/arm/v7`, `linux/arm64/v8`), case-insensitive,
 * returned in lower case as image configs write it. Matching it against an image's platforms is image/platform.ts.
 */
import { InputError } from './values.js';

export { DEFAULT_PLATFORM } from '../model/settings.js';

const PLATFORM = /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)?$/;

export const PLATFORM_ACCEPTS = 'a platform os/arch[/variant], such as "linux/amd64" or "linux/arm64/v8"';

export function parsePlatformSetting(input: string, v: string): string {
  const p = v.trim().toLowerCase();
  if (!PLATFORM.test(p)) throw new InputError(input, v, PLATFORM_ACCEPTS);
  return p;
}
