import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { PluginBase } from '../registry/plugin.js';

/** What a rate controller observes after each optimizer step. */
export interface RateObservation {
  /** Batch-mean KL(p(z|x) ‖ r(z)) in nats for the step just taken. */
  readonly klNats: number;
  /** Global step index, from 0. */
  readonly step: number;
  /** Total steps planned for the run (for ramps). */
  readonly totalSteps: number;
  /** Optimizer steps per epoch (for schedules written in epochs). */
  readonly stepsPerEpoch?: number;
}

/** What a rate controller is created with, besides its config: facts about the model and the run. */
export interface ControllerContext {
  /** Latent dimension K of the bottleneck the controller serves. */
  readonly latentDim: number;
  /** Optimizer steps per epoch, when the controller is created for a training run (unknown when a saved model is loaded). */
  readonly stepsPerEpoch?: number;
}

/**
 * A created rate controller: turns the rate (KL) into the loss's rate term and
 * adapts its own state (β, capacity C) as training goes.
 */
export interface RateController {
  /**
   * The rate term to add to the task loss; differentiable in its inputs.
   * @param klMean - batch-mean KL in nats, scalar
   * @param klPerDim - batch-mean KL per latent dimension [K] in nats, when the pair factorizes (else null)
   * @returns scalar rate term
   */
  penalty(klMean: tf.Scalar, klPerDim: tf.Tensor1D | null): tf.Scalar;
  /**
   * Update the state after a step (ramps, dual ascent).
   * @param observation - the step's KL and position
   */
  update(observation: RateObservation): void;
  /** Current effective β, for logs and plots. */
  readonly beta: number;
  /**
   * State to save with the model and log per epoch (β, C, ...).
   * @returns plain numbers by name
   */
  getState(): Record<string, number>;
  /**
   * Restore saved state.
   * @param state - what {@link RateController.getState} returned
   */
  setState(state: Record<string, number>): void;
}

/**
 * A rate-controller plugin: registered under kind `controller`.
 * @typeParam C - the parsed config type
 */
export interface ControllerPlugin<C = unknown> extends PluginBase {
  /** Schema of the config. */
  readonly configSchema: z.ZodType<C>;
  /**
   * Create a controller.
   * @param config - validated config
   * @param context - the latent size and, in a training run, the steps per epoch (the bottleneck always passes it)
   * @returns the controller
   */
  create(config: C, context?: ControllerContext): RateController;
}
