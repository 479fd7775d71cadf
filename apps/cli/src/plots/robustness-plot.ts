import type { VegaLiteSpec } from './render-plot.js';

/** One model's curve in the robustness plot. */
export interface RobustnessCurve {
  /** Legend label (the model's folder, with β or "deterministic"). */
  readonly label: string;
  /** Points: ε, accuracy of both predictives, attack success of both. */
  readonly points: readonly { epsilon: number; accuracyMean: number; accuracySampled: number; successMean: number; successSampled: number }[];
}

/**
 * Accuracy and attack success against ε, one colour per model; solid lines are the mean code, dashed the
 * S-sample predictive (Alemi et al. 2017, Fig. 3's layout).
 * @param curves - one per model
 * @param title - the attack and gradient path, e.g. `FGSM (L∞), gradient through the mean code`
 * @param samples - S of the sampled predictive, for the legend
 * @returns a Vega-Lite spec
 */
export function robustnessSpec(curves: readonly RobustnessCurve[], title: string, samples: number): VegaLiteSpec {
  const values = curves.flatMap((c) =>
    c.points.flatMap((p) => [
      { model: c.label, epsilon: p.epsilon, predictive: 'mean code', accuracy: p.accuracyMean, success: p.successMean },
      { model: c.label, epsilon: p.epsilon, predictive: `${samples} samples`, accuracy: p.accuracySampled, success: p.successSampled },
    ]),
  );
  const panel = (field: string, axis: string) => ({
    mark: { type: 'line', point: true },
    width: 340,
    height: 240,
    encoding: {
      x: { field: 'epsilon', type: 'quantitative', title: 'ε' },
      y: { field, type: 'quantitative', title: axis, scale: { domain: [0, 1] } },
      color: { field: 'model', type: 'nominal', legend: { labelLimit: 1000 } },
      strokeDash: { field: 'predictive', type: 'nominal' },
    },
  });
  return { title, data: { values }, hconcat: [panel('accuracy', 'test accuracy on attacked inputs'), panel('success', 'attack success (of clean-correct)')] };
}
