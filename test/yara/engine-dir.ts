/**
 * Where the tests find the YARA engine: the installed @virustotal/yara-x package (the normal case), or a
 * folder named by SCANROOK_YARA_X_DIR (a scratch install while the dependency is being added).
 */
export const ENGINE_DIR: string | undefined = process.env.SCANROOK_YARA_X_DIR || undefined;
