/** One settings path for the action's inputs and the CLI's flags: the parsers, the defaults, and ScanOptions. */
export { COMMENT_MODES, MODES, NONE, SEVERITY_THRESHOLDS, TERMINAL_STATUSES, parseReasonList, parseStatusList } from './choices.js';
export { CLI_DEFAULTS, SETTING_DEFAULTS, type Defaults } from './defaults.js';
export { UsageError, settingsFromFlags, type CliScan } from './flags.js';
export { isImageReference, parseImageReference, parseImageTarSpec, type ImageTarSpec } from './images.js';
export { parseMode, parseSettings, type ParseOptions, type SettingReader } from './parse.js';
export { DEFAULT_PLATFORM, PLATFORM_ACCEPTS, parsePlatformSetting } from './platform.js';
export { binaryScanOptionsOf, scanOptionsOf } from './scan-options.js';
export {
  InputError, describeChoices, parseBoolean, parseChoice, parseCount, parseDuration, parseHttpUrl, parseList, parseSize,
} from './values.js';
