// `node --import` this file to load src/ TypeScript by its `.js` specifiers (see src-entry-hooks.mjs).
import { register } from 'node:module';

register('./src-entry-hooks.mjs', import.meta.url);
