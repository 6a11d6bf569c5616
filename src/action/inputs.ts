/**
 * The action's inputs → Settings, through the one settings parser (src/settings/). Pure: the caller passes a
 * `core.getInput`-like getter (an empty string means "not given", and the default applies). A bad value
 * throws an InputError naming the input, the value and what the input accepts. The defaults must equal
 * action.yml's (a test checks).
 */
import type { Settings } from '../model/settings.js';
import { type Defaults, SETTING_DEFAULTS } from '../settings/defaults.js';
import { parseSettings } from '../settings/parse.js';
import { InputError } from '../settings/values.js';

export { InputError } from '../settings/values.js';

/** Defaults of the inputs that have one, as action.yml writes them. */
export const INPUT_DEFAULTS: Defaults = SETTING_DEFAULTS;

/** Inputs action.yml declares that are not part of Settings: the action's entry point reads them itself. */
export const INPUTS_READ_OUTSIDE_SETTINGS: readonly string[] = ['github-token'];

/**
 * Inputs that are accepted and validated but do not change what the action does yet (later issues wire them).
 * The README marks them from this list; remove a name when its feature lands. Empty: every input is wired.
 */
export const INPUTS_NOT_WIRED_YET: string[] = [];

export function parseInputs(get: (name: string) => string): Settings {
  const settings = parseSettings(get);
  if (settings.images.length === 0 && settings.imageTars.length === 0) {
    throw new InputError(
      'image',
      '',
      'given',
      'Nothing to scan: give "image" (image references, one per line) or "image-tar" (archive paths or OCI layout folders, one per line)',
    );
  }
  return settings;
}
