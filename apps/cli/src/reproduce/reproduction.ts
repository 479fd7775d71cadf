import type { Dataset, Registry } from '@vib/core';
import type { ExperimentConfig } from '@vib/tasks';
import type { CliIO } from '../cli-io.js';
import type { VegaLiteSpec } from '../plots/render-plot.js';
import type { CliTrainResult, RunSummary } from '../train-run.js';

/** A published figure a reproduction is compared with. */
export interface PublishedFigure {
  /** The measured metric it corresponds to, or null for a qualitative claim. */
  readonly metric: string | null;
  /** The published value (same units as the metric), or null for a qualitative claim. */
  readonly value: number | null;
  /** What was published and where (paper, table or figure, dataset). */
  readonly text: string;
}

/** What a reproduction gets for one seed. */
export interface ReproContext {
  readonly registry: Registry;
  readonly backend: string;
  readonly seed: number;
  /** The small CI-sized variant. */
  readonly quick: boolean;
  readonly io: CliIO;
  readonly signal: AbortSignal;
  readonly quiet: boolean;
  /**
   * Validate a raw config, load its data (subset in quick mode) and train it with progress on stderr.
   * @param raw - an experiment config as written (the seed is set by the context)
   * @param label - progress label
   * @returns the validated config, the data, the result and its summary (the caller disposes the model)
   */
  train(raw: Record<string, unknown>, label: string): Promise<{ config: ExperimentConfig; dataset: Dataset; result: CliTrainResult; summary: RunSummary }>;
  /**
   * Load a dataset by name (subset in quick mode).
   * @param name - registered dataset name
   * @returns the dataset
   */
  load(name: string): Promise<Dataset>;
}

/** What one seed of a reproduction measured. */
export interface SeedResult {
  /** Scalar metrics by name (errors as fractions, information in bits). */
  readonly metrics: Record<string, number>;
  /** Resolved configs of the runs, by role (e.g. `vib`, `deterministic`). */
  readonly configs: Record<string, ExperimentConfig>;
  /** The reproduction's own plot of this seed, if it draws one. */
  readonly plot?: VegaLiteSpec;
  /** Anything else worth keeping in the record (curves, per-layer trajectories). */
  readonly detail?: unknown;
}

/** A named reproduction of a published result (`vib reproduce <name>`). */
export interface Reproduction {
  readonly name: string;
  /** The paper, with the table or figure. */
  readonly citation: string;
  /** One sentence: what is trained and measured. */
  readonly description: string;
  /** Published figures to set beside the measured ones. */
  readonly published: readonly PublishedFigure[];
  /** Two metrics compared pairwise over seeds (paired t-test), e.g. VIB error against the baseline's. */
  readonly compare?: readonly [string, string];
  /**
   * Run one seed.
   * @param ctx - registry, backend, seed, quick flag and helpers
   * @returns the seed's metrics, configs and plot
   */
  run(ctx: ReproContext): Promise<SeedResult>;
  /**
   * The reproduction's figure over all seeds (e.g. trajectories averaged with their spread); without it the
   * first seed's plot is drawn.
   * @param perSeed - every seed's result, in seed order
   * @returns the plot
   */
  combinePlots?(perSeed: readonly SeedResult[]): VegaLiteSpec;
}
