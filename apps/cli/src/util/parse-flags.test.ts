import { describe, expect, it } from 'vitest';
import { checkSampleTensor, INTERPOLATION_STEPS_BOUNDS, LATENT_DIM_BOUNDS, MAX_TENSOR_VALUES, SAMPLES_BOUNDS } from './flag-bounds.js';
import { parseCountFlag, parseLogRange, parseNumberList, parseSeedFlag } from './parse-flags.js';

/** The exit code and message a thrown usage error carries. */
function thrown(f: () => unknown): { exitCode: unknown; message: string } {
  try {
    f();
  } catch (e) {
    return { exitCode: (e as { details?: Record<string, unknown> }).details?.['exitCode'], message: (e as Error).message };
  }
  throw new Error('did not throw');
}

describe('flag parsing: every bad value is a usage error (exit code 2)', () => {
  it('refuses counts past 2^53 − 1, which a JSON config cannot hold exactly', () => {
    expect(thrown(() => parseCountFlag('--epochs', '99999999999999999999'))).toEqual({
      exitCode: 2,
      message: '--epochs 99999999999999999999 is too big: it must be at most 9007199254740991 (2^53 − 1), e.g. --epochs 10',
    });
    expect(parseCountFlag('--epochs', '9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('applies a count flag\'s own bounds, saying them in range and too-big messages alike', () => {
    expect(parseCountFlag('--latent-dim', '4096', LATENT_DIM_BOUNDS)).toBe(4096);
    expect(thrown(() => parseCountFlag('--latent-dim', '10000000', LATENT_DIM_BOUNDS))).toEqual({
      exitCode: 2,
      message: '--latent-dim 10000000 is too big: it must be at most 4096 (the bottleneck holds hidden × 2K weights), e.g. --latent-dim 2',
    });
    expect(thrown(() => parseCountFlag('--steps', '1', INTERPOLATION_STEPS_BOUNDS))).toEqual({
      exitCode: 2,
      message: '--steps 1 is out of range: it must be an integer from 2 to 100 (one image per step in each row of the PNG), e.g. --steps 10',
    });
    expect(thrown(() => parseCountFlag('--samples', '1e9', SAMPLES_BOUNDS)).message).toMatch(/^--samples 1e9 is too big: it must be at most 10000/);
  });

  it('refuses a seed past 2^53 − 1 instead of handing it to the config schema ("Too big", exit 1)', () => {
    expect(parseSeedFlag('--seed', '0')).toBe(0);
    expect(thrown(() => parseSeedFlag('--seed', '1e30'))).toEqual({
      exitCode: 2,
      message: '--seed 1e30 is out of range: it must be an integer from 0 to 9007199254740991 (2^53 − 1), e.g. --seed 1',
    });
  });

  it('suggests a --beta-range and a --seeds value that are themselves valid', () => {
    for (const bad of ['1e-3:1:x', '0:1:5', '1e-3:1:1']) {
      const { exitCode, message } = thrown(() => parseLogRange(bad));
      expect(exitCode).toBe(2);
      const example = /e\.g\. --beta-range (\S+)$/.exec(message)?.[1];
      expect(example).toBeDefined();
      expect(parseLogRange(example!)).toHaveLength(5);
    }
    expect(thrown(() => parseNumberList('--seeds', '0,-1', [(v) => v >= 0, 'an integer ≥ 0'], '0,1,2')).message).toMatch(/e\.g\. --seeds 0,1,2$/);
  });

  it('gives --beta-range its ends exactly and rounds the points between to 12 digits (no 0.000009999999999999999)', () => {
    expect(parseLogRange('1e-5:1:6')).toEqual([1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]);
    expect(parseLogRange('1e-6:1e-1:6')).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]);
    // a range that does not fall on powers of ten stays log-spaced: equal ratios to 12 digits
    const v = parseLogRange('0.003:7:4');
    expect(v[0]).toBe(0.003);
    expect(v[3]).toBe(7);
    const ratios = v.slice(1).map((x, i) => x / v[i]!);
    for (const r of ratios) expect(r).toBeCloseTo(Math.cbrt(7 / 0.003), 9);
    for (const x of v) expect(String(x).replace(/^0\.0*|e.*$|\./g, '').length).toBeLessThanOrEqual(12);
  });

  it('refuses a sample count whose S × batch × width tensor passes 2^28 values, saying the largest that fits', () => {
    expect(() => checkSampleTensor('--samples', 12, 500, 784)).not.toThrow();
    const { exitCode, message } = thrown(() => checkSampleTensor('--iw-samples', 10_000, 100, 784));
    expect(exitCode).toBe(2);
    expect(message).toContain(`more than ${MAX_TENSOR_VALUES} (1 GiB of float32): lower --iw-samples (at most 3423 here) or --max-test`);
    expect(() => checkSampleTensor('--iw-samples', 3423, 100, 784)).not.toThrow();
  });
});
