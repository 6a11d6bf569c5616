/** One settings path for the action's inputs and the CLI's flags: the parsers, the defaults, and ScanOptions. */
export {
  COMMENT_MODES,
  MODES,
  NONE,
  parseReasonList,
  parseStatusList,
  SEVERITY_THRESHOLDS,
  TERMINAL_STATUSES,
} from './choices.js';
export { CLI_DEFAULTS, type Defaults, SETTING_DEFAULTS } from './defaults.js';
export { type CliScan, settingsFromFlags, UsageError } from './flags.js';
export { type ImageTarSpec, isImageReference, parseImageReference, parseImageTarSpec } from './images.js';
export { type ParseOptions, parseMode, parseSettings, type SettingReader } from './parse.js';
export { DEFAULT_PLATFORM, PLATFORM_ACCEPTS, parsePlatformSetting } from './platform.js';
export { binaryScanOptionsOf, scanOptionsOf } from './scan-options.js';
export {
  describeChoices,
  InputError,
  parseBoolean,
  parseChoice,
  parseCount,
  parseDuration,
  parseHttpUrl,
  parseList,
  parseSize,
} from './values.js';
