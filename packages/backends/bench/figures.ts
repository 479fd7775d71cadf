// How the benches print their figures: medians with the range over rounds beside them.

/** The median of `xs` (the mean of the middle two for an even count). */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
};

/** `x` with `d` decimals, or `n/a` where it is not finite. */
export const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** Median with the range of the values beside it: `12.3 [11.9–13.0]`. */
export const withRange = (xs: number[], d = 2): string => `${f(median(xs), d)} [${f(Math.min(...xs), d)}–${f(Math.max(...xs), d)}]`;
