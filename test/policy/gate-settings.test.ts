/**
 * The new gate settings through the one settings parser (action inputs and CLI flags alike): `fail-on-kev`
 * (boolean, default false) and `epss-threshold` (0–1 or none, default no gate); bad values are refused naming
 * the input or the flag.
 */
import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/action/inputs.js';
import { settingsFromFlags } from '../../src/settings/flags.js';

const inputs = (extra: Record<string, string>) => (name: string) => ({ image: 'app:1', ...extra })[name] ?? '';

describe('fail-on-kev and epss-threshold', () => {
  it('defaults: off', () => {
    const s = parseInputs(inputs({}));
    expect([s.failOnKev, s.epssThreshold]).toEqual([false, null]);
    const c = settingsFromFlags(['img.tar']).settings;
    expect([c.failOnKev, c.epssThreshold]).toEqual([false, null]);
  });

  it('values, as inputs and as flags', () => {
    for (const [raw, want] of [
      ['0.5', 0.5],
      ['0', 0],
      ['1', 1],
      ['.05', 0.05],
      ['1.0', 1],
      ['none', null],
      ['NONE', null],
    ] as const) {
      expect(parseInputs(inputs({ 'epss-threshold': raw })).epssThreshold).toBe(want);
      expect(settingsFromFlags(['img.tar', '--epss-threshold', raw]).settings.epssThreshold).toBe(want);
    }
    expect(parseInputs(inputs({ 'fail-on-kev': 'yes' })).failOnKev).toBe(true);
    expect(settingsFromFlags(['img.tar', '--fail-on-kev', 'true']).settings.failOnKev).toBe(true);
  });

  it('bad values name the setting and what it takes', () => {
    for (const bad of ['1.5', '-0.1', '50%', '0x1', '1e-3', 'Infinity', 'high'])
      expect(() => parseInputs(inputs({ 'epss-threshold': bad }))).toThrow(
        /Input "epss-threshold" must be a number from 0 to 1/,
      );
    expect(() => settingsFromFlags(['img.tar', '--epss-threshold', '2'])).toThrow(/--epss-threshold must be a number/);
    expect(() => parseInputs(inputs({ 'fail-on-kev': 'maybe' }))).toThrow(/Input "fail-on-kev"/);
  });
});
