import { describe, expect, it } from 'vitest';
import { logGamma } from './log-gamma.js';

describe('logGamma', () => {
  it('matches log((n−1)!) at the integers and log √π at ½ (relative error < 1e-12)', () => {
    let factorial = 1;
    for (let n = 1; n <= 15; n++) {
      expect(Math.abs(logGamma(n) - Math.log(factorial))).toBeLessThan(1e-12 * Math.max(1, Math.log(factorial)));
      factorial *= n;
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('obeys Γ(x+1) = x·Γ(x) below ½, where the reflection formula is used', () => {
    for (const x of [0.01, 0.1, 0.3, 0.45]) expect(logGamma(x + 1) - logGamma(x)).toBeCloseTo(Math.log(x), 11);
  });

  it('rejects x ≤ 0', () => {
    expect(() => logGamma(0)).toThrow(/positive finite x, got 0/);
  });
});
