/** Ten distinguishable class colours (Tableau 10). */
export const CLASS_COLORS: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];

/**
 * Colour of class `k`, cycling through {@link CLASS_COLORS}.
 * @param k - class index
 * @returns a CSS colour
 */
export function classColor(k: number): string {
  return CLASS_COLORS[((k % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length]!;
}

/**
 * A perceptually ordered colour for t ∈ [0, 1] (a short viridis-like ramp), for epoch order.
 * @param t - position in [0, 1] (clamped)
 * @returns a CSS colour
 */
export function rampColor(t: number): string {
  const stops: [number, number, number][] = [
    [68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37],
  ];
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  const c = a.map((v, j) => Math.round(v + f * (b[j]! - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}
