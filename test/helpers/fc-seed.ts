/**
 * vitest setup: every fast-check property without its own seed runs with one fixed seed, so CI is
 * reproducible. PROPERTY_SEED=random (or a number) explores other seeds locally; the seed is printed.
 */
import fc from 'fast-check';

const env = process.env.PROPERTY_SEED;
const seed = env === 'random' ? Date.now() % 2 ** 31 : Number(env ?? 20261122);
if (!Number.isInteger(seed))
  throw new Error(`PROPERTY_SEED must be an integer or "random", got ${JSON.stringify(env)}`);
fc.configureGlobal({ seed });
