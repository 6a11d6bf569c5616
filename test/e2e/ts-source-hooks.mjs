// Module hooks that let Node run the TypeScript source as it is (src/cli.ts, src/action/main.ts): an import of
// `./x.js` from a .ts file that has no x.js beside it resolves to x.ts (the repository's ESM convention), and
// Node's own type stripping does the rest (--experimental-transform-types). Used by test/e2e/source.ts.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, next) {
    if (specifier.endsWith('.js') && specifier.startsWith('.') && context.parentURL?.endsWith('.ts')) {
      const url = new URL(specifier, context.parentURL);
      if (!existsSync(fileURLToPath(url))) {
        const ts = url.href.replace(/\.js$/, '.ts');
        if (existsSync(fileURLToPath(ts))) return next(ts, context);
      }
    }
    return next(specifier, context);
  },
});
