import { z } from 'zod';

/** Activation of hidden Dense layers (encoder and decoders). */
export const activationSchema = z.enum(['relu', 'tanh', 'elu', 'sigmoid']);

/**
 * The widest hidden layer a config may ask for: a square layer of 8,192 holds 67M weights, 1 GiB with Adam's two
 * moments and the weights' moving average. A wider one would fail allocating, where the config can say so.
 */
export const MAX_LAYER_WIDTH = 8192;

/** The largest latent size K a config may ask for (the bottleneck holds hidden × 2K weights; Alemi et al. use K ≤ 256). */
export const MAX_LATENT_DIM = 4096;

/** Hidden layer sizes of an MLP, each 1..{@link MAX_LAYER_WIDTH}. */
export const hiddenSizesSchema = z.array(z.number().int().min(1).max(MAX_LAYER_WIDTH));
