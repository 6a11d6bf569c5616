// Module resolution hooks for running src/ entry points (src/cli.ts, src/action/main.ts) in Node 24 with
// --experimental-transform-types: our `./x.js` import specifiers name `./x.ts` files (tsc's convention).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && specifier.startsWith('.') && context.parentURL?.includes('/src/')) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(ts))) return next(ts.href, context);
  }
  return next(specifier, context);
}
